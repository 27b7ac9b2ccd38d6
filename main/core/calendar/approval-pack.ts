import type { Approval, PackPost, PackWords } from '../contract/calendar';
import { findEntities } from '../networks/entities';

export type { PackWords } from '../contract/calendar';

/**
 * The client approval pack: one HTML file that needs nothing else (styles inline, images as data:
 * URLs, no script, a CSP that forbids loading anything), so it can be mailed, opened offline and
 * printed to PDF from the very same markup. The words come from the caller, in the user's language.
 */

export interface PackInput {
  projectName: string;
  color: string;
  posts: readonly PackPost[];
  words: PackWords;
  /** The post's time as the reader should see it, in the project's zone. */
  formatTime(instant: number, zone: string): string;
  lang: string;
  dir: 'ltr' | 'rtl';
}

/** A post's time as the pack prints it, in the post's zone: "Monday, 30 March 2026 at 09:00". */
export function packTimeText(instant: number, zone: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'full', timeStyle: 'short', timeZone: zone }).format(new Date(instant));
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);
}

/**
 * Text put into a sentence of the other direction (a Hebrew project name in English words, or the
 * reverse), wrapped in first-strong isolate marks so it neither borrows nor lends direction.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

/**
 * What the user wrote, escaped, with links and @mentions kept left to right and hashtags whole:
 * each is isolated (`<bdi>`), so in a Hebrew or Arabic line it stays in its place and reads right.
 */
export function userTextHtml(text: string): string {
  let html = '';
  let at = 0;
  for (const entity of findEntities(text)) {
    html += escapeHtml(text.slice(at, entity.start));
    // A hashtag takes its own word's direction (#מאפייה reads right to left); links and handles are Latin.
    html += `<bdi class="${entity.type}"${entity.type === 'hashtag' ? '' : ' dir="ltr"'}>${escapeHtml(entity.text)}</bdi>`;
    at = entity.end;
  }
  return html + escapeHtml(text.slice(at));
}

const approvalColours: Record<Approval, string> = { draft: '#6b7280', in_review: '#b45309', approved: '#15803d' };

const style = `
*{box-sizing:border-box}body{margin:0;font:14px/1.5 system-ui,-apple-system,'Segoe UI','Noto Sans','DejaVu Sans',sans-serif;color:#1b1f27;background:#fff}
header{padding:24px 32px;border-block-end:4px solid var(--c)}h1{margin:0 0 4px;font-size:22px}header p{margin:0;color:#5b6472}
main{padding:16px 32px;display:grid;gap:16px}.post{border:1px solid #d6dae1;border-radius:8px;padding:16px;break-inside:avoid}
.meta{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;margin-block-end:12px}.when{font-weight:600}
.badge{display:inline-block;padding:2px 10px;border-radius:999px;color:#fff;font-size:12px;font-weight:600}
.previews{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:12px}
.preview{border:1px solid #e5e7eb;border-radius:8px;padding:12px;background:#f9fafb}.net{font-weight:600;font-size:12px;color:#374151;margin-block-end:6px}
.text{white-space:pre-wrap;overflow-wrap:anywhere;unicode-bidi:plaintext;text-align:start}.imgs{display:flex;flex-wrap:wrap;gap:6px;margin-block-start:8px}.imgs img{max-inline-size:100%;max-block-size:180px;border-radius:6px}
.extra{margin-block-start:10px;color:#5b6472;font-size:13px}.extra .text{color:#1b1f27}.sign{margin-block-start:14px;display:flex;gap:32px;color:#5b6472;font-size:13px}
.sign span{flex:1;border-block-start:1px solid #9ca3af;padding-block-start:4px}footer{padding:16px 32px;color:#6b7280;font-size:12px}
@media print{main{padding:8px 16px}header{padding:16px}}`;

function postHtml(post: PackPost, input: PackInput): string {
  const { words } = input;
  const when = post.scheduledAt === null ? words.unscheduled : input.formatTime(post.scheduledAt, post.timezone);
  const images = post.images.map((img) => `<img src="${escapeHtml(img.dataUrl)}" alt="${escapeHtml(img.alt)}">`).join('');
  const previews = (post.targets.length ? post.targets : [{ network: null, handle: '', displayName: '', text: post.body }])
    .map((target) => {
      const net = target.network ? `${escapeHtml(words.networks[target.network])} · <bdi>${escapeHtml(target.displayName || target.handle)}</bdi>` : '';
      return `<div class="preview">${net ? `<div class="net">${net}</div>` : ''}<div class="text" dir="auto">${userTextHtml(target.text)}</div>${images ? `<div class="imgs">${images}</div>` : ''}</div>`;
    })
    .join('');
  // Each piece the user wrote is its own paragraph or isolate, whatever the pack's language.
  const extra = (heading: string, text: string) =>
    text.trim() ? `<div class="extra"><strong>${escapeHtml(heading)}</strong><div class="text" dir="auto">${userTextHtml(text)}</div></div>` : '';
  const extras = [
    extra(words.firstComment, post.firstComment),
    extra(words.notes, post.notes),
    post.labels.length
      ? `<div class="extra"><strong>${escapeHtml(words.labels)}:</strong> ${post.labels.map((label) => `<bdi class="label">${escapeHtml(label)}</bdi>`).join(', ')}</div>`
      : '',
  ].join('');
  return `<article class="post" data-post-id="${escapeHtml(post.id)}" data-approval="${post.approval}">
<div class="meta"><span class="when">${escapeHtml(when)}</span><span>${escapeHtml(words.approvalHeading)}: <span class="badge" style="background:${approvalColours[post.approval]}">${escapeHtml(words.approval[post.approval])}</span></span></div>
<div class="previews">${previews}</div>${extras}
<div class="sign"><span>${escapeHtml(words.signature)}</span><span>${escapeHtml(words.date)}</span></div>
</article>`;
}

export function renderApprovalPack(input: PackInput): string {
  const colour = /^#[0-9a-fA-F]{6}$/.test(input.color) ? input.color : '#2563eb';
  const body = input.posts.length ? input.posts.map((post) => postHtml(post, input)).join('\n') : `<p>${escapeHtml(input.words.empty)}</p>`;
  return `<!doctype html>
<html lang="${escapeHtml(input.lang)}" dir="${input.dir}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.words.title)} — ${escapeHtml(input.projectName)}</title>
<style>${style}</style>
</head>
<body style="--c:${colour}">
<header><h1>${escapeHtml(input.words.title)}</h1><p>${escapeHtml(input.words.subtitle)}</p></header>
<main>
${body}
</main>
<footer>${escapeHtml(input.words.generated)}</footer>
</body>
</html>
`;
}
