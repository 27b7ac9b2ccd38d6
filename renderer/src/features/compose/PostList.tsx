import { useTranslation } from 'react-i18next';
import { unawaited } from '../../platform/unawaited';
import { useOpenPost } from '../post/open-post-store';
import { useCompose, type ListFilter } from './compose-store';

/** The project's drafts (or scheduled posts, or all), most recently changed first. */
export function PostList() {
  const { t } = useTranslation();
  const posts = useCompose((s) => s.posts);
  const filter = useCompose((s) => s.filter);
  const openId = useOpenPost((s) => s.post?.id);
  const busy = useOpenPost((s) => s.busy);

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
      {posts.length === 0 && <p className="hint">{t(`compose.list.empty.${filter}`)}</p>}
      <ul className="post-list">
        {posts.map((p) => (
          <li key={p.id}>
            <button
              type="button"
              className="post-item"
              aria-current={p.id === openId ? 'true' : undefined}
              onClick={() => unawaited(useCompose.getState().open(p.id), 'Opening a post')}
            >
              <bdi className="post-excerpt" dir="auto">
                {p.excerpt.trim() ? p.excerpt.slice(0, 80) : t('compose.list.untitled')}
              </bdi>
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
