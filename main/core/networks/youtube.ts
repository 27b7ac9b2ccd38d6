/**
 * YouTube facts the composer, the accounts page and the connector share. Sources (cited where used):
 * [videos] developers.google.com/youtube/v3/docs/videos (snippet.title/description/tags, status.publishAt),
 * [quota] developers.google.com/youtube/v3/determine_quota_cost,
 * [shorts] support.google.com/youtube/answer/15424877 (Shorts: square or vertical, up to 3 minutes),
 * [native] developers.google.com/identity/protocols/oauth2/native-app (Desktop clients, loopback on any port, PKCE).
 * The Discovery document used by the fake is tests/fakes/specs/youtube-v3-discovery.json.
 */

/** youtube.upload uploads, sets thumbnails, updates and deletes the channel's videos; youtube.readonly lists the channel and its videos. */
export const YOUTUBE_SCOPES = ['https://www.googleapis.com/auth/youtube.upload', 'https://www.googleapis.com/auth/youtube.readonly'] as const;

/** [videos] snippet limits: title ≤100 characters, description ≤5000 bytes, tags ≤500 characters together; no < or > in title and description. */
export const YOUTUBE_TITLE_MAX = 100;
export const YOUTUBE_DESCRIPTION_MAX_BYTES = 5000;
export const YOUTUBE_TAGS_MAX = 500;

/** [shorts] A video YouTube shows as a Short: square or vertical and at most 3 minutes. */
export const YOUTUBE_SHORTS_MAX_MS = 3 * 60_000;

/** [quota] The default daily allowance: uploads have their own bucket of 100 calls, everything else 10,000 units. */
export const YOUTUBE_DAILY_UPLOADS = 100;
export const YOUTUBE_DAILY_UNITS = 10_000;
/** [quota] Units per call Outpost makes (videos.insert counts 1 in the upload bucket). */
export const YOUTUBE_UNITS = { list: 1, update: 50, delete: 50, thumbnail: 50 } as const;

/** A Google OAuth client id of any type ends so ("123-abc.apps.googleusercontent.com"). */
export const GOOGLE_CLIENT_ID = /^[\w-]+\.apps\.googleusercontent\.com$/;

/** Categories a video may be filed under (videoCategories.list, region US; assignable ones only). */
export const YOUTUBE_CATEGORIES = ['1', '2', '10', '15', '17', '19', '20', '22', '23', '24', '25', '26', '27', '28', '29'] as const;
export type YouTubeCategory = (typeof YOUTUBE_CATEGORIES)[number];
/** People & Blogs: YouTube's own default for a new upload. */
export const YOUTUBE_DEFAULT_CATEGORY: YouTubeCategory = '22';

export type YouTubePrivacy = 'public' | 'unlisted' | 'private';

/** The video's own fields beside its description (the post's text); unset: the defaults named. */
export interface YouTubePostOptions {
  /** Unset: the text's first line. */
  title?: string;
  tags?: string[];
  categoryId?: string;
  /** Default public; a scheduled video is private until its time either way. */
  privacy?: YouTubePrivacy;
  /** Required by YouTube's rules (COPPA); unset is "not made for kids", said in the composer. */
  madeForKids?: boolean;
  /** Ask for a Short (#Shorts in the description) when the video qualifies. */
  shorts?: boolean;
}

export type YouTubeOptionsIssue =
  | { code: 'youtube_title_required' }
  | { code: 'youtube_title_too_long'; max: number }
  | { code: 'youtube_angle_brackets' }
  | { code: 'youtube_tags_too_long'; max: number }
  | { code: 'youtube_category_invalid' };

/** The title sent: the option, else the text's first line (cut to the limit). */
export function youtubeTitle(options: YouTubePostOptions | undefined, text: string): string {
  const own = options?.title?.trim() ?? '';
  if (own !== '') return own;
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  return [...line].slice(0, YOUTUBE_TITLE_MAX).join('');
}

/** [videos] Tags' length as YouTube counts it: a tag with a space counts its quotes, commas between tags count. */
export function youtubeTagsLength(tags: readonly string[]): number {
  const clean = tags.map((t) => t.trim()).filter(Boolean);
  return clean.reduce((sum, tag) => sum + [...tag].length + (tag.includes(' ') ? 2 : 0), 0) + Math.max(0, clean.length - 1);
}

/** What stops these options, as codes; the composer, readiness and the connector share it. */
export function youtubeOptionsIssues(options: YouTubePostOptions | undefined, text: string): YouTubeOptionsIssue[] {
  const issues: YouTubeOptionsIssue[] = [];
  const title = youtubeTitle(options, text);
  if (title === '') issues.push({ code: 'youtube_title_required' });
  else if ([...title].length > YOUTUBE_TITLE_MAX) issues.push({ code: 'youtube_title_too_long', max: YOUTUBE_TITLE_MAX });
  if (/[<>]/.test(title) || /[<>]/.test(text)) issues.push({ code: 'youtube_angle_brackets' });
  if (youtubeTagsLength(options?.tags ?? []) > YOUTUBE_TAGS_MAX) issues.push({ code: 'youtube_tags_too_long', max: YOUTUBE_TAGS_MAX });
  if (options?.categoryId !== undefined && !(YOUTUBE_CATEGORIES as readonly string[]).includes(options.categoryId)) issues.push({ code: 'youtube_category_invalid' });
  return issues;
}

/** The issue in English, for the connector's refusal. */
export function youtubeIssueSentence(issue: YouTubeOptionsIssue): string {
  switch (issue.code) {
    case 'youtube_title_required':
      return 'A YouTube video needs a title: give one in the YouTube options or start the text with it.';
    case 'youtube_title_too_long':
      return `A YouTube title holds at most ${issue.max} characters.`;
    case 'youtube_angle_brackets':
      return 'YouTube refuses < and > in a video\'s title and description.';
    case 'youtube_tags_too_long':
      return `YouTube tags hold at most ${issue.max} characters together.`;
    case 'youtube_category_invalid':
      return 'That YouTube category cannot be chosen for an upload.';
  }
}

/** [shorts] Whether a video of this shape and length would be a Short; unknown size or length: no. */
export function qualifiesForShorts(video: { width?: number; height?: number; durationMs?: number }): boolean {
  if (!video.width || !video.height || video.durationMs === undefined) return false;
  return video.height >= video.width && video.durationMs <= YOUTUBE_SHORTS_MAX_MS;
}

/** [quota] What one video costs: one upload of the day's 100, and units for the thumbnail and the checks around it. */
export function youtubeVideoCost(withThumbnail: boolean): { uploads: number; units: number } {
  return { uploads: 1, units: (withThumbnail ? YOUTUBE_UNITS.thumbnail : 0) + YOUTUBE_UNITS.list };
}

/** "3:07", "1:02:03": the length a watch page shows on the thumbnail. */
export function videoDurationLabel(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
