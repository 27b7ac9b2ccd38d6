import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { PostProblem } from '../../../../main/core/contract';
import { unawaited } from '../../platform/unawaited';
import { slotText } from '../post/when';
import { useOpenPost } from '../post/open-post-store';
import { useTimeLocale } from '../settings/time-preferences';
import { fromLocal } from '../../../../main/core/posts/time';
import { opensRelaySettings, useProblemText } from './problem-text';
import { openRelaySettings } from '../settings/relay-store';
import { PublishingQuotas } from './PublishingQuotas';
import { AccountMissingFix } from './AccountMissingFix';
import type { TargetView } from './use-targets';

interface SchedulePanelProps {
  timezone: string;
  problems: PostProblem[];
  blocking: PostProblem[];
  editable: boolean;
  /** The ticked accounts, for their networks' publishing caps. */
  targets: readonly Pick<TargetView, 'accountId' | 'network' | 'handle'>[];
}

/** The time in the project’s zone, schedule, unschedule or add to the queue, and what blocks scheduling (the live list, or main’s answer). */
// Memoised: while typing changes no problem the composer hands it the same props.
export const SchedulePanel = memo(function SchedulePanel({ timezone, problems, blocking, editable, targets }: SchedulePanelProps) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const local = useOpenPost((s) => s.draft?.local ?? null);
  const status = useOpenPost((s) => s.post?.status);
  const busy = useOpenPost((s) => s.busy);
  const mainProblems = useOpenPost((s) => s.scheduleProblems);
  const edit = useOpenPost((s) => s.edit);
  const hasTargets = useOpenPost((s) => (s.draft?.targets.length ?? 0) > 0);
  const queued = useOpenPost((s) => (s.queued && s.queued.postId === s.post?.id ? s.queued : null));
  const lang = useTimeLocale();
  const postId = useOpenPost((s) => s.post?.id);
  const warnings = problems.filter((p) => p.severity === 'warning');
  const shown = mainProblems && mainProblems.length > 0 && blocking.length === 0 ? mainProblems : blocking;

  return (
    <section className="compose-section schedule" aria-label={t('compose.schedule.title')}>
      <h3>{t('compose.schedule.title')}</h3>
      <div className="schedule-row">
        <div className="field">
          <label htmlFor="post-time">{t('compose.schedule.time', { zone: timezone })}</label>
          <input
            id="post-time"
            type="datetime-local"
            disabled={!editable}
            value={local ?? ''}
            onChange={(e) => edit({ local: e.target.value || null })}
          />
        </div>
        {status === 'scheduled' ? (
          <button type="button" className="button" onClick={() => unawaited(useOpenPost.getState().unschedule(), 'Unscheduling the post')}>
            {t('compose.schedule.unschedule')}
          </button>
        ) : (
          <button
            type="button"
            className="button primary"
            disabled={!editable || busy || blocking.length > 0}
            aria-describedby="schedule-problems"
            onClick={() => unawaited(useOpenPost.getState().schedule(), 'Scheduling the post')}
          >
            {t('compose.schedule.schedule')}
          </button>
        )}
        <button
          type="button"
          className="button"
          disabled={!editable || busy || !hasTargets}
          onClick={() => unawaited(useOpenPost.getState().queue(), 'Adding the post to the queue')}
        >
          {t('compose.schedule.queue')}
        </button>
      </div>
      <PublishingQuotas targets={targets} scheduledAt={local ? fromLocal(local, timezone) : null} postId={postId} />
      {queued && (
        <div className="notice queued" role="status">
          <p>{t(queued.scheduled ? 'compose.schedule.queued' : 'compose.schedule.queuedDraft', { slot: slotText(queued.at, timezone, lang) })}</p>
          <button type="button" className="button small" disabled={busy} onClick={() => unawaited(useOpenPost.getState().undoQueue(), 'Undoing Add to queue')}>
            {t('compose.schedule.undo')}
          </button>
          <button type="button" className="button subtle small" aria-label={t('compose.schedule.dismiss')} onClick={() => useOpenPost.getState().dismissQueued()}>
            ×
          </button>
        </div>
      )}
      <div id="schedule-problems">
        {shown.length > 0 && status !== 'published' && status !== 'needs_attention' && (
          <>
            <p className="problems-title">{t('compose.schedule.blocked')}</p>
            <ul className="problems" aria-label={t('compose.schedule.blocked')}>
              {shown.map((p, i) => (
                <li key={i} className="error">
                  {problemText(p)}
                  {p.code === 'account_missing' && p.accountId && p.network && <AccountMissingFix plannedId={p.accountId} network={p.network} editable={editable} />}
                  {opensRelaySettings(p) && (
                    <>
                      {' '}
                      <a
                        href="#/settings"
                        onClick={(e) => {
                          e.preventDefault();
                          openRelaySettings();
                        }}
                      >
                        {t('compose.schedule.relaySettings')}
                      </a>
                    </>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
        {warnings.length > 0 && (
          <ul className="problems warnings" aria-label={t('compose.schedule.warnings')}>
            {warnings.map((p, i) => (
              <li key={i} className="warn">
                {problemText(p)}
              </li>
            ))}
          </ul>
        )}
        {status === 'scheduled' && <p className="hint">{t('compose.schedule.scheduledHint')}</p>}
      </div>
    </section>
  );
});
