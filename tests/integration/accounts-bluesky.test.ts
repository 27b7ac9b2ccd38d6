import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account, ConnectResult } from '../../main/core/contract';
import type { OutpostError, Result } from '../../main/core/errors';
import { openAccountConnection } from '../../main/services/accounts/account-connection';
import { createBackend, type Backend } from '../../main/services/services';
import { createAccount, createAppPassword, getRecord, startBlueskyPeer, type BlueskyPeer } from '../support/bluesky-pds';
import { FakeClock, makeTempDir, MemorySecretStore } from '../unit/support/backend';

/**
 * Connecting a Bluesky account through accounts.connect against a real PDS (@atproto/dev-env):
 * the app password signs in, the session lands in the keychain only, and the account can post.
 */

let peer: BlueskyPeer;
let dir: ReturnType<typeof makeTempDir>;
let backend: Backend;
let secrets: MemorySecretStore;
let projectId: string;

async function call<T>(name: string, args: unknown): Promise<Result<T>> {
  return (await backend.dispatch(name, args)) as Result<T>;
}

beforeAll(async () => {
  peer = await startBlueskyPeer();
  dir = makeTempDir('outpost-accounts-bsky-');
  secrets = new MemorySecretStore();
  backend = createBackend({
    dataDir: dir.path,
    clock: new FakeClock(Date.now()),
    emit: () => undefined,
    secrets,
    platform: { host: 'browser', version: '0.0.0-test', openExternal: async () => undefined },
    log: () => undefined,
  });
  const project = await call<{ id: string }>('projects.create', { name: 'Acme Bakery', color: '#2563eb', timezone: 'Europe/Berlin' });
  if (!project.ok) throw new Error(JSON.stringify(project.error));
  projectId = project.value.id;
}, 60_000);

afterAll(async () => {
  backend?.close();
  dir?.remove();
  await peer?.stop();
});

describe('connecting a Bluesky account against a real PDS', () => {
  it('signs in with an app password on the PDS the user names, and the account can publish', async () => {
    const account = await createAccount(peer);
    const appPassword = await createAppPassword(peer, account);
    const result = await call<ConnectResult>('accounts.connect', {
      projectId,
      connection: { network: 'bluesky', handle: `@${account.handle}`, appPassword, server: peer.pdsUrl },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    const connected: Account = result.value.account;
    expect(connected).toMatchObject({ network: 'bluesky', handle: `@${account.handle}`, status: 'connected', server: new URL(peer.pdsUrl).host });
    const secret = JSON.parse(secrets.secrets.get(`account:${connected.id}`)!) as Record<string, string>;
    expect(secret).toMatchObject({ did: account.did, appPassword });
    expect(secret.refreshJwt).toBeTruthy();

    const connection = await openAccountConnection(backend.services, connected.id);
    const published = await connection.connector.publish(connection.ctx, { text: 'Fresh bread at 9 🥖', media: [], idempotencyKey: 'job-1' });
    const rkey = published.remoteId.split('/').pop()!;
    expect((await getRecord(peer, account.did, rkey)).status).toBe(200);
  });

  it('refuses a wrong app password, naming that field', async () => {
    const account = await createAccount(peer);
    const result = await call('accounts.connect', {
      projectId,
      connection: { network: 'bluesky', handle: account.handle, appPassword: 'aaaa-bbbb-cccc-dddd', server: peer.pdsUrl },
    });
    expect(result.ok).toBe(false);
    expect((result as { error: OutpostError }).error).toMatchObject({ code: 'validation', field: 'appPassword', reason: 'bluesky_credentials_rejected' });
  });
});
