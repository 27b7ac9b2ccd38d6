import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DataStatus } from '../../main/core/contract';
import { App } from '../../renderer/src/app/App';
import { useData } from '../../renderer/src/features/data/data-store';
import { useProjects } from '../../renderer/src/features/projects/projects-store';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createShellApi, project } from './fake-api';

let i18n: i18n;
beforeAll(async () => {
  i18n = await initI18n('en');
});
beforeEach(() => {
  useProjects.setState({ projects: [], activeId: null, showArchived: false, loaded: false, loadError: null });
  useData.setState({ status: null, backups: [], quarantine: [], busy: null, error: null, notice: null });
});
afterEach(cleanup);

const backup = { name: 'outpost-daily-20261204T080000000Z-v8.db', kind: 'daily' as const, createdAt: Date.UTC(2026, 11, 4, 8), bytes: 240_000, schemaVersion: 8 };

async function renderWith(status: DataStatus) {
  const api = createShellApi([project()]);
  api.answer('data.status', () => ({ ok: true, value: status }));
  api.answer('data.backups', () => ({ ok: true, value: { backups: status.newestBackup ? [status.newestBackup] : [], folder: '/tmp/outpost/backups' } }));
  api.answer('data.restore', () => ({ ok: true, value: { keptAside: null } }));
  api.answer('data.startEmpty', () => ({ ok: true, value: { keptAside: null } }));
  setApiForTests(api);
  await act(async () => {
    render(
      <I18nextProvider i18n={i18n}>
        <App />
      </I18nextProvider>,
    );
  });
  return api;
}

const recovery = (problem: DataStatus['problem'], newestBackup: DataStatus['newestBackup']): DataStatus => ({
  state: 'recovery',
  problem,
  detail: problem === 'database_corrupt' ? 'database disk image is malformed' : null,
  mediaFiles: 12,
  newestBackup,
  dataDir: '/home/me/.config/Outpost/data',
});

describe('start-up recovery', () => {
  it('a lost database shows the recovery page, not an empty app; restore asks main for the newest backup', async () => {
    const api = await renderWith(recovery('database_missing', backup));
    await screen.findByRole('heading', { level: 1, name: en.data.recovery.title.database_missing });
    expect(screen.getByText(/12 media files are still there/)).toBeTruthy();
    // Nothing of the app loads while the data is not open.
    expect(api.calls.map((c) => c.name)).not.toContain('projects.list');
    fireEvent.click(screen.getByRole('button', { name: en.data.recovery.restoreNewest }));
    await act(async () => {});
    expect(api.calls.find((c) => c.name === 'data.restore')?.args).toEqual({ name: backup.name });
  });

  it('without a backup, "start empty" is the way on and says where the files wait', async () => {
    const api = await renderWith(recovery('database_empty', null));
    await screen.findByText(en.data.recovery.noBackup);
    expect(screen.queryByRole('button', { name: en.data.recovery.restoreNewest })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: en.data.recovery.startEmpty }));
    await act(async () => {});
    expect(api.calls.map((c) => c.name)).toContain('data.startEmpty');
  });

  it('a damaged database shows SQLite’s words only under details; a newer one offers neither restore nor a fresh start', async () => {
    await renderWith(recovery('database_corrupt', backup));
    await screen.findByRole('heading', { level: 1, name: en.data.recovery.title.database_corrupt });
    expect(screen.getByText('database disk image is malformed').closest('details')).toBeTruthy();
    cleanup();
    await renderWith(recovery('database_newer', null));
    await screen.findByRole('heading', { level: 1, name: en.data.recovery.title.database_newer });
    expect(screen.queryByRole('button', { name: en.data.recovery.startEmpty })).toBeNull();
    expect(screen.queryByRole('button', { name: en.data.recovery.restoreNewest })).toBeNull();
  });
});
