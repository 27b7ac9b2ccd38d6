import { useTranslation } from 'react-i18next';
import type { MetricName } from '../../../../main/core/metrics';
import { isNetworkId } from '../../../../main/core/networks/ids';
import type { ResultGroup, ResultsSummary } from '../../../../main/core/results';
import { mediaUrl } from '../../platform/media';
import { networkMark } from '../../ui/NetworkMark';
import { postWords } from '../../ui/post-words';
import { instantText } from '../calendar/format';
import { formatCount } from './results-format';

/** Posts and numbers per network or per label, as a table (a few rows: no chart needed). */
export function GroupTable({ kind, groups, metrics, lang }: { kind: 'network' | 'label'; groups: ResultGroup[]; metrics: readonly MetricName[]; lang: string }) {
  const { t } = useTranslation();
  const title = t(kind === 'network' ? 'results.byNetwork' : 'results.byLabel');
  return (
    <section className="results-section" aria-labelledby={`results-by-${kind}`}>
      <h2 id={`results-by-${kind}`}>{title}</h2>
      {groups.length === 0 ? (
        <p className="empty">{t(kind === 'network' ? 'results.noNetworks' : 'results.noLabels')}</p>
      ) : (
        <div className="results-table-wrap">
          <table role="table" className="results-table" data-group={kind}>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t(kind === 'network' ? 'results.table.network' : 'results.table.label')}</th>
                <th scope="col">{t('results.table.posts')}</th>
                {metrics.map((m) => (
                  <th key={m} scope="col">
                    {t(`results.metric.${m}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {groups.map((group) => (
                <tr key={group.key}>
                  <th scope="row">
                    {kind === 'network' && isNetworkId(group.key) ? (
                      <span className="results-network">
                        {networkMark(group.key, t(`networks.${group.key}`))}
                        {t(`networks.${group.key}`)}
                      </span>
                    ) : (
                      <bdi>{group.key}</bdi>
                    )}
                  </th>
                  <td>{formatCount(group.posts, lang)}</td>
                  {metrics.map((m) => (
                    <td key={m}>{group.metrics[m] === undefined ? '—' : formatCount(group.metrics[m], lang)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The posts people did most with: thumbnail, text, network, numbers and a link to the post itself. */
export function TopPosts({ posts, metrics, zone, lang }: { posts: ResultsSummary['top']; metrics: readonly MetricName[]; zone: string; lang: string }) {
  const { t } = useTranslation();
  return (
    <section className="results-section" aria-labelledby="results-top">
      <h2 id="results-top">{t('results.top.title')}</h2>
      {posts.length === 0 ? (
        <p className="empty">{t('results.top.none')}</p>
      ) : (
        <ol className="results-top">
          {posts.map((post) => (
            <li key={post.targetId} className="results-top-post">
              {post.mediaId ? <img className="results-thumb" src={mediaUrl(post.mediaId, 'thumb')} alt="" loading="lazy" /> : <span className="results-thumb results-thumb-empty" aria-hidden="true" />}
              <div className="results-top-body">
                <p className="results-top-text" dir="auto">
                  {postWords(post.text)}
                </p>
                <p className="hint results-top-meta">
                  {networkMark(post.network, t(`networks.${post.network}`))} <bdi>{post.accountHandle}</bdi> · {instantText(post.publishedAt, zone, lang)}
                  {post.url && (
                    <>
                      {' · '}
                      <a href={post.url} target="_blank" rel="noreferrer noopener">
                        {t('results.top.open')}
                      </a>
                    </>
                  )}
                </p>
                <ul className="results-top-numbers">
                  {metrics
                    .filter((m) => post.metrics[m] !== undefined)
                    .map((m) => (
                      <li key={m}>
                        <strong>{formatCount(post.metrics[m] as number, lang)}</strong> {t(`results.metric.${m}`)}
                      </li>
                    ))}
                </ul>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
