import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectResult } from '../../main/core/contract';
import { OK_REDIRECT_URI } from '../../main/core/networks/ok';
import { readOkSecret } from '../../main/services/connectors/ok';
import { createBackend, databasePath, type Backend } from '../../main/services/services';
import { startOkFake, type FakeOkApp, type FakeOkGroup, type FakeOkUser, type OkFake } from '../fakes/ok-fake';
import { dispatcher, FakeClock, makeTempDir, MemorySecretStore } from './support/backend';

/**
 * Connecting an OK group through the accounts handlers, on a real database file, against the OK
 * fake: the browser step follows the fake's consent redirect to the fixed loopback address.
 */

let dir: ReturnType<typeof makeTempDir>;
let okFake: OkFake;
let app: FakeOkApp;
let user: FakeOkUser;
let group: FakeOkGroup;
let secrets: MemorySecretStore;
let backend: Backend;
let projectId: string;

const { ok, refused } = dispatcher(() => backend);

const connection = (overrides: Record<string, string> = {}) => ({
  network: 'ok',
  applicationId: app.id,
  applicationKey: app.publicKey,
  applicationSecretKey: app.secretKey,
  group: `https://ok.ru/group/${group.id}`,
  ...overrides,
});

beforeEach(async () => {
  dir = makeTempDir('outpost-accounts-ok-');
  okFake = await startOkFake();
  app = okFake.addApp({ redirectUris: [OK_REDIRECT_URI] });
  user = okFake.addUser();
  group = okFake.addGroup({ name: 'Bakery Club' });
  okFake.setRole(group, user, 'ADMIN');
  okFake.signInAs(user);
  secrets = new MemorySecretStore();
  backend = createBackend({
    dataDir: dir.path,
    clock: new FakeClock(),
    emit: () => undefined,
    secrets,
    platform: {
      host: 'browser',
      version: '0.0.0-test',
      openExternal: async (url) => {
        await (await fetch(url, { redirect: 'follow' })).text();
      },
    },
    networks: { baseUrls: { ok: okFake.baseUrl }, signInTimeoutMs: 5_000 },
    log: () => undefined,
  });
  projectId = (await ok<{ id: string }>('projects.create', { name: 'Acme Bakery', color: '#2563eb', timezone: 'Europe/Berlin' })).id;
});

afterEach(async () => {
  if (backend.services.db.open) backend.close();
  await okFake.close();
  dir.remove();
});

describe('connecting an OK group', () => {
  it('signs in, checks the role, and keeps the app secret and tokens in the keychain only', async () => {
    const { account } = await ok<ConnectResult>('accounts.connect', { projectId, connection: connection() });
    expect(account).toMatchObject({ network: 'ok', handle: `ok.ru/group/${group.id}`, displayName: 'Bakery Club', status: 'connected', url: `https://ok.ru/group/${group.id}` });
    const stored = readOkSecret(secrets.secrets.get(`account:${account.id}`)!);
    expect(stored).toMatchObject({ applicationId: app.id, applicationSecretKey: app.secretKey });
    backend.close();
    const path = databasePath(dir.path);
    const bytes = Buffer.concat([readFileSync(path), existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : Buffer.alloc(0)]);
    for (const secret of [stored.applicationSecretKey, stored.accessToken, stored.refreshToken!]) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    expect(okFake.violations).toEqual([]);
  });

  it('refuses a group where the user may not publish, with OK\'s words, and saves nothing', async () => {
    okFake.setRole(group, user, 'ANALYST');
    const error = await refused('accounts.connect', { projectId, connection: connection() });
    expect(error).toMatchObject({ field: 'group', reason: 'ok_group_cannot_post' });
    expect(error.networkSaid).toBe('ACTIVE, ANALYST');
    expect(secrets.secrets.size).toBe(0);
  });

  it('names the field to fix before any sign-in', async () => {
    expect(await refused('accounts.connect', { projectId, connection: connection({ group: 'https://ok.ru/bakery' }) })).toMatchObject({ field: 'group', reason: 'ok_group_malformed' });
    expect(await refused('accounts.connect', { projectId, connection: connection({ applicationId: 'abc' }) })).toMatchObject({ field: 'applicationId', reason: 'ok_application_id_malformed' });
    expect(okFake.server.requests).toHaveLength(0);
  });

  it('a wrong secret key is refused at the token exchange', async () => {
    expect(await refused('accounts.connect', { projectId, connection: connection({ applicationSecretKey: 'WRONG' }) })).toMatchObject({
      field: 'applicationSecretKey',
      reason: 'ok_app_rejected',
    });
  });
});
