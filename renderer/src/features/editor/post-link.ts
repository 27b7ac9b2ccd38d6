import type { Media } from '../../../../main/core/contract';
import type { NetworkId } from '../../../../main/core/networks/ids';
import { rulesFor, type NetworkRules } from '../../../../main/core/networks/rules';
import { ruleOptionsFor } from '../../../../main/core/posts/readiness';
import { useOpenPost } from '../post/open-post-store';

/**
 * The editor's one window onto the post being edited: which post it is, which networks it goes
 * to, and attaching an export to it. Everything goes through the post's own store, so its
 * autosave and revision checks apply as if the user had attached the file in the composer.
 */

export interface ComposedPost {
  postId: string;
  /** The post's text, shortened, to name it. */
  excerpt: string;
  networks: NetworkId[];
  rules: NetworkRules[];
  mediaIds: string[];
}

export function composedPost(): ComposedPost | null {
  const { post, draft, accounts } = useOpenPost.getState();
  if (!post || !draft) return null;
  const rules: NetworkRules[] = [];
  const networks: NetworkId[] = [];
  for (const target of draft.targets) {
    const stored = post.targets.find((t) => t.accountId === target.accountId);
    const network = stored?.network ?? accounts.find((a) => a.id === target.accountId)?.network;
    if (!network) continue;
    rules.push(rulesFor(network, ruleOptionsFor(network, stored?.ruleOptions ?? {})));
    if (!networks.includes(network)) networks.push(network);
  }
  const excerpt = draft.body.trim().replace(/\s+/g, ' ');
  return { postId: post.id, excerpt: excerpt.length > 40 ? `${excerpt.slice(0, 39)}…` : excerpt, networks, rules, mediaIds: draft.media };
}

/**
 * Puts the exported image on the post being composed: in place of `replaces` when the post (or a
 * target's own media) had it (the image was opened from there), otherwise at the end. Saved through the composer.
 */
export async function attachToPost(postId: string, media: Media, replaces: string | null): Promise<boolean> {
  const compose = useOpenPost.getState();
  if (compose.post?.id !== postId || !compose.draft) return false;
  compose.rememberMedia([media]);
  const { targets } = compose.draft;
  if (replaces && !compose.draft.media.includes(replaces) && targets.some((t) => t.mediaOverride?.includes(replaces))) {
    // Opened from a network's own images: the export takes its place there, not on the post's list.
    const swap = (ids: string[]) => (ids.includes(media.id) ? ids.filter((m) => m !== replaces) : ids.map((m) => (m === replaces ? media.id : m)));
    compose.edit({ targets: targets.map((t) => (t.mediaOverride?.includes(replaces) ? { ...t, mediaOverride: swap(t.mediaOverride) } : t)) });
    await useOpenPost.getState().flush();
    return useOpenPost.getState().post?.targets.some((t) => t.mediaOverride?.some((m) => m.mediaId === media.id)) ?? false;
  }
  const list = [...compose.draft.media];
  const at = replaces ? list.indexOf(replaces) : -1;
  if (list.includes(media.id)) return true;
  if (at >= 0) list[at] = media.id;
  else list.push(media.id);
  compose.edit({ media: list });
  await useOpenPost.getState().flush();
  return useOpenPost.getState().post?.media.some((m) => m.mediaId === media.id) ?? false;
}
