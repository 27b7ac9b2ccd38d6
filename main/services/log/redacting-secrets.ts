import type { SecretStore } from '../secrets/secret-store';
import type { Logger } from './logger';

/** Every string inside a JSON secret (Mastodon and Bluesky keep tokens in a JSON blob). */
function leaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) leaves(item, out);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) leaves(item, out);
  return out;
}

function register(logger: Logger, secret: string | null): void {
  if (!secret) return;
  logger.registerSecret(secret);
  try {
    for (const leaf of leaves(JSON.parse(secret))) if (leaf.length >= 8) logger.registerSecret(leaf);
  } catch {
    // Not JSON: a bare token, registered whole above.
  }
}

/** The secret store, telling the logger every value it reads or writes, so no line can carry one. */
export function redactingSecretStore(store: SecretStore, logger: Logger): SecretStore {
  return {
    get: async (key) => {
      const secret = await store.get(key);
      register(logger, secret);
      return secret;
    },
    set: async (key, secret) => {
      register(logger, secret);
      try {
        await store.set(key, secret);
      } catch (error) {
        // Keys name an account's entry ("account:<id>"), never a secret; the value itself is registered above.
        logger.error('keychain: a sign-in could not be saved', { key, err: error });
        throw error;
      }
    },
    delete: async (key) => {
      try {
        return await store.delete(key);
      } catch (error) {
        logger.error('keychain: a sign-in could not be removed', { key, err: error });
        throw error;
      }
    },
    list: () => store.list(),
    status: () => store.status(),
  };
}
