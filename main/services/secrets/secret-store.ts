/** The OS keychain, and nothing else, holds every token, password and webhook URL. */
export interface SecretStore {
  /** Throws KeychainUnavailableError when there is no usable keychain. */
  get(key: string): Promise<string | null>;
  set(key: string, secret: string): Promise<void>;
  delete(key: string): Promise<boolean>;
  /** The keys Outpost has stored (never the secrets). */
  list(): Promise<string[]>;
  status(): Promise<{ available: boolean; detail?: string }>;
}

export class KeychainUnavailableError extends Error {
  constructor(readonly detail: string) {
    super(`The system keychain is not available (${detail}). Outpost keeps sign-ins only in the keychain, so nothing was saved.`);
    this.name = 'KeychainUnavailableError';
  }
}

export const KEYCHAIN_SERVICE = 'Outpost';
