import type { MediaItem } from '../../core/connector';
import type { MediaRelay } from '../../core/media-relay';
import type { NetworkId } from '../../core/networks/ids';
import { readFacebookSecret } from '../connectors/facebook/api';
import type { GraphHttp } from '../connectors/meta/graph';
import type { Services } from '../services-types';
import { createPageRelay } from './page-relay';
import { RelayFailure } from './relay-failure';
import { readRelay, type RelayRow } from './relay-repo';
import { createS3Relay } from './s3-relay';

/**
 * Which relay an account's publish uses: its project's choice (Settings), where it serves the
 * network. The bucket's S3 relay serves Threads and Instagram; the Page relay only Instagram,
 * with the account's own Page and token. Nothing is read from the keychain until a file is put,
 * so text-only posts never touch the relay's secret.
 */

export interface RelayAccount {
  projectId: string;
  network: NetworkId;
  /** The account's connector config (Instagram: { pageId }). */
  config: unknown;
  /** The account's keychain secret as it is at the call (Instagram: the linked Page's sign-in, as JSON). */
  secret(): string;
  /** Where the Facebook Graph API is (the Page relay uploads to the Page). */
  facebookBaseUrl: string;
}

export function relayFor(services: Pick<Services, 'db' | 'secrets' | 'connectors' | 'clock'>, account: RelayAccount): MediaRelay | undefined {
  if (account.network !== 'instagram' && account.network !== 'threads') return undefined;
  const saved = readRelay(services.db, account.projectId);
  if (saved.kind === 's3') return bucketRelay(services, saved);
  if (saved.kind === 'page' && account.network === 'instagram') {
    const pageId = (account.config as { pageId?: unknown } | null)?.pageId;
    if (typeof pageId !== 'string' || pageId === '') return undefined;
    return createPageRelay(() => pageHttp(services, account), pageId);
  }
  return undefined;
}

function pageHttp(services: Pick<Services, 'connectors' | 'clock'>, account: RelayAccount): GraphHttp {
  const credentials = readFacebookSecret(account.secret());
  return {
    baseUrl: account.facebookBaseUrl,
    fetch: services.connectors.fetch,
    now: () => services.clock.now(),
    token: credentials.pageToken,
    appSecret: credentials.appSecret,
    name: 'Facebook',
  };
}

/** The project's bucket, its secret key read from the keychain at the first file. */
export function bucketRelay(services: Pick<Services, 'secrets'>, saved: RelayRow): MediaRelay {
  let relay: Promise<MediaRelay> | undefined;
  const open = async (): Promise<MediaRelay> => {
    const secret = saved.secretRef ? await services.secrets.get(saved.secretRef) : null;
    if (!saved.s3 || secret === null) {
      throw new RelayFailure('not_set_up', 'validation', 'The media relay’s bucket has no secret key in the keychain; enter it again in Settings → Media relay.');
    }
    return createS3Relay(saved.s3, secret);
  };
  return {
    async put(media: MediaItem, options?: { signal?: AbortSignal }) {
      relay ??= open();
      try {
        return await (await relay).put(media, options);
      } catch (error) {
        if (error instanceof RelayFailure && error.reason === 'not_set_up') relay = undefined;
        throw error;
      }
    },
  };
}
