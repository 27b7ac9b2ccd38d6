import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Post, PostSummary } from '../../../../main/core/contract';
import { unawaited } from '../../platform/unawaited';
import { slotText } from '../post/when';
import { useOpenPost } from '../post/open-post-store';
import { useTimeLocale } from '../settings/time-preferences';
import { useCompose, type ListFilter } from './compose-store';
import { postWords } from '../../ui/post-words';

/** The open post as a list row, for when the filter would hide it (a draft just scheduled under "Drafts"). */
function summaryOf(post: Post, body: string): PostSummary {
  return {
    id: post.id,
    projectId: post.projectId,
    excerpt: body,
    status: post.status,
    scheduledAt: post.scheduledAt,
    timezone: post.timezone,
    networks: [...new Set(post.targets.map((t) => t.network))],
    mediaCount: post.media.length,
    labels: post.labels,
    revision: post.revision,
    updatedAt: post.updatedAt,
  };
}

/** The project's drafts (or scheduled posts, or all), most recently changed first, each with its time; the open post always among them. */
export function PostList({ timezone }: { timezone: string }) {
  const { t } = useTranslation();
  const lang = useTimeLocale();
  const posts = useCompose((s) => s.posts);
  const filter = useCompose((s) => s.filter);
  const projectId = useCompose((s) => s.projectId);
  const open = useOpenPost((s) => s.post);
  const openBody = useOpenPost((s) => s.draft?.body ?? '');
  const openId = open?.id;
  const busy = useOpenPost((s) => s.busy);
  const shown = useMemo(
    () => (open && open.projectId === projectId && !posts.some((p) => p.id === open.id) ? [summaryOf(open, openBody), ...posts] : posts),
    [open, openBody, posts, projectId],
  );

  return (
    <section className="compose-list" aria-label={t('compose.list.title')}>
      <button type="button" className="button primary" disabled={busy} onClick={() => unawaited(useCompose.getState().newPost(), 'Creating a post')}>
        {t('compose.list.new')}
      </button>
      <label className="visually-hidden" htmlFor="post-filter">
        {t('compose.list.filter')}
      </label>
      <select id="post-filter" value={filter} onChange={(e) => unawaited(useCompose.getState().setFilter(e.target.value as ListFilter), 'Filtering the drafts list')}>
        {(['draft', 'scheduled', 'all'] as const).map((f) => (
          <option key={f} value={f}>
            {t(`compose.list.filters.${f}`)}
          </option>
        ))}
      </select>
      {shown.length === 0 && <p className="hint">{t(`compose.list.empty.${filter}`)}</p>}
      <ul className="post-list">
        {shown.map((p) => (
          <li key={p.id}>
            <button
              type="button"
              className="post-item"
              aria-current={p.id === openId ? 'true' : undefined}
              onClick={() => unawaited(useCompose.getState().open(p.id), 'Opening a post')}
            >
              <bdi className="post-excerpt" dir="auto">
                {p.excerpt.trim() ? postWords(p.excerpt.slice(0, 80)) : t('compose.list.untitled')}
              </bdi>
              <span className={p.scheduledAt === null ? 'post-when none' : 'post-when'}>
                {p.scheduledAt === null ? t('compose.list.noTime') : <bdi>{slotText(p.scheduledAt, timezone, lang)}</bdi>}
              </span>
              <span className="post-meta">
                <span className={`status-badge status-${p.status}`}>{t(`compose.status.${p.status}`)}</span>
                {p.networks.map((n) => (
                  <span key={n} className={`net-dot net-${n}`} title={t(`networks.${n}`)} aria-hidden="true" />
                ))}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
