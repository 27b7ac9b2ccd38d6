import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Args } from '../../main/core/contract';
import { ShareDialog } from '../../renderer/src/features/calendar/ShareDialog';
import { useProjects } from '../../renderer/src/features/projects/projects-store';
import { ReportDialog } from '../../renderer/src/features/results/ReportDialog';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import he from '../../renderer/src/i18n/locales/he.json';
import ru from '../../renderer/src/i18n/locales/ru.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, project, type FakeApi } from './fake-api';

/**
 * Whatever language the freelancer works in, what the client reads is written in the client's
 * language: the approval pack and the monthly report follow the project's choice.
 */

let i18n: i18n;
let api: FakeApi;
let saved: Blob[];

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  api = createFakeApi();
  setApiForTests(api);
  saved = [];
  // The dialogs save through a download link: keep what would be saved.
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    saved.push(blob as Blob);
    return 'blob:test';
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const wrap = (node: React.ReactNode) => render(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);

describe('the approval pack', () => {
  it('is written in the project’s client language while the app stays English', async () => {
    const bakery = project({ id: 'p1', name: 'Пекарня', timezone: 'Europe/Moscow', clientLanguage: 'ru' });
    useProjects.setState({ projects: [bakery], activeId: 'p1', showArchived: false, loaded: true, loadError: null });
    api.answer('calendar.packData', () => ({
      ok: true,
      value: {
        projectName: 'Пекарня',
        color: '#2563eb',
        timezone: 'Europe/Moscow',
        posts: [{ id: 'x1', scheduledAt: Date.UTC(2027, 2, 10, 7), timezone: 'Europe/Moscow', status: 'scheduled', approval: 'approved', body: 'Свежий хлеб', firstComment: '', notes: '', labels: [], targets: [], images: [] }],
      },
    }));
    wrap(<ShareDialog projectId="p1" zone="Europe/Moscow" from={Date.UTC(2027, 2, 1)} to={Date.UTC(2027, 3, 1)} onClose={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: en.calendar.share.packHtml }));
    await waitFor(() => expect(saved).toHaveLength(1));
    const html = await (saved[0] as Blob).text();
    expect(html).toContain('<html lang="ru" dir="ltr">');
    expect(html).toContain(ru.calendar.pack.title.replace('{{project}}', '\u2068Пекарня\u2069'));
    expect(html).toContain(ru.calendar.approval.approved);
    // The dialog itself stays in the app's language.
    expect(screen.getByRole('dialog', { name: en.calendar.share.title })).toBeTruthy();
  });
});

describe('the monthly report dialog', () => {
  it('asks main for the report in the client’s language, right to left for Hebrew, with the numbers left for main to fill', async () => {
    const bakery = project({ id: 'p1', name: 'Bakery', timezone: 'Asia/Jerusalem', clientLanguage: 'he' });
    useProjects.setState({ projects: [bakery], activeId: 'p1', showArchived: false, loaded: true, loadError: null });
    api.answer('results.report', () => ({ ok: true, value: { fileName: 'Bakery — דוח.pdf', mime: 'application/pdf', path: '/home/me/Documents/Outpost reports/Bakery — דוח.pdf', opened: true, base64: null, posts: 12 } }));
    wrap(<ReportDialog project={bakery} onClose={() => {}} />);
    expect((screen.getByRole('combobox', { name: en.results.report.language }) as HTMLSelectElement).value).toBe('he');
    fireEvent.click(screen.getByRole('button', { name: en.results.report.make }));
    await screen.findByText(en.results.report.savedOpened.replace('{{path}}', '/home/me/Documents/Outpost reports/Bakery — דוח.pdf'));
    const args = api.calls.find((c) => c.name === 'results.report')?.args as Args<'results.report'>;
    expect(args).toMatchObject({ projectId: 'p1', format: 'pdf', lang: 'he', dir: 'rtl' });
    expect(args.words.glance).toBe(he.results.report.doc.glance);
    expect(args.words.title).toBe(he.results.report.doc.title.replace('{{project}}', '\u2068Bakery\u2069'));
    expect(args.words.measuredNote).toContain('{{measured}}');
    expect(args.words.vsPrevious).toContain('{{change}}');
    expect(saved).toEqual([]);
  });

  it('keeps a language chosen in the dialog for the project', async () => {
    const bakery = project({ id: 'p1', clientLanguage: null });
    useProjects.setState({ projects: [bakery], activeId: 'p1', showArchived: false, loaded: true, loadError: null });
    api.answer('projects.update', (args) => ({ ok: true, value: { ...bakery, clientLanguage: args.clientLanguage ?? null } }));
    wrap(<ReportDialog project={bakery} onClose={() => {}} />);
    const language = screen.getByRole('combobox', { name: en.results.report.language }) as HTMLSelectElement;
    expect(language.value).toBe('en');
    fireEvent.change(language, { target: { value: 'ru' } });
    await waitFor(() => expect(api.calls.find((c) => c.name === 'projects.update')?.args).toEqual({ id: 'p1', clientLanguage: 'ru' }));
  });
});
