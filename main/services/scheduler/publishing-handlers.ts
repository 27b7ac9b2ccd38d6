import type { HandlersOf, Post, publishingRequests } from '../../core/contract';
import { DomainError } from '../../core/errors';
import { blocksScheduling } from '../../core/posts/readiness';
import { mustGetProject } from '../projects/project-rules';
import { beingPublished, deleteWindows, instantOf, mustGetPost, mustReadPost, postProblems } from '../posts/post-rules';
import { bumpRevision, isPublishing, postIdOfTarget } from '../posts/posts-repo';
import type { Services } from '../services-types';
import { answerCaptcha, captchaImage } from './captcha';
import { listNeedsAttention, postHistory } from './history-repo';
import { confirmPublished, publishPostNow, reschedulePost, resumeThread, translated, type SchedulingDeps } from './scheduling';
import { relayKinds } from '../relay/relay-repo';
import { ConnectorError } from '../../core/connector';
import { openAccountConnection } from '../accounts/account-connection';
import { appendJournal } from './jobs-repo';

/** Problems that do not stop "publish now": it has no time of its own to check. */
const TIME_PROBLEMS = new Set(['no_time', 'time_in_past']);

const EXCERPT_LENGTH = 140;

/** The publishing.* requests: "publish now", reschedule, "I checked: it is published", a captcha's picture and answer, a post's history and the needs-attention list. */
export function publishingHandlers(services: Services): HandlersOf<typeof publishingRequests> {
  const { db, clock, emit } = services;
  const deps: SchedulingDeps = { db, clock, wake: () => services.scheduler.wake() };
  const changed = (post: Post) => emit('posts.changed', { projectId: post.projectId, postId: post.id, revision: post.revision });

  return {
    'publishing.publishNow': ({ id }) => {
      const post = db.transaction(() => {
        const { post: found, unreadable } = mustReadPost(db, id);
        if (found.status === 'published') {
          throw new DomainError('validation', 'Every account of this post already has it.', { reason: 'post_already_published' });
        }
        if (isPublishing(db, id)) throw beingPublished();
        if (found.status === 'draft') {
          const problems = postProblems(found, clock.now(), deleteWindows(services), unreadable, relayKinds(services)).filter((p) => !TIME_PROBLEMS.has(p.code));
          if (blocksScheduling(problems)) {
            throw new DomainError('validation', 'This post cannot be published until its problems are fixed.', {
              reason: 'post_not_ready',
              details: { problems: problems.length },
            });
          }
        }
        translated(() => publishPostNow(deps, id));
        bumpRevision(db, id, clock.now());
        return mustGetPost(db, id);
      })();
      changed(post);
      return post;
    },

    'publishing.history': ({ id }) => {
      mustGetPost(db, id);
      return postHistory(db, id).map((line) => ({
        id: line.id,
        at: line.at,
        event: line.event,
        jobKind: line.jobKind,
        targetId: line.targetId,
        accountId: line.accountId,
        network: line.network,
        handle: line.handle,
        attempt: line.attempt,
        message: line.message,
        networkSaid: line.networkSaid,
        ...(line.cause ? { cause: line.cause } : {}),
        reason: line.reason,
        url: line.url,
        nextAt: line.nextAt,
        ...(line.part !== undefined ? { part: line.part } : {}),
        ...(line.parts !== undefined ? { parts: line.parts } : {}),
      }));
    },

    'publishing.reschedule': ({ id, local, at }) => {
      const post = db.transaction(() => {
        const found = mustGetPost(db, id);
        if (found.status === 'draft' || found.status === 'published') {
          throw new DomainError('validation', `A ${found.status} post has no schedule to move.`, { reason: 'post_not_scheduled' });
        }
        const instant = local === undefined ? at : (instantOf(local, mustGetProject(db, found.projectId).timezone) ?? undefined);
        if (instant === undefined || instant < clock.now()) {
          throw new DomainError('validation', 'Choose a time that has not passed yet.', { field: 'local', reason: 'time_in_past' });
        }
        translated(() => reschedulePost(deps, id, instant));
        bumpRevision(db, id, clock.now());
        return mustGetPost(db, id);
      })();
      changed(post);
      return post;
    },

    'publishing.confirmPublished': ({ targetId, url }) => {
      const postId = postIdOfTarget(db, targetId);
      if (!postId) throw new DomainError('not_found', `There is no post target with id ${targetId}.`, { reason: 'target_missing' });
      translated(() => confirmPublished(deps, targetId, url ?? null));
      const post = mustGetPost(db, postId);
      changed(post);
      return post;
    },

    'publishing.editPublished': async ({ targetId, text }) => {
      const target = db
        .prepare(
          `SELECT t.post_id AS postId, t.account_id AS accountId, t.state, t.remote_id AS remoteId, j.id AS jobId, j.idempotency_key AS idempotencyKey
           FROM post_targets t LEFT JOIN jobs j ON j.target_id = t.id AND j.kind = 'publish' WHERE t.id = ?`,
        )
        .get(targetId) as { postId: string; accountId: string; state: string; remoteId: string | null; jobId: string | null; idempotencyKey: string | null } | undefined;
      if (!target) throw new DomainError('not_found', `There is no post target with id ${targetId}.`, { reason: 'target_missing' });
      if (target.state !== 'published' || !target.remoteId) {
        throw new DomainError('validation', 'Only a message that is out can be edited.', { reason: 'target_not_published' });
      }
      const remoteId = target.remoteId;
      try {
        const connection = await openAccountConnection(services, target.accountId);
        if (!connection.connector.edit) {
          throw new DomainError('validation', `Outpost cannot edit a published ${connection.account.network} post.`, { reason: 'edit_not_supported' });
        }
        await connection.connector.edit(connection.ctx, remoteId, text);
      } catch (error) {
        if (!(error instanceof ConnectorError)) throw error;
        // The network's refusal, in its words where it gave some; nothing changed there.
        throw new DomainError(error.kind === 'validation' ? 'validation' : 'network', error.message, {
          reason: 'edit_refused',
          ...(error.networkSaid ? { networkSaid: error.networkSaid } : {}),
        });
      }
      const now = clock.now();
      db.transaction(() => {
        db.prepare(`UPDATE post_targets SET body_override = ? WHERE id = ?`).run(text.trim(), targetId);
        if (target.jobId && target.idempotencyKey) appendJournal(db, { id: target.jobId, idempotencyKey: target.idempotencyKey }, 'edited', now);
        bumpRevision(db, target.postId, now);
      })();
      const post = mustGetPost(db, target.postId);
      changed(post);
      return post;
    },

    'publishing.resumeThread': ({ targetId }) => {
      const postId = postIdOfTarget(db, targetId);
      if (!postId) throw new DomainError('not_found', `There is no post target with id ${targetId}.`, { reason: 'target_missing' });
      translated(() => resumeThread(deps, targetId));
      bumpRevision(db, postId, clock.now());
      const post = mustGetPost(db, postId);
      changed(post);
      return post;
    },

    'publishing.answerCaptcha': ({ jobId, captchaId, answer }) => {
      const postId = answerCaptcha(services, jobId, captchaId, answer);
      bumpRevision(db, postId, clock.now());
      services.scheduler.wake();
      const post = mustGetPost(db, postId);
      changed(post);
      return post;
    },

    'publishing.captchaImage': ({ jobId }) => captchaImage(services, jobId),

    'publishing.attention': ({ projectId }) =>
      listNeedsAttention(db, projectId).map(({ body, cause, ...item }) => ({
        ...item,
        ...(cause ? { cause } : {}),
        excerpt: body.length > EXCERPT_LENGTH ? `${body.slice(0, EXCERPT_LENGTH - 1)}…` : body,
      })),
  };
}
