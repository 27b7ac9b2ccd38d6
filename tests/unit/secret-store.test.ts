import { describe, expect, it } from 'vitest';
import { KeychainUnavailableError } from '../../main/services/secrets/secret-store';
import { KeytarSecretStore } from '../../main/services/secrets/keytar-store';

type Keytar = ConstructorParameters<typeof KeytarSecretStore>[1] extends (() => Promise<infer K>) | undefined ? K : never;

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
    const store = new KeytarSecretStore('Outpost-test', async () => brokenKeytar);
    expect(await store.status()).toEqual({ available: false, detail: noDbus.message });
    const saving = store.set('account:telegram:1', 'bot-token');
    await expect(saving).rejects.toBeInstanceOf(KeychainUnavailableError);
    await expect(saving).rejects.toThrow(/keychain is not available.*nothing was saved/i);
  });

  it('reports a keytar that cannot load at all (no libsecret) the same way', async () => {
    const store = new KeytarSecretStore('Outpost-test', () => Promise.reject(new Error('libsecret-1.so.0: cannot open shared object file')));
    const status = await store.status();
    expect(status.available).toBe(false);
    expect(status.detail).toMatch(/libsecret/);
  });
});
