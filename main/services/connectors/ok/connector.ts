import { beforeSending, ConnectorError, type Connector, type PublishedPost, type PublishRequest, type VerifyOutcome } from '../../../core/connector';
import { attachedLink } from '../../../core/networks/attached-link';
import { requestRefusal } from '../../../core/networks/request-check';
import { networkRules } from '../../../core/networks/rules';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_UPLOAD_TIMEOUT_MS, httpCall, isObject, mediaBlob } from '../kit/http';
import { okCall, readAnswer, type OkConfig, type OkContext, type OkCredentials } from './api';

/**
 * OK group topics (mediatopic.post type=GROUP_THEME), their deletion, and verify-after-crash.
 * The sign-in lives beside it in sign-in.ts. Sources, all on apiok.ru:
 * - dev/methods/rest/mediatopic/mediatopic.post: type, gid, attachment {media:[…]}, the text,
 *   photo and link blocks, onBehalfOfGroup; the answer is the new topic's id.
 * - dev/methods/rest/photosV2/photosV2.getUploadUrl: {upload_url, photo_ids}; the multipart upload
 *   (fields pic1…picN, dev/examples/moment_upload) answers {photos: {<photo_id>: {token}}}.
 * - dev/methods/rest/photosV2/photosV2.commit: "do not call this method for photos published in
 *   group media topics" — so there is no commit step: the upload's token goes into the photo block.
 * - mediatopic.deleteTopic (topic_id, gid) for auto-delete. ⚠ No apiok.ru page for it was in the stored
 *   docs; the name and parameters are those published OK clients call, and NOT_FOUND (300) counts as deleted.
 * - dev/methods/rest/group/group.getStatTopics and mediatopic.getByIds for verify. ⚠ The stored pages show
 *   no answer example for getStatTopics; {topics: [{id, created_ms}]} is assumed, and anything else reads
 *   as "not listed", which verify already treats as unknown (parked), never as absent.
 *
 * Decisions worth knowing:
 * - Exactly once: OK has no idempotency key. An attempt whose answer was lost is looked up among
 *   the group's topics created since it started (group.getStatTopics → mediatopic.getByIds, text
 *   compared). getStatTopics lists only topics that have statistics ("if only the author saw the
 *   topic, no statistics come"), so not finding it proves nothing: verify then says 'unknown' and
 *   the scheduler parks the post for the user. It never says "not found", so nothing is resent blindly.
 * - No native handoff, although OK has delayed group topics: mediatopic.post's attachment takes
 *   publishAtMs / publishAt (apiok.ru/dev/methods/rest/mediatopic/mediatopic.post, "Параметры для
 *   публикации групповых тем"). But apiok.ru documents no way to edit, cancel or list a delayed
 *   topic (only mediatopic.getRepublishedTopic, after it went out), and a handoff must follow the
 *   calendar's moves and cancels (updateNative / cancelNative). The local scheduler publishes instead.
 * - Video is not built (video.getUploadUrl is a separate flow); the composer's OK rules say so.
 */

export interface OkConnectorOptions {
  /** Per call without uploads (default 30 s). */
  timeoutMs?: number;
  /** Per photo upload (default 120 s). */
  uploadTimeoutMs?: number;
  /** How far OK's clock may be behind ours when matching created_ms (default 5 min). */
  clockSkewMs?: number;
}

interface UploadUrl {
  upload_url: string;
  photo_ids: string[];
}

interface MediaTopic {
  id: string;
  created_ms?: number;
  media?: Array<{ type: string; text?: string }>;
}

/** The topic's public page. */
export function okTopicUrl(groupId: string, topicId: string): string {
  return `https://ok.ru/group/${groupId}/topic/${topicId}`;
}

export function createOkConnector(options: OkConnectorOptions = {}) {
  const timeouts = { call: options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, upload: options.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS };
  const clockSkewMs = options.clockSkewMs ?? 5 * 60_000;

  return {
    network: 'ok',

    async publish(ctx: OkContext, post: PublishRequest): Promise<PublishedPost> {
      validateOkPost(post);
      const groupId = groupOf(ctx);
      const photoTokens = post.media.length > 0 ? await beforeSending(() => uploadPhotos(ctx, groupId, post, timeouts)) : [];
      const attachment = okAttachment(post, photoTokens);
      const answer = await okCall<unknown>(ctx, 'mediatopic.post', { type: 'GROUP_THEME', gid: groupId, attachment: JSON.stringify(attachment) }, timeouts.call);
      const topicId = typeof answer === 'string' || typeof answer === 'number' ? String(answer) : '';
      // OK answers "0" for apps it has not approved (apiok.ru/en/dev/sdk/js/ui.postMediatopic): nothing was made.
      if (topicId === '0') throw new ConnectorError('permanent', 'OK answered topic id 0: your OK app is not yet allowed to publish (ask OK to approve it for publishing).', { delivery: 'not_sent' });
      if (!/^\d+$/.test(topicId)) throw new ConnectorError('permanent', 'OK answered without the new topic\'s id.', { delivery: 'maybe_sent' });
      return { remoteId: topicId, url: okTopicUrl(groupId, topicId), publishedAt: ctx.now() };
    },

    async delete(ctx: OkContext, remoteId: string): Promise<void> {
      const groupId = groupOf(ctx);
      if (!/^\d+$/.test(remoteId)) throw new ConnectorError('permanent', `"${remoteId}" is not an OK topic id.`);
      try {
        await okCall<unknown>(ctx, 'mediatopic.deleteTopic', { topic_id: remoteId, gid: groupId }, timeouts.call);
      } catch (error) {
        // NOT_FOUND: deleted by hand, or our earlier attempt's answer was lost; the goal is met.
        if (error instanceof ConnectorError && error.status === 300) return;
        throw error;
      }
    },

    async verify(ctx: OkContext, attempt: { idempotencyKey: string; startedAt: number; text: string }): Promise<VerifyOutcome> {
      const groupId = groupOf(ctx);
      const listed = await okCall<unknown>(ctx, 'group.getStatTopics', {
        gid: groupId,
        start_time: String(attempt.startedAt - clockSkewMs),
        end_time: String(ctx.now() + clockSkewMs),
        count: '100',
      }, timeouts.call);
      const ids = isObject(listed) && Array.isArray(listed.topics)
        ? listed.topics.flatMap((topic: unknown) => (isObject(topic) && (typeof topic.id === 'string' || typeof topic.id === 'number') ? [String(topic.id)] : []))
        : [];
      if (ids.length > 0) {
        const found = await okCall<unknown>(ctx, 'mediatopic.getByIds', { topic_ids: ids.join(','), fields: 'media_topic.*', media_limit: '3' }, timeouts.call);
        const topics = isObject(found) && Array.isArray(found.media_topics) ? (found.media_topics as MediaTopic[]) : [];
        const wanted = attempt.text.trim();
        const match = topics.find((topic) => topicText(topic) === wanted && (topic.created_ms === undefined || topic.created_ms >= attempt.startedAt - clockSkewMs));
        if (match) return { found: true, post: { remoteId: String(match.id), url: okTopicUrl(groupId, String(match.id)), publishedAt: match.created_ms ?? ctx.now() } };
      }
      // The statistics list leaves out topics nobody else has seen yet: absence is not proof.
      return { found: 'unknown' };
    },
  } satisfies Connector<OkCredentials, OkConfig>;
}

/** The attachment JSON of a group topic: the text, the photos or else a link card; posted as the group. */
export function okAttachment(post: PublishRequest, photoTokens: string[]): Record<string, unknown> {
  const media: Array<Record<string, unknown>> = [];
  const text = post.text.trim();
  if (text !== '') media.push({ type: 'text', text });
  if (photoTokens.length > 0) media.push({ type: 'photo', list: photoTokens.map((id) => ({ id })) });
  // A card only for a topic without photos, as the composer's preview shows it.
  const link = post.linkPreview === false || photoTokens.length > 0 ? undefined : attachedLink(text);
  if (link) media.push({ type: 'link', url: link });
  return { media, onBehalfOfGroup: 'true' };
}

function topicText(topic: MediaTopic): string {
  return (topic.media ?? [])
    .filter((block) => block.type === 'text' && typeof block.text === 'string')
    .map((block) => block.text!.trim())
    .join('\n');
}

function groupOf(ctx: OkContext): string {
  const id = String(ctx.config.groupId ?? '').trim();
  if (!/^\d+$/.test(id)) throw new ConnectorError('validation', `"${id}" is not an OK group id; reconnect the group.`);
  return id;
}

/** photosV2.getUploadUrl for all photos at once, then one multipart upload; the tokens in the post's order. */
async function uploadPhotos(ctx: OkContext, groupId: string, post: PublishRequest, timeouts: { call: number; upload: number }): Promise<string[]> {
  const upload = await okCall<UploadUrl>(ctx, 'photosV2.getUploadUrl', { gid: groupId, count: String(post.media.length) }, timeouts.call);
  if (!isObject(upload) || typeof upload.upload_url !== 'string' || !Array.isArray(upload.photo_ids) || upload.photo_ids.length !== post.media.length) {
    throw new ConnectorError('permanent', 'OK did not give an upload address for the photos.');
  }
  const form = new FormData();
  post.media.forEach((item, i) => form.set(`pic${i + 1}`, mediaBlob(item), item.fileName));
  const answer = await httpCall(
    { baseUrl: upload.upload_url, fetch: ctx.fetch, name: 'OK', timeoutMs: timeouts.upload, signal: ctx.signal },
    { path: '', multipart: form },
  );
  const body = readAnswer<unknown>(answer, ctx.now());
  const photos = isObject(body) && isObject(body.photos) ? body.photos : undefined;
  return upload.photo_ids.map((photoId) => {
    const entry = photos?.[photoId];
    if (!isObject(entry) || typeof entry.token !== 'string' || entry.token === '') {
      throw new ConnectorError('permanent', 'OK\'s photo upload answered without a token for every photo.');
    }
    return entry.token;
  });
}

/** Refuses, before any call, what OK would refuse (or what Outpost does not send to OK yet): the composer's OK rules, checked once more. */
export function validateOkPost(post: PublishRequest): void {
  const refusal = requestRefusal(networkRules.ok, 'OK', post);
  if (refusal !== undefined) throw new ConnectorError('validation', refusal);
}
