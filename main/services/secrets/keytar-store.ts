import type * as KeytarModule from '@github/keytar';
import { KEYCHAIN_SERVICE, KeychainUnavailableError, type SecretStore } from './secret-store';

type Keytar = typeof KeytarModule;

/**
 * SecretStore on the OS keychain through keytar (Keychain on macOS, Credential Vault on
 * Windows, Secret Service on Linux). There is deliberately no plain-text fallback.
 */
export interface KeytarSecretStoreOptions {
  /** The keychain service every entry is filed under; the app's own by default. */
  service?: string;
  /** Injectable so a test can stand in a keychain that is missing or broken. */
  loadKeytar?: () => Promise<Keytar>;
}

export class KeytarSecretStore implements SecretStore {
  readonly service: string;
  private readonly loadKeytar: () => Promise<Keytar>;
  private keytar: Promise<Keytar> | undefined;

  constructor(options: KeytarSecretStoreOptions = {}) {
    this.service = options.service ?? KEYCHAIN_SERVICE;
    this.loadKeytar =
      options.loadKeytar ?? (() => import('@github/keytar').then((m) => ((m as { default?: Keytar }).default ?? m) as Keytar));
  }

  private load(): Promise<Keytar> {
    this.keytar ??= this.loadKeytar();
    return this.keytar;
  }

  private async call<T>(fn: (k: Keytar) => Promise<T>): Promise<T> {
    let keytar: Keytar;
    try {
      keytar = await this.load();
    } catch (error) {
      this.keytar = undefined;
      throw new KeychainUnavailableError(`keytar could not be loaded: ${String((error as Error).message ?? error)}`);
    }
    try {
      return await fn(keytar);
    } catch (error) {
      throw new KeychainUnavailableError(String((error as Error).message ?? error));
    }
  }

  get(key: string): Promise<string | null> {
    return this.call((k) => k.getPassword(this.service, key));
  }

  set(key: string, secret: string): Promise<void> {
    return this.call((k) => k.setPassword(this.service, key, secret));
  }

  delete(key: string): Promise<boolean> {
    return this.call((k) => k.deletePassword(this.service, key));
  }

  async list(): Promise<string[]> {
    const found = await this.call((k) => k.findCredentials(this.service));
    return found.map((c) => c.account).sort();
  }

  async status(): Promise<{ available: boolean; detail?: string }> {
    try {
      await this.list();
      return { available: true };
    } catch (error) {
      return { available: false, detail: error instanceof KeychainUnavailableError ? error.detail : String(error) };
    }
  }
}
