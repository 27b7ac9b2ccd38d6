import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../main/services/secrets/keytar-store';

// Runs against the real OS keychain (npm test provides a throwaway one on headless Linux).
const store = new KeytarSecretStore({ service: `Outpost-test-${randomUUID()}` });
const status = await store.status();
const required = process.env.OUTPOST_KEYCHAIN === 'required';

describe.runIf(status.available || required)('the real system keychain', () => {
  afterAll(async () => {
    for (const key of await store.list()) await store.delete(key);
  });

  it('is available', () => {
    expect(status).toEqual({ available: true });
  });

  it('stores, reads, lists and deletes a secret', async () => {
    const secret = 'xoxb-1234:secret with spaces, ünïcödé and emoji 🗝️';
    await store.set('account:telegram:1', secret);
    await store.set('account:mastodon:2', '{"access_token":"abc"}');
    expect(await store.get('account:telegram:1')).toBe(secret);
    expect(await store.list()).toEqual(['account:mastodon:2', 'account:telegram:1']);

    expect(await store.delete('account:telegram:1')).toBe(true);
    expect(await store.get('account:telegram:1')).toBeNull();
    expect(await store.list()).toEqual(['account:mastodon:2']);
    expect(await store.delete('account:telegram:1')).toBe(false);
  });

  it('overwrites a secret in place when an account reconnects', async () => {
    await store.set('account:bluesky:3', 'old-app-password');
    await store.set('account:bluesky:3', 'new-app-password');
    expect(await store.get('account:bluesky:3')).toBe('new-app-password');
    expect((await store.list()).filter((k) => k === 'account:bluesky:3')).toHaveLength(1);
  });
});
