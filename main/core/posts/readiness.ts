import type { NetworkOptions, PostMediaItem, PostProblem } from '../contract/posts';
import { relayMissing, type RelayKind } from '../contract/relay';
import type { NetworkId } from '../networks/ids';
import { checkPost, type PostCheck, type PostIssue } from '../networks/check';
import type { PostMedia } from '../networks/count';
import type { VideoStreamFacts } from '../video';
import { apiDeletes, type MastodonInstanceLimits, type RuleOptions } from '../networks/rules';
import { THREADS_TOPIC_TAG_MAX, threadsOptionsIssues } from '../networks/threads';
import { pinterestOptionsIssues } from '../networks/pinterest';
import { youtubeOptionsIssues } from '../networks/youtube';
import { discordOptionsIssues } from '../networks/discord';
import { hasPoll, pollIssues } from '../networks/polls';
import { chainTexts, hasThread, takesChains } from './thread';

/**
 * Whether a post may be scheduled, and why not: shared by the composer (the list under the
 * Schedule button, updated as the user types) and main (checked again in posts.schedule), so
 * the two can never disagree. Network rules come from core/networks' checkPost.
 */

/** One target as the rules see it: the text and media that would go out on that account. */
export interface TargetDraft {
  accountId: string;
  network: NetworkId;
  /** 'planned': the network was chosen before an account of it was connected; such a target cannot be scheduled. */
  accountStatus: 'connected' | 'reconnect_needed' | 'disconnected' | 'planned';
  ruleOptions?: RuleOptions;
  /** How long after publishing the network lets the post be deleted; null or left out: no limit. */
  deleteWindowMs?: number | null;
  text: string;
  media: readonly PostMediaItem[];
}

export interface ReadinessInput {
  targets: readonly TargetDraft[];
  /** UTC ms, or null when no time is chosen. */
  scheduledAt: number | null;
  now: number;
  /** The post's auto-delete delay, or null/left out when it stays up. */
  autoDeleteAfterMs?: number | null;
  /** Checks already made for these targets (the composer's memoised ones), by accountId. */
  checks?: ReadonlyMap<string, PostCheck>;
  /** The post's first comment and network options: VK takes no comment under a post whose comments are closed. */
  firstComment?: string;
  networkOptions?: NetworkOptions;
  /** The project's media relay (Settings); left out: not known here, not checked. */
  mediaRelay?: RelayKind;
  /** The media of a thread part by id (networkOptions.thread); left out: parts are checked without their media. */
  partMedia?: (ids: readonly string[]) => PostMediaItem[];
}

/** Posts due sooner than this are too close to hand to the scheduler reliably. */
export const SCHEDULE_LEAD_MS = 60_000;

function toDraftMedia(item: PostMediaItem & { stream?: VideoStreamFacts }): PostMedia {
  const media: PostMedia = { mime: item.mime, bytes: item.bytes };
  if (item.width !== null) media.width = item.width;
  if (item.height !== null) media.height = item.height;
  if (item.altText) media.alt = item.altText;
  if (item.durationMs !== null) media.durationMs = item.durationMs;
  // Read in the window with WebCodecs; main has no decoder, so it checks without them.
  if (item.stream) Object.assign(media, item.stream);
  return media;
}

/** Counts and issues of one target, by the network's rules (with the account's own limits). */
export function checkTarget(target: Pick<TargetDraft, 'network' | 'text' | 'media' | 'ruleOptions'>): PostCheck {
  return checkPost(target.network, { text: target.text, media: target.media.map(toDraftMedia) }, target.ruleOptions ?? {});
}

function ratioName(value: number): string {
  const known: [number, string][] = [
    [4 / 5, '4:5'],
    [1.91, '1.91:1'],
    [1, '1:1'],
    [16 / 9, '16:9'],
    [9 / 16, '9:16'],
    [3 / 2, '3:2'],
    [2 / 3, '2:3'],
    [4 / 3, '4:3'],
    [3 / 4, '3:4'],
  ];
  for (const [ratio, name] of known) if (Math.abs(ratio - value) < 0.01) return name;
  return value >= 1 ? `${(Math.round(value * 100) / 100).toString()}:1` : `1:${(Math.round((1 / value) * 100) / 100).toString()}`;
}

/** A network issue as a problem the UI can word: numbers flattened into params, the media named by id. */
export function issueToProblem(issue: PostIssue, target: Pick<TargetDraft, 'accountId' | 'network' | 'media'>): PostProblem {
  const params: Record<string, string | number> = {};
  const problem: PostProblem = {
    code: issue.code,
    severity: issue.severity,
    accountId: target.accountId,
    network: target.network,
    params,
  };
  if ('limit' in issue) params.limit = issue.limit;
  if ('actual' in issue && (typeof issue.actual === 'number' || typeof issue.actual === 'string')) params.actual = issue.actual;
  if ('field' in issue) params.field = issue.field;
  if ('unit' in issue) params.unit = issue.unit;
  if ('allowed' in issue) params.allowed = issue.allowed.map((mime) => mime.replace(/^image\/|^video\//, '').toUpperCase()).join(', ');
  if ('mediaIndex' in issue && issue.mediaIndex !== undefined) {
    params.position = issue.mediaIndex + 1;
    const item = target.media[issue.mediaIndex];
    if (item) {
      problem.mediaId = item.mediaId;
      params.fileName = item.fileName;
    }
  }
  if (issue.code === 'aspect_ratio' || issue.code === 'video_aspect' || issue.code === 'carousel_cropped') {
    params.limit = ratioName(issue.limit);
    params.actual = ratioName(issue.actual);
  }
  if ('fix' in issue) {
    const fix = issue.fix;
    params.fix = fix.key;
    if (fix.key === 'crop') params.fixAspect = `${fix.aspect.width}:${fix.aspect.height}`.replace('191:100', '1.91:1');
    if (fix.key === 'crop' || fix.key === 'resize') {
      params.fixWidth = fix.width;
      params.fixHeight = fix.height;
    }
    if (fix.key === 'convert') params.fixMime = fix.mime.replace(/^image\/|^video\//, '').toUpperCase();
    if (fix.key === 'compress') params.fixMaxBytes = fix.maxBytes;
    if (fix.key === 'remove_media') params.fixCount = fix.count;
    if (fix.key === 'trim') params.fixSeconds = Math.floor(fix.maxDurationMs / 1000);
    if (fix.key === 'reencode' || fix.key === 'reencode_audio') params.fixCodec = fix.codec;
    if (fix.key === 'reencode' && fix.frameRate !== undefined) params.fixFrameRate = fix.frameRate;
  }
  if (issue.code === 'video_too_long' || issue.code === 'video_too_short') {
    params.limit = issue.limit / 1000;
    params.actual = Math.round(issue.actual / 100) / 10;
  }
  if (issue.code === 'video_aspect_range') {
    params.limit = ratioName(issue.limit);
    params.actual = ratioName(issue.actual);
  }
  return problem;
}

/**
 * Everything that stands between the post and the schedule (severity error), plus what the
 * networks will change on their own (warning), in a stable order: the post first, then each
 * target in order.
 */
export function readinessProblems(input: ReadinessInput): PostProblem[] {
  const problems: PostProblem[] = [];
  if (input.targets.length === 0) problems.push({ code: 'no_targets', severity: 'error', params: {} });
  if (input.scheduledAt === null) problems.push({ code: 'no_time', severity: 'error', params: {} });
  else if (input.scheduledAt < input.now + SCHEDULE_LEAD_MS) problems.push({ code: 'time_in_past', severity: 'error', params: {} });

  // Asked to word every account differently: two that would still post the same words are named.
  if (input.networkOptions?.unique && input.targets.length > 1) {
    const byText = new Map<string, TargetDraft[]>();
    for (const target of input.targets) byText.set(target.text, [...(byText.get(target.text) ?? []), target]);
    for (const same of byText.values()) {
      if (same.length < 2) continue;
      const [first, ...rest] = same as [TargetDraft, ...TargetDraft[]];
      for (const target of rest) {
        problems.push({ code: 'text_not_unique', severity: 'error', accountId: target.accountId, network: target.network, params: { otherNetwork: first.network } });
      }
    }
  }

  for (const target of input.targets) {
    const where = { accountId: target.accountId, network: target.network };
    if (target.accountStatus === 'reconnect_needed') {
      problems.push({ code: 'account_reconnect_needed', severity: 'error', ...where, params: {} });
    } else if (target.accountStatus === 'disconnected') {
      problems.push({ code: 'account_disconnected', severity: 'error', ...where, params: {} });
    } else if (target.accountStatus === 'planned') {
      // Drafted for the network before its account existed: the user says which connected account takes it.
      problems.push({ code: 'account_missing', severity: 'error', ...where, params: {} });
    }
    const window = target.deleteWindowMs ?? null;
    // The scheduler would publish and then be refused the delete: better to say so before it goes out.
    if (input.autoDeleteAfterMs != null && window !== null && input.autoDeleteAfterMs > window) {
      problems.push({ code: 'auto_delete_beyond_window', severity: 'error', ...where, params: { limitHours: window / 3_600_000 } });
    }
    // Instagram's API cannot delete a post (CONTRACTS.md §7): the delete would fail after it went out.
    if (input.autoDeleteAfterMs != null && !apiDeletes(target.network)) {
      problems.push({ code: 'auto_delete_not_supported', severity: 'error', ...where, params: {} });
    }
    if (target.network === 'threads') {
      for (const issue of threadsOptionsIssues(input.networkOptions?.threads, target.media.length)) {
        problems.push({ code: issue.code, severity: 'error', ...where, params: 'reason' in issue ? { reason: issue.reason, limit: THREADS_TOPIC_TAG_MAX } : {} });
      }
    }
    if (hasPoll(input.networkOptions?.poll)) {
      for (const issue of pollIssues(target.network, input.networkOptions.poll, target.text, target.media.length)) {
        const { code, ...params } = issue;
        problems.push({ code, severity: 'error', ...where, params });
      }
    }
    if (target.network === 'pinterest') {
      for (const issue of pinterestOptionsIssues(input.networkOptions?.pinterest)) {
        problems.push({ code: issue.code, severity: 'error', ...where, params: 'max' in issue ? { limit: issue.max } : {} });
      }
    }
    if (target.network === 'discord') {
      for (const issue of discordOptionsIssues(input.networkOptions?.discord)) {
        problems.push({ code: issue.code, severity: 'error', ...where, params: { limit: issue.max } });
      }
    }
    if (target.network === 'youtube') {
      for (const issue of youtubeOptionsIssues(input.networkOptions?.youtube, target.text)) {
        problems.push({ code: issue.code, severity: 'error', ...where, params: 'max' in issue ? { limit: issue.max } : {} });
      }
    }
    // Instagram and Threads fetch files by address: without a relay that serves them the post would fail at its time.
    const noRelay = input.mediaRelay === undefined ? null : relayMissing(target.network, target.media, input.mediaRelay);
    if (noRelay) problems.push({ code: noRelay, severity: 'error', ...where, params: {} });
    // VK refuses every comment, the community's too, under a post with closed comments (error 213).
    if (target.network === 'vk' && input.networkOptions?.vk?.closeComments && input.firstComment?.trim()) {
      problems.push({ code: 'first_comment_comments_closed', severity: 'error', ...where, params: {} });
    }
    const thread = input.networkOptions?.thread;
    const chain = hasThread(thread) && takesChains(target.network) ? chainTexts(target.text, thread) : null;
    if (hasThread(thread) && !chain) problems.push({ code: 'thread_not_supported', severity: 'error', ...where, params: { parts: thread.parts.length + 1 } });
    // Numbered, the first part carries its "1/3" too, so the composer's check of the bare text does not do.
    const first = chain && thread?.numbered ? checkTarget({ ...target, text: chain[0] ?? target.text }) : (input.checks?.get(target.accountId) ?? checkTarget(target));
    for (const issue of first.issues) problems.push(issueToProblem(issue, target));
    if (chain) problems.push(...partProblems(input, target, chain));
  }
  return problems;
}

/** Each part after the first counted by the target's network, as it will go out (with its number); problems name the part. */
function partProblems(input: ReadinessInput, target: TargetDraft, chain: readonly string[]): PostProblem[] {
  const problems: PostProblem[] = [];
  const parts = input.networkOptions?.thread?.parts ?? [];
  parts.forEach((part, index) => {
    const position = index + 2;
    const media = input.partMedia?.(part.media) ?? [];
    if (!part.text.trim() && part.media.length === 0) {
      problems.push({ code: 'thread_part_empty', severity: 'error', accountId: target.accountId, network: target.network, params: { part: position } });
      return;
    }
    // Instagram and Threads fetch a part's files by address too.
    const noRelay = input.mediaRelay === undefined ? null : relayMissing(target.network, media, input.mediaRelay);
    if (noRelay) problems.push({ code: noRelay, severity: 'error', accountId: target.accountId, network: target.network, params: { part: position } });
    const check = checkTarget({ network: target.network, ruleOptions: target.ruleOptions, text: chain[index + 1] ?? part.text, media });
    for (const issue of check.issues) {
      const problem = issueToProblem(issue, { ...target, media });
      problems.push({ ...problem, params: { ...problem.params, part: position } });
    }
  });
  return problems;
}

export function blocksScheduling(problems: readonly PostProblem[]): boolean {
  return problems.some((problem) => problem.severity === 'error');
}

/** Rule settings an account carries: a Mastodon instance's own limits, read at sign-in into its config. */
export function ruleOptionsFor(network: NetworkId, stored: Record<string, unknown>): RuleOptions {
  const limits = stored.limits;
  if (network === 'mastodon' && typeof limits === 'object' && limits !== null) {
    return { mastodon: limits as Partial<MastodonInstanceLimits> };
  }
  return {};
}
