/** UTM parameters a link can carry; empty ones are left out. */
export interface UtmTags {
  source: string;
  medium: string;
  campaign: string;
  term?: string;
  content?: string;
}

const keys: [keyof UtmTags, string][] = [
  ['source', 'utm_source'],
  ['medium', 'utm_medium'],
  ['campaign', 'utm_campaign'],
  ['term', 'utm_term'],
  ['content', 'utm_content'],
];

/**
 * The link with UTM tags set (replacing any it had), the rest of its query and its fragment
 * kept. `written` is the link as it appears in the text: a link written without a scheme stays
 * without one, so the post reads as the user wrote it.
 */
export function withUtm(written: string, tags: UtmTags): string {
  const hasScheme = /^https?:\/\//iu.test(written);
  let url: URL;
  try {
    url = new URL(hasScheme ? written : `https://${written}`);
  } catch {
    return written;
  }
  for (const [key, param] of keys) {
    const value = tags[key]?.trim();
    if (value) url.searchParams.set(param, value);
    else url.searchParams.delete(param);
  }
  const result = url.toString();
  return hasScheme ? result : result.replace(/^https:\/\//u, '');
}

/** The UTM tags a link already carries, to prefill the builder. */
export function readUtm(written: string): UtmTags {
  let params: URLSearchParams;
  try {
    params = new URL(/^https?:\/\//iu.test(written) ? written : `https://${written}`).searchParams;
  } catch {
    return { source: '', medium: '', campaign: '' };
  }
  return {
    source: params.get('utm_source') ?? '',
    medium: params.get('utm_medium') ?? '',
    campaign: params.get('utm_campaign') ?? '',
    term: params.get('utm_term') ?? '',
    content: params.get('utm_content') ?? '',
  };
}

/** Replaces the text in [start, end) with `replacement`. */
export function replaceRange(text: string, start: number, end: number, replacement: string): string {
  return text.slice(0, start) + replacement + text.slice(end);
}
