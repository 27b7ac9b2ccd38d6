import { useTranslation } from 'react-i18next';
import type { PostProblem } from '../../../../main/core/contract';
import { unawaited } from '../../platform/unawaited';
import { useOpenPost } from '../post/open-post-store';
import { useProblemText } from './problem-text';

interface SchedulePanelProps {
  timezone: string;
  problems: PostProblem[];
  blocking: PostProblem[];
  editable: boolean;
}

/** The time in the project’s zone, schedule or unschedule, and what blocks scheduling (the live list, or main’s answer). */
export function SchedulePanel({ timezone, problems, blocking, editable }: SchedulePanelProps) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const local = useOpenPost((s) => s.draft?.local ?? null);
  const status = useOpenPost((s) => s.post?.status);
  const busy = useOpenPost((s) => s.busy);
  const mainProblems = useOpenPost((s) => s.scheduleProblems);
  const edit = useOpenPost((s) => s.edit);
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
      </div>
      <div id="schedule-problems">
        {shown.length > 0 && status !== 'published' && status !== 'needs_attention' && (
          <>
            <p className="problems-title">{t('compose.schedule.blocked')}</p>
            <ul className="problems" aria-label={t('compose.schedule.blocked')}>
              {shown.map((p, i) => (
                <li key={i} className="error">
                  {problemText(p)}
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
}
