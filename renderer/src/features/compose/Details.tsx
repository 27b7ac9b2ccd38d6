import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiDeletes } from '../../../../main/core/networks/rules';
import { unawaited } from '../../platform/unawaited';
import { useOpenPost } from '../post/open-post-store';
import type { TargetView } from './use-targets';

const HOUR_MS = 3_600_000;
/** The auto-delete choices: common paid periods, all within the bounds posts.update accepts. */
const AUTO_DELETE_CHOICES = [1, 6, 24, 48, 7 * 24, 30 * 24].map((hours) => hours * HOUR_MS);

function autoDeleteLabel(ms: number, t: (key: string, options?: Record<string, unknown>) => string): string {
  const hours = ms / HOUR_MS;
  return hours > 48 && hours % 24 === 0 ? t('compose.details.autoDeleteDays', { count: hours / 24 }) : t('compose.details.autoDeleteHours', { count: hours });
}

/** First comment, notes, labels and auto-delete: the post’s details beside its text (memoised: typing the post's text changes none of it). */
export const Details = memo(function Details({ editable, views }: { editable: boolean; views: readonly Pick<TargetView, 'network' | 'deleteWindowMs'>[] }) {
  const { t } = useTranslation();
  const autoDelete = useOpenPost((s) => s.draft?.autoDeleteAfterMs ?? null);
  // One note per network that limits deleting (Telegram bots: 48 hours), whichever accounts are ticked.
  const windows = [...new Map(views.flatMap((v) => (v.deleteWindowMs === null ? [] : [[v.network, v.deleteWindowMs] as const]))).entries()];
  // Networks whose API cannot delete (Instagram): no delay is offered while one of them is ticked.
  const noDelete = [...new Set(views.filter((v) => !apiDeletes(v.network)).map((v) => v.network))];
  // A delay set elsewhere (not one of the choices) stays visible and selected.
  const choices = autoDelete === null || AUTO_DELETE_CHOICES.includes(autoDelete) ? AUTO_DELETE_CHOICES : [...AUTO_DELETE_CHOICES, autoDelete].sort((a, b) => a - b);
  const firstComment = useOpenPost((s) => s.draft?.firstComment ?? '');
  const notes = useOpenPost((s) => s.draft?.notes ?? '');
  const labels = useOpenPost((s) => s.draft?.labels);
  const postId = useOpenPost((s) => s.post?.id);
  const edit = useOpenPost((s) => s.edit);
  const blur = () => unawaited(useOpenPost.getState().flush(), 'Saving the post');
  // Typed as text so a half-written label ("Launch, ") is not tidied away under the caret.
  const [labelText, setLabelText] = useState((labels ?? []).join(', '));
  const [labelsOf, setLabelsOf] = useState(postId);
  if (labelsOf !== postId) {
    setLabelsOf(postId);
    setLabelText((labels ?? []).join(', '));
  }

  return (
    <section className="compose-section details" aria-label={t('compose.details.title')}>
      <h3>{t('compose.details.title')}</h3>
      <div className="details-grid">
        <div className="field">
          <label htmlFor="first-comment">{t('compose.details.firstComment')}</label>
          <textarea
            id="first-comment"
            dir="auto"
            rows={2}
            disabled={!editable}
            value={firstComment}
            onBlur={blur}
            onChange={(e) => edit({ firstComment: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="notes">{t('compose.details.notes')}</label>
          <textarea id="notes" dir="auto" rows={2} value={notes} onBlur={blur} onChange={(e) => edit({ notes: e.target.value })} />
          <p className="hint">{t('compose.details.notesHint')}</p>
        </div>
        <div className="field">
          <label htmlFor="labels">{t('compose.details.labels')}</label>
          <input
            id="labels"
            dir="auto"
            value={labelText}
            onBlur={blur}
            onChange={(e) => {
              setLabelText(e.target.value);
              edit({ labels: e.target.value.split(',').map((l) => l.trim()).filter(Boolean) });
            }}
          />
          <p className="hint">{t('compose.details.labelsHint')}</p>
        </div>
        <div className="field">
          <label htmlFor="auto-delete">{t('compose.details.autoDelete')}</label>
          <select
            id="auto-delete"
            aria-describedby={['auto-delete-hint', ...noDelete.map((network) => `auto-delete-none-${network}`)].join(' ')}
            disabled={!editable}
            value={autoDelete === null ? '' : String(autoDelete)}
            onChange={(e) => {
              edit({ autoDeleteAfterMs: e.target.value === '' ? null : Number(e.target.value) });
              blur();
            }}
          >
            <option value="">{t('compose.details.autoDeleteOff')}</option>
            {choices.map((ms) => (
              <option key={ms} value={String(ms)} disabled={noDelete.length > 0 && ms !== autoDelete}>
                {autoDeleteLabel(ms, t)}
              </option>
            ))}
          </select>
          <p className="hint" id="auto-delete-hint">
            {t('compose.details.autoDeleteHint')}
            {windows.map(([network, ms]) => ' ' + t('compose.details.autoDeleteWindow', { network: t(`networks.${network}`), hours: ms / HOUR_MS })).join('')}
          </p>
          {noDelete.map((network) => (
            <p key={network} className="hint warn" id={`auto-delete-none-${network}`}>
              {t('compose.details.autoDeleteNotOffered', { network: t(`networks.${network}`) })}
            </p>
          ))}
        </div>
      </div>
    </section>
  );
});
