import type { PublishRequest } from '../connector';
import { checkWithRules, type PostIssue } from './check';
import type { PostDraft } from './count';
import type { NetworkRules } from './rules';

/** What a connector is about to send, as the composer's rules see it: the text as sent (trimmed) and the media. */
export function draftOfRequest(post: PublishRequest): PostDraft {
  return {
    text: post.text.trim(),
    media: post.media.map((item) => ({ mime: item.mime.toLowerCase(), bytes: item.bytes.byteLength, width: item.width, height: item.height })),
    ...(post.linkPreview === undefined ? {} : { linkPreview: post.linkPreview }),
  };
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1_000_000)} MB`;
}

/** One sentence for the user about an issue that stops the post, naming the file where there is one. */
function refusal(issue: PostIssue, name: string, post: PublishRequest): string {
  const file = 'mediaIndex' in issue && issue.mediaIndex !== undefined ? (post.media[issue.mediaIndex]?.fileName ?? `item ${issue.mediaIndex + 1}`) : '';
  switch (issue.code) {
    case 'post_empty':
      return `${name} needs text or an attachment to post.`;
    case 'text_too_long':
      return `${name} posts hold ${issue.limit} characters; this one has ${issue.actual}.`;
    case 'too_many_media':
      return `${name} posts hold ${issue.limit} attachments; this one has ${issue.actual}.`;
    case 'too_many_attachments':
      return `${name} posts hold ${issue.limit} attachments (the link counts as one); this one has ${issue.actual}.`;
    case 'format_not_supported':
      return `${file} is ${issue.actual}; ${name} takes ${issue.allowed.map((mime) => mime.replace(/^\w+\//, '').toUpperCase()).join(', ')}.`;
    case 'video_not_supported':
      return `${file} is a video; Outpost does not send video to ${name} yet.`;
    case 'image_too_large':
    case 'video_too_large':
      return `${file} is larger than ${name}'s ${megabytes(issue.limit)} limit.`;
    case 'image_dimensions_too_large':
      return `${file} is too large: ${name} needs width plus height at most ${issue.limit} pixels.`;
    case 'aspect_ratio':
      return `${file} is too narrow or too wide for ${name}.`;
    default:
      return issue.message;
  }
}

/**
 * The connector's last check before any call, with the composer's own rules so the two never
 * disagree: the sentence for the first issue that stops the post, or undefined when it may go.
 */
export function requestRefusal(rules: NetworkRules, name: string, post: PublishRequest): string | undefined {
  const issue = checkWithRules(rules, draftOfRequest(post)).issues.find((found) => found.severity === 'error');
  return issue && refusal(issue, name, post);
}
