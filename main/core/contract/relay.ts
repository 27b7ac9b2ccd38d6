import { z } from 'zod';
import type { NetworkId } from '../networks/ids';
import { id, type RequestSpec } from './common';

/**
 * The media relay, chosen per project in Settings: where files go so that Instagram and Threads,
 * which fetch media by address instead of taking the bytes, can reach them (core/media-relay.ts).
 * `page`: the project's Instagram accounts upload to their linked Facebook Page, unpublished;
 * `s3`: the user's own S3-compatible bucket. The bucket's secret key lives in the keychain only.
 */

export const relayKindSchema = z.enum(['none', 'page', 's3']);
export type RelayKind = z.infer<typeof relayKindSchema>;

export const s3RelaySettingsSchema = z
  .object({
    endpoint: z.string().trim().min(1).max(500),
    region: z.string().trim().min(1).max(64),
    bucket: z.string().trim().min(1).max(255),
    pathStyle: z.boolean(),
    accessKeyId: z.string().trim().min(1).max(256),
  })
  .strict();
export type S3RelaySettingsInput = z.infer<typeof s3RelaySettingsSchema>;

export const projectRelaySchema = z.object({
  projectId: id,
  kind: relayKindSchema,
  /** The bucket's settings, kept while another kind is chosen; never the secret key, only whether the keychain has one. */
  s3: s3RelaySettingsSchema.extend({ hasSecret: z.boolean() }).nullable(),
  /** Posts of the project waiting to go out, or stopped for it, with media for Instagram or Threads that this relay cannot serve. */
  blockedScheduled: z.number().int().min(0),
});
export type ProjectRelay = z.infer<typeof projectRelaySchema>;

/** Why a relay did not work, for Settings to word: the message beside it carries the details. */
export const relayProblemSchema = z.enum([
  /** The bucket refused the access key id or the secret key. */
  'keys',
  /** No such bucket at that endpoint (or in that region). */
  'bucket',
  /** The keys may not write or delete there. */
  'access',
  /** No answer from the endpoint. */
  'unreachable',
  /** The service answered with a server error. */
  'unavailable',
  /** Another refusal by the service or by Facebook. */
  'refused',
  /** The file went up, but its address did not give it back. */
  'not_readable',
  /** The file is still there after it was removed. */
  'not_removed',
  /** Nothing to test: no relay, no secret key, or (Page relay) no Instagram account linked to a Page. */
  'not_set_up',
]);
export type RelayProblem = z.infer<typeof relayProblemSchema>;

export const relayTestResultSchema = z.object({
  ok: z.boolean(),
  problem: relayProblemSchema.nullable(),
  /** What happened, in Outpost's words (the service's own words included where it said any). */
  message: z.string().nullable(),
  /** The host the address was on (never the address: its query is a signature). */
  host: z.string().nullable(),
  tookMs: z.number().int().min(0),
});
export type RelayTestResult = z.infer<typeof relayTestResultSchema>;

export const relayRequests = {
  'relay.get': { args: z.object({ projectId: id }).strict(), result: projectRelaySchema },
  /**
   * Chooses the project's relay; with s3, its settings. `secretAccessKey` replaces the keychain's
   * entry; left out, the saved one is kept (the form never gets it back to send).
   */
  'relay.save': {
    args: z
      .object({
        projectId: id,
        kind: relayKindSchema,
        s3: s3RelaySettingsSchema.extend({ secretAccessKey: z.string().min(1).max(512).optional() }).strict().optional(),
      })
      .strict(),
    result: projectRelaySchema,
  },
  /** Puts a tiny image through the saved relay, fetches it back from its address, removes it and checks it is gone. */
  'relay.test': { args: z.object({ projectId: id }).strict(), result: relayTestResultSchema },
} as const satisfies Record<string, RequestSpec>;

export const relayEvents = {
  'relay.changed': z.object({ projectId: id, kind: relayKindSchema }),
} as const satisfies Record<string, z.ZodType>;

/** Networks that fetch media by address, and the relays that serve them: the Page relay uploads to a Facebook Page, which only Instagram can use. */
const RELAY_SERVES: Partial<Record<NetworkId, readonly RelayKind[]>> = {
  instagram: ['page', 's3'],
  threads: ['s3'],
};

/**
 * Whether a target cannot go out with the project's relay: null when it can. Instagram fetches
 * images by address (its videos go up as bytes, resumable), Threads fetches every file.
 */
export function relayMissing(network: NetworkId, media: readonly { mime: string }[], kind: RelayKind): 'media_relay_missing' | 'media_relay_page_threads' | null {
  const serves = RELAY_SERVES[network];
  if (!serves) return null;
  const fetched = network === 'instagram' ? media.some((m) => m.mime.startsWith('image/')) : media.length > 0;
  if (!fetched || serves.includes(kind)) return null;
  return kind === 'page' ? 'media_relay_page_threads' : 'media_relay_missing';
}
