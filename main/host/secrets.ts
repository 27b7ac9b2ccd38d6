import { KeytarSecretStore } from '../services/secrets/keytar-store';

/** The browser host's keychain service: development sign-ins never sit beside the user's real ones. */
export const HOST_KEYCHAIN_SERVICE = 'Outpost (development host)';

export function hostSecretStore(): KeytarSecretStore {
  return new KeytarSecretStore({ service: HOST_KEYCHAIN_SERVICE });
}
