import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectRelay, RelayTestResult } from '../../main/core/contract';
import { useProjects } from '../../renderer/src/features/projects/projects-store';
import { MediaRelaySection } from '../../renderer/src/features/settings/MediaRelaySection';
import { useRelays } from '../../renderer/src/features/settings/relay-store';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, project, type FakeApi } from './fake-api';

/** Settings › Media relay: why Instagram and Threads need one, the bucket's fields (the secret only ever sent, never shown), and the Test. */

let i18n: i18n;

beforeAll(async () => {
  i18n = await initI18n('en');
});

afterEach(() => {
  cleanup();
  useRelays.setState({ relays: {}, focusRequested: false });
});

async function open(saved: ProjectRelay, test?: RelayTestResult): Promise<FakeApi> {
  const api = createFakeApi();
  let current = saved;
  api.answer('relay.get', () => ({ ok: true, value: current }));
  api.answer('relay.save', (args) => {
    const { secretAccessKey: _secret, ...s3 } = args.s3 ?? ({} as NonNullable<typeof args.s3>);
    current = { projectId: args.projectId, kind: args.kind, s3: args.s3 ? { ...s3, hasSecret: true } : current.s3, blockedScheduled: 0 };
    return { ok: true, value: current };
  });
  if (test) api.answer('relay.test', () => ({ ok: true, value: test }));
  setApiForTests(api);
  useProjects.setState({ projects: [project({ id: 'p1', name: 'Acme Bakery' })], activeId: 'p1', loaded: true, loadError: null, showArchived: false });
  await act(async () => {
    render(
      <I18nextProvider i18n={i18n}>
        <MediaRelaySection />
      </I18nextProvider>,
    );
  });
  return api;
}

const none: ProjectRelay = { projectId: 'p1', kind: 'none', s3: null, blockedScheduled: 0 };
const r = en.settings.relay;

describe('the media relay settings', () => {
  it('say why Instagram and Threads need a relay, for the active project', async () => {
    await open(none);
    expect(screen.getByRole('heading', { name: r.title })).toBeTruthy();
    expect(screen.getByText(r.why)).toBeTruthy();
    expect(screen.getByText('For the project Acme Bakery.')).toBeTruthy();
    expect((screen.getByRole('radio', { name: new RegExp(r.kinds.none) }) as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByLabelText(r.endpoint)).toBeNull();
  });

  it('save a bucket with its secret key, which is sent once and never shown again', async () => {
    const api = await open(none);
    fireEvent.click(screen.getByRole('radio', { name: new RegExp(r.kinds.s3) }));
    fireEvent.change(screen.getByLabelText(r.endpoint), { target: { value: 'https://s3.eu-central-1.amazonaws.com' } });
    fireEvent.change(screen.getByLabelText(r.region), { target: { value: 'eu-central-1' } });
    fireEvent.change(screen.getByLabelText(r.bucket), { target: { value: 'acme-media' } });
    fireEvent.change(screen.getByLabelText(r.accessKeyId), { target: { value: 'AKIAEXAMPLE' } });
    fireEvent.change(screen.getByLabelText(r.secretAccessKey), { target: { value: 'wJalrXUtnFEMI' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: r.save }));
    });
    expect(api.calls.find((c) => c.name === 'relay.save')?.args).toEqual({
      projectId: 'p1',
      kind: 's3',
      s3: { endpoint: 'https://s3.eu-central-1.amazonaws.com', region: 'eu-central-1', bucket: 'acme-media', pathStyle: false, accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI' },
    });
    const secret = screen.getByLabelText(r.secretAccessKey) as HTMLInputElement;
    expect(secret.value).toBe('');
    expect(secret.placeholder).toBe(r.secretSaved);
    expect(document.body.innerHTML).not.toContain('wJalrXUtnFEMI');
  });

  it('test the saved relay and say that it works', async () => {
    const api = await open(
      { projectId: 'p1', kind: 's3', s3: { endpoint: 'https://s3.example.com', region: 'auto', bucket: 'acme', pathStyle: true, accessKeyId: 'K', hasSecret: true }, blockedScheduled: 0 },
      { ok: true, problem: null, message: null, host: 's3.example.com', tookMs: 120 },
    );
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: r.test }));
    });
    expect(api.calls.map((c) => c.name)).toContain('relay.test');
    expect(screen.getByRole('status').textContent).toContain('The relay works: a test image went up, could be fetched from its address on s3.example.com, and was removed again.');
  });

  it('say plainly what failed, with the details', async () => {
    await open(
      { projectId: 'p1', kind: 's3', s3: { endpoint: 'https://s3.example.com', region: 'auto', bucket: 'acme', pathStyle: true, accessKeyId: 'K', hasSecret: true }, blockedScheduled: 0 },
      { ok: false, problem: 'keys', message: 'The media relay could not put the file in s3.example.com/acme: the bucket refused the access key id or secret key (SignatureDoesNotMatch).', host: null, tookMs: 80 },
    );
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: r.test }));
    });
    const status = screen.getByRole('status').textContent ?? '';
    expect(status).toContain(r.result.keys);
    expect(status).toContain('Details: The media relay could not put the file');
  });

  it('warn when scheduled posts need a relay this one cannot give', async () => {
    await open({ projectId: 'p1', kind: 'none', s3: null, blockedScheduled: 2 });
    expect(screen.getByText(/^2 posts of this project that were to go out have media for Instagram or Threads that this relay cannot serve: they were stopped/)).toBeTruthy();
  });

  it('show a refusal in words and keep what was typed', async () => {
    const api = await open(none);
    api.answer('relay.save', () => ({ ok: false, error: { code: 'validation', message: 'x', field: 'secretAccessKey', reason: 'relay_secret_missing' } }));
    fireEvent.click(screen.getByRole('radio', { name: new RegExp(r.kinds.s3) }));
    fireEvent.change(screen.getByLabelText(r.bucket), { target: { value: 'acme-media' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: r.save }));
    });
    expect(screen.getByRole('alert').textContent).toBe(en.errors.reason.relay_secret_missing);
    expect((screen.getByLabelText(r.bucket) as HTMLInputElement).value).toBe('acme-media');
  });
});
