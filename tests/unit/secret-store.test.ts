import { describe, expect, it } from 'vitest';
import { HOST_KEYCHAIN_SERVICE, hostSecretStore } from '../../main/host/secrets';
import { KEYCHAIN_SERVICE, KeychainUnavailableError } from '../../main/services/secrets/secret-store';
import { KeytarSecretStore, type KeytarSecretStoreOptions } from '../../main/services/secrets/keytar-store';

type Keytar = NonNullable<KeytarSecretStoreOptions['loadKeytar']> extends () => Promise<infer K> ? K : never;

const noDbus = new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
const brokenKeytar = {
  getPassword: () => Promise.reject(noDbus),
  setPassword: () => Promise.reject(noDbus),
  deletePassword: () => Promise.reject(noDbus),
  findCredentials: () => Promise.reject(noDbus),
  findPassword: () => Promise.reject(noDbus),
} as unknown as Keytar;

describe('without a usable keychain', () => {
  it('says so, with the reason, instead of saving anywhere else', async () => {
    const store = new KeytarSecretStore({ service: 'Outpost-test', loadKeytar: async () => brokenKeytar });
    expect(await store.status()).toEqual({ available: false, detail: noDbus.message });
    const saving = store.set('account:telegram:1', 'bot-token');
    await expect(saving).rejects.toBeInstanceOf(KeychainUnavailableError);
    await expect(saving).rejects.toThrow(/keychain is not available.*nothing was saved/i);
  });

  it('reports a keytar that cannot load at all (no libsecret) the same way', async () => {
    const store = new KeytarSecretStore({
      service: 'Outpost-test',
      loadKeytar: () => Promise.reject(new Error('libsecret-1.so.0: cannot open shared object file')),
    });
    const status = await store.status();
    expect(status.available).toBe(false);
    expect(status.detail).toMatch(/libsecret/);
  });
});

describe('keychain service names', () => {
  /** A keychain that files entries by (service, account), as the real ones do. */
  function recordingKeytar() {
    const entries = new Map<string, string>();
    const keytar = {
      getPassword: async (service: string, account: string) => entries.get(`${service}\u0000${account}`) ?? null,
      setPassword: async (service: string, account: string, secret: string) => void entries.set(`${service}\u0000${account}`, secret),
      deletePassword: async (service: string, account: string) => entries.delete(`${service}\u0000${account}`),
      findCredentials: async (service: string) =>
        [...entries].flatMap(([key, password]) => {
          const [s, account] = key.split('\u0000');
          return s === service ? [{ account: account as string, password }] : [];
        }),
    } as unknown as Keytar;
    return { keytar, entries };
  }

  it('files the browser host’s sign-ins under a service of their own, never the app’s', async () => {
    expect(new KeytarSecretStore().service).toBe(KEYCHAIN_SERVICE);
    expect(hostSecretStore().service).toBe(HOST_KEYCHAIN_SERVICE);
    expect(HOST_KEYCHAIN_SERVICE).not.toBe(KEYCHAIN_SERVICE);

    const { keytar, entries } = recordingKeytar();
    const app = new KeytarSecretStore({ loadKeytar: async () => keytar });
    const host = new KeytarSecretStore({ service: hostSecretStore().service, loadKeytar: async () => keytar });
    await app.set('account:1', 'real token');
    await host.set('account:1', 'development token');
    expect([...entries.keys()].map((k) => k.split('\u0000')[0]).sort()).toEqual([HOST_KEYCHAIN_SERVICE, KEYCHAIN_SERVICE].sort());
    expect(await app.get('account:1')).toBe('real token');
    expect(await host.get('account:1')).toBe('development token');
    await host.delete('account:1');
    expect(await app.list()).toEqual(['account:1']);
  });
});
