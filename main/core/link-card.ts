import { Parser } from 'htmlparser2';
import { attachedLink } from './networks/attached-link';

/**
 * A link card (issue 12 item 4): what a page says about itself — Open Graph first, then Twitter's
 * card tags, then plain HTML (<title>, meta description, rel=image_src) — read from its <head>
 * with htmlparser2 (entities decoded, broken markup forgiven). Pure: main fetches the page.
 */

export interface PageMetadata {
  /** The page's own address for itself (og:url / rel=canonical), else the one fetched. */
  url: string;
  title: string;
  description: string;
  siteName: string;
  /** Absolute http(s) address of the page's picture, or null. */
  imageUrl: string | null;
}

/** Networks cut longer ones anyway (Bluesky's external embed keeps the text short); the user may edit within these. */
export const CARD_TITLE_MAX = 300;
export const CARD_DESCRIPTION_MAX = 1000;

const tidy = (text: string, max: number) => [...text.replace(/\s+/g, ' ').trim()].slice(0, max).join('');

/** An absolute http(s) address from `value` read against `base`, or null (javascript:, data:, garbage). */
export function absoluteHttpUrl(value: string | undefined, base: string): string | null {
  if (!value) return null;
  try {
    const url = new URL(value.trim(), base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Reads a page's card from its HTML; `pageUrl` is where it was fetched (after redirects), for relative addresses. */
export function parsePageMetadata(html: string, pageUrl: string): PageMetadata {
  const meta = new Map<string, string>();
  let titleText = '';
  let inTitle = false;
  let canonical: string | undefined;
  let imageSrc: string | undefined;
  let done = false;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (done) return;
        if (name === 'title') inTitle = true;
        if (name === 'meta') {
          const key = (attrs.property ?? attrs.name ?? '').toLowerCase().trim();
          // The first of each wins, as the networks' own crawlers read them.
          if (key && attrs.content !== undefined && !meta.has(key)) meta.set(key, attrs.content);
        }
        if (name === 'link') {
          const rel = (attrs.rel ?? '').toLowerCase().split(/\s+/);
          if (rel.includes('canonical') && canonical === undefined) canonical = attrs.href;
          if (rel.includes('image_src') && imageSrc === undefined) imageSrc = attrs.href;
        }
        // The card lives in <head>; a body can be megabytes of markup to skip.
        if (name === 'body') done = true;
      },
      ontext(text) {
        if (inTitle && !done) titleText += text;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        if (name === 'head') done = true;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  const first = (...keys: string[]) => keys.map((key) => meta.get(key)).find((value) => value !== undefined && value.trim() !== '') ?? '';
  const url = absoluteHttpUrl(first('og:url'), pageUrl) ?? absoluteHttpUrl(canonical, pageUrl) ?? pageUrl;
  return {
    url,
    title: tidy(first('og:title', 'twitter:title') || titleText, CARD_TITLE_MAX),
    description: tidy(first('og:description', 'twitter:description', 'description'), CARD_DESCRIPTION_MAX),
    siteName: tidy(first('og:site_name', 'application-name') || new URL(pageUrl).hostname.replace(/^www\./, ''), 100),
    imageUrl: absoluteHttpUrl(first('og:image:secure_url', 'og:image', 'og:image:url', 'twitter:image', 'twitter:image:src') || imageSrc, pageUrl),
  };
}

/** The first link in a post's text that a card can be made for: written with http(s)://, trailing punctuation left out. */
export function firstCardLink(text: string): string | null {
  const link = attachedLink(text);
  return link ? absoluteHttpUrl(link, link) : null;
}
