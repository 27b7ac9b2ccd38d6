import type { Post, PostProblem, RelayKind } from '../../core/contract';
import { wordPost } from '../../core/spintax';
import { DomainError } from '../../core/errors';
import type { NetworkId } from '../../core/networks/ids';
import { readinessProblems, ruleOptionsFor } from '../../core/posts/readiness';
import { fromLocal } from '../../core/posts/time';
import type { Services } from '../services-types';
import type { Db } from '../store/database';
import { isPublishing, readPost } from './posts-repo';

/** The rules main applies to a post wherever it is changed: the composer, the calendar and publishing. */

export function mustReadPost(db: Db, id: string): { post: Post; unreadable: string[] } {
  const found = readPost(db, id);
  if (!found) throw new DomainError('not_found', `There is no post with id ${id}.`, { reason: 'post_missing' });
  return found;
}

export function mustGetPost(db: Db, id: string): Post {
  return mustReadPost(db, id).post;
}

export function staleRevision(id: string): DomainError {
  return new DomainError('conflict', `Post ${id} was changed since this edit began; nothing was written.`, {
    field: 'revision',
    reason: 'post_revision_stale',
  });
}

/** The one sentence for "a target is being sent right now", whichever change it stops. */
export const BEING_PUBLISHED = 'The post is being published right now; try again in a moment.';

export function beingPublished(): DomainError {
  return new DomainError('conflict', BEING_PUBLISHED, { reason: 'post_publishing' });
}

/** The network is being called with the current content: changing it now would leave no telling what went out. */
export function refuseWhilePublishing(db: Db, postId: string): void {
  if (isPublishing(db, postId)) throw beingPublished();
}

/** A wall-clock time in the zone as an instant; null stays null (no time). */
export function instantOf(local: string | null, zone: string): number | null {
  if (local === null) return null;
  const instant = fromLocal(local, zone);
  if (instant === null) {
    throw new DomainError('validation', `${local} is not a date and time on the calendar.`, { field: 'local', reason: 'time_invalid' });
  }
  return instant;
}

/** How long after publishing a network lets posts be deleted; undefined: no limit. */
export type DeleteWindowOf = (network: NetworkId) => number | undefined;

/** The delete windows of the networks' connectors (Telegram bots: 48 hours). */
export function deleteWindows(services: Pick<Services, 'connectors'>): DeleteWindowOf {
  return (network) => services.connectors.entry(network)?.connector?.deleteWindowMs;
}

/**
 * The problems main finds with the post as stored, with the same rules the composer uses; a stored
 * value that could not be read (see readPost) blocks it too, since it would go out as a guess.
 */
export function postProblems(
  post: Post,
  now: number,
  deleteWindowOf?: DeleteWindowOf,
  unreadable: readonly string[] = [],
  relayOf?: (projectId: string) => RelayKind,
): PostProblem[] {
  const words = wordPost(post.id, post.targets.map((t) => ({ accountId: t.accountId, text: t.bodyOverride ?? post.body })), post.networkOptions.unique === true);
  const problems = readinessProblems({
    ...(relayOf ? { mediaRelay: relayOf(post.projectId) } : {}),
    scheduledAt: post.scheduledAt,
    now,
    autoDeleteAfterMs: post.autoDeleteAfterMs,
    firstComment: post.firstComment,
    networkOptions: post.networkOptions,
    partMedia: (ids) => ids.flatMap((id) => post.threadMedia?.find((item) => item.mediaId === id) ?? []),
    targets: post.targets.map((t) => ({
      accountId: t.accountId,
      network: t.network,
      accountStatus: t.accountStatus,
      ruleOptions: ruleOptionsFor(t.network, t.ruleOptions),
      deleteWindowMs: deleteWindowOf?.(t.network) ?? null,
      text: words.get(t.accountId) ?? post.body,
      media: t.mediaOverride ?? post.media,
    })),
  });
  const stored = unreadable.map((field): PostProblem => ({ code: 'stored_data_unreadable', severity: 'error', params: { field } }));
  return [...stored, ...problems];
}
