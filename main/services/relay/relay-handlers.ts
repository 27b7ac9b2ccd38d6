import type { HandlersOf, ProjectRelay } from '../../core/contract';
import type { relayRequests } from '../../core/contract/relay';
import { ConnectorError } from '../../core/connector';
import { DomainError } from '../../core/errors';
import { listAccountRows } from '../accounts/accounts-repo';
import { normalizeServerUrl } from '../connectors/kit/urls';
import { mustGetProject } from '../projects/project-rules';
import { KeychainUnavailableError } from '../secrets/secret-store';
import type { Services } from '../services-types';
import { checkRelay } from './relay-check';
import { stopPostsWithoutRelay } from './relay-holds';
import { relayFor } from './relay-for';
import { readRelay, relaySecretRef, scheduledPostsBlockedBy, writeRelay, type RelayRow } from './relay-repo';

/** Settings → Media relay: each project's choice, the bucket's secret key kept in the keychain only, and the Test. */

/** S3-compatible bucket names: AWS's rules, loosened for providers that allow capitals or underscores (B2). */
const BUCKET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/;

async function inKeychain<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof KeychainUnavailableError) {
      throw new DomainError('keychain_unavailable', `The system keychain is not available (${error.detail}); Outpost keeps the bucket’s secret key only there, so nothing was saved.`);
    }
    throw error;
  }
}

export function relayHandlers(services: Services): HandlersOf<typeof relayRequests> {
  const { db, secrets, clock, emit } = services;

  async function view(saved: RelayRow): Promise<ProjectRelay> {
    const hasSecret = saved.secretRef !== null && (await inKeychain(() => secrets.list())).includes(saved.secretRef);
    return {
      projectId: saved.projectId,
      kind: saved.kind,
      s3: saved.s3 ? { ...saved.s3, hasSecret } : null,
      blockedScheduled: scheduledPostsBlockedBy(db, saved.projectId, saved.kind),
    };
  }

  return {
    'relay.get': async ({ projectId }) => {
      mustGetProject(db, projectId, 'projectId');
      return view(readRelay(db, projectId));
    },

    'relay.save': async ({ projectId, kind, s3 }) => {
      mustGetProject(db, projectId, 'projectId');
      const saved = readRelay(db, projectId);
      const next: RelayRow = { ...saved, kind };
      if (s3) {
        const { secretAccessKey, ...settings } = s3;
        let endpoint: string;
        try {
          endpoint = normalizeServerUrl(settings.endpoint, { originOnly: true });
        } catch (error) {
          throw new DomainError('validation', error instanceof ConnectorError ? error.networkMessage : 'The endpoint is not a web address.', { field: 'endpoint', reason: 'relay_endpoint_invalid' });
        }
        if (!BUCKET_NAME.test(settings.bucket)) {
          throw new DomainError('validation', `“${settings.bucket}” is not a bucket name: 3 to 255 letters, digits, dots, hyphens or underscores.`, { field: 'bucket', reason: 'relay_bucket_invalid' });
        }
        next.s3 = { ...settings, endpoint };
        if (secretAccessKey !== undefined) {
          const ref = relaySecretRef(projectId);
          await inKeychain(() => secrets.set(ref, secretAccessKey));
          next.secretRef = ref;
        }
      }
      if (kind === 's3') {
        if (!next.s3) throw new DomainError('validation', 'Fill in the bucket’s endpoint, region, name and access key id.', { field: 's3', reason: 'relay_s3_missing' });
        const hasSecret = next.secretRef !== null && (await inKeychain(() => secrets.list())).includes(next.secretRef);
        if (!hasSecret) throw new DomainError('validation', 'Enter the bucket’s secret key; Outpost keeps it in the system keychain.', { field: 'secretAccessKey', reason: 'relay_secret_missing' });
      }
      writeRelay(db, next, clock.now());
      emit('relay.changed', { projectId, kind });
      // Posts this relay cannot serve stop now, with the reason, rather than fail at their time.
      for (const change of stopPostsWithoutRelay(db, projectId, kind, clock.now())) emit('publishing.changed', change);
      return view(readRelay(db, projectId));
    },

    'relay.test': async ({ projectId }) => {
      mustGetProject(db, projectId, 'projectId');
      const saved = readRelay(db, projectId);
      const notSetUp = (message: string) => ({ ok: false, problem: 'not_set_up' as const, message, host: null, tookMs: 0 });
      if (saved.kind === 'none') return notSetUp('No media relay is chosen for this project.');
      // The Page relay works through an Instagram account's Page; the bucket serves any account alike.
      const network = saved.kind === 'page' ? 'instagram' : 'threads';
      const account = listAccountRows(db, projectId).find((a) => a.network === 'instagram' && a.status === 'connected' && a.secretRef);
      if (saved.kind === 'page' && !account) return notSetUp('The Page relay needs a connected Instagram account linked to a Facebook Page in this project.');
      let secret: string | null = null;
      if (saved.kind === 'page' && account?.secretRef) {
        const ref = account.secretRef;
        secret = await inKeychain(() => secrets.get(ref));
        if (secret === null) return notSetUp(`The keychain has no sign-in for ${account.handle}; reconnect it.`);
      }
      const signedIn = secret;
      const relay = relayFor(services, {
        projectId,
        network,
        config: account ? (JSON.parse(account.config) as unknown) : {},
        secret: () => signedIn ?? '',
        facebookBaseUrl: services.connectors.baseUrl('facebook'),
      });
      if (!relay) return notSetUp('No media relay is chosen for this project.');
      return checkRelay(relay, { fetch: services.connectors.fetch, now: () => clock.now(), expectGoneAfterRemove: saved.kind === 's3' });
    },
  };
}
