import { memo, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AttentionEntry, HistoryLine, Post, Target } from '../../../../main/core/contract';
import type { OutpostError } from '../../../../main/core/errors';
import { invoke } from '../../platform/api';
import { unawaited } from '../../platform/unawaited';
import { useErrorText } from '../../ui/useErrorText';
import { useOpenPost } from '../post/open-post-store';
import { useActiveProject } from '../projects/projects-store';
import { useAttention, usePostHistory } from './attention-store';
import { CaptchaAnswer } from './CaptchaAnswer';
import { useHistoryText, useReasonText, useTargetStateText, useWhen } from './publishing-text';
import './publishing.css';
import { FailureWords } from './FailureWords';
import { EditPublished } from './EditPublished';
import { PublishNowConfirm, targetsGoingNow } from './PublishNowConfirm';
import { UploadProgress } from './UploadProgress';

const PUBLISHED_EVENTS = new Set(['published', 'verified', 'confirmed']);
const NO_HISTORY_YET = new Set(['draft']);

/**
 * A scheduled or sent post's publishing: each account's state in words, "publish now", what to do
 * about a target that needs attention, and the history of every attempt with links to what went out.
 */
// Memoised: the composer re-renders on every keystroke, and nothing here depends on the text being typed.
export const PostPublishing = memo(function PostPublishing({ post }: { post: Post }) {
  const { t } = useTranslation();
  const project = useActiveProject();
  const timezone = project?.timezone ?? post.timezone;
  const errorText = useErrorText();
  const when = useWhen(timezone);
  const stateText = useTargetStateText(timezone);
  const attention = useAttention((s) => s.items);
  const history = useHistoryFor(post.id);
  const [error, setError] = useState<OutpostError | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const postId = post.id;

  const publishingChanges = useOpenPost((s) => s.publishingChanges);
  // What the history can follow from: a draft's edits write none; a time, accounts or status change may.
  const schedule = post.status === 'draft' ? 'draft' : `${post.status} ${post.scheduledAt} ${post.targets.map((t) => t.id).join(',')}`;

  useEffect(() => {
    unawaited(usePostHistory.getState().load(postId), 'Loading the post’s history');
  }, [postId, schedule, publishingChanges]);

  if (NO_HISTORY_YET.has(post.status) && history.length === 0) return null;

  const act = async (run: () => Promise<{ ok: true; value: Post } | { ok: false; error: OutpostError }>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    // The post store adopts the answer, and its history reloads from there.
    const result = await useOpenPost.getState().apply(run);
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return false;
    }
    await useAttention.getState().refresh();
    return true;
  };

  const waitingHere = attention.filter((a) => a.postId === postId);
  // A post waiting only on captchas goes with their answers; "publish now" would just meet a new captcha.
  const onlyCaptchas = post.status === 'needs_attention' && waitingHere.length > 0 && waitingHere.every((a) => a.captcha);
  const canPublishNow = (post.status === 'scheduled' || post.status === 'failed' || post.status === 'needs_attention') && !onlyCaptchas;
  // After a lost answer "publish now" means sending it a second time: the button says so.
  const answerLost = attention.some((a) => a.postId === postId && a.reason === 'unknown_outcome');
  const publishedAt = (target: Target) => history.filter((h) => h.targetId === target.id && PUBLISHED_EVENTS.has(h.event)).at(-1)?.at ?? null;
  const lastLineOf = (target: Target) => history.filter((h) => h.targetId === target.id && h.jobKind === 'publish').at(-1);
  // The code behind the target's message, from the journal line that holds that same message.
  const causeOf = (target: Target) => history.filter((h) => h.targetId === target.id && h.message !== null).at(-1);

  return (
    <section className="compose-section publishing" aria-labelledby="publishing-title">
      <h3 id="publishing-title">{t('publishing.title')}</h3>
      <ul className="publishing-targets" aria-label={t('publishing.targets')}>
        {post.targets.map((target) => (
          <TargetRow
            key={target.id}
            target={target}
            stateText={stateText(target, post.scheduledAt, publishedAt(target), lastLineOf(target))}
            cause={causeOf(target)?.message === target.lastError ? causeOf(target)?.cause : undefined}
            waiting={attention.find((a) => a.targetId === target.id && a.kind === 'publish')}
            graceMinutes={project?.lateGraceMinutes ?? 0}
            busy={busy}
            onConfirm={async (url) => void (await act(() => invoke('publishing.confirmPublished', { targetId: target.id, ...(url ? { url } : {}) })))}
            onAnswerCaptcha={async (jobId, captchaId, answer) => void (await act(() => invoke('publishing.answerCaptcha', { jobId, captchaId, answer })))}
          />
        ))}
      </ul>
      <EditPublished post={post} busy={busy} onSave={(target, text) => act(() => invoke('publishing.editPublished', { targetId: target.id, text }))} />
      <div className="publishing-actions">
        {canPublishNow && (
          <button type="button" className="button primary" disabled={busy} onClick={() => setConfirming(true)}>
            {t(answerLost ? 'publishing.sendAgain' : 'publishing.publishNow')}
          </button>
        )}
        {(post.status === 'needs_attention' || post.status === 'failed') && (
          <Reschedule timezone={timezone} busy={busy} onReschedule={async (local) => void (await act(() => invoke('publishing.reschedule', { id: postId, local })))} />
        )}
      </div>
      {confirming && (
        <PublishNowConfirm
          targets={targetsGoingNow(post.targets)}
          again={answerLost}
          busy={busy}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            unawaited(act(() => invoke('publishing.publishNow', { id: postId })), 'Publishing now');
          }}
        />
      )}
      {error && (
        <p className="notice error" role="alert">
          {errorText(error)}
        </p>
      )}
      <History history={history} timezone={timezone} when={when} />
    </section>
  );
});

/** The history of this post only: a line of the post opened before never shows under another. */
function useHistoryFor(postId: string): HistoryLine[] {
  const lines = usePostHistory((s) => s.lines);
  const of = usePostHistory((s) => s.postId);
  return of === postId ? lines : NO_LINES;
}

const NO_LINES: HistoryLine[] = [];

interface TargetRowProps {
  target: Target;
  stateText: { text: string; failing: boolean };
  cause: string | undefined;
  waiting: AttentionEntry | undefined;
  graceMinutes: number;
  busy: boolean;
  onConfirm(url: string): Promise<void>;
  onAnswerCaptcha(jobId: string, captchaId: string, answer: string): Promise<void>;
}

function TargetRow({ target, stateText, cause, waiting, graceMinutes, busy, onConfirm, onAnswerCaptcha }: TargetRowProps) {
  const { t } = useTranslation();
  const reasonText = useReasonText();
  const [url, setUrl] = useState('');
  const network = t(`networks.${target.network}`);
  const linkId = `confirm-link-${target.id}`;

  return (
    <li className={`publishing-target state-${target.state}${stateText.failing ? ' failing' : ''}`}>
      <div className="publishing-target-head">
        <span className={`net-dot net-${target.network}`} aria-hidden="true" />
        <span className="publishing-account">{t('publishing.account', { network, handle: target.handle })}</span>
        <span className={`target-state state-${target.state}${stateText.failing ? ' failing' : ''}`}>{stateText.text}</span>
        {target.remoteUrl && (
          <a href={target.remoteUrl} target="_blank" rel="noreferrer noopener" className="publishing-link">
            {t('publishing.viewPost', { network })}
          </a>
        )}
      </div>
      {(target.state === 'scheduled' || target.state === 'publishing') && <UploadProgress targetId={target.id} />}
      {target.state === 'needs_attention' && waiting && <p className="publishing-reason">{reasonText(waiting.reason, target.network, graceMinutes)}</p>}
      {target.state !== 'published' && <FailureWords network={target.network} message={target.lastError} networkSaid={target.networkSaid} cause={cause} />}
      {target.network === 'telegram' && target.state === 'published' && <p className="hint">{t('publishing.telegramDeleteWindow')}</p>}
      {target.state === 'needs_attention' && waiting?.captcha && (
        <CaptchaAnswer
          jobId={waiting.jobId}
          captchaId={waiting.captcha.id}
          network={target.network}
          busy={busy}
          onAnswer={(answer) => onAnswerCaptcha(waiting.jobId, waiting.captcha!.id, answer)}
        />
      )}
      {target.state === 'needs_attention' && waiting?.reason === 'unknown_outcome' && (
        <form
          className="publishing-confirm"
          onSubmit={(e) => {
            e.preventDefault();
            unawaited(onConfirm(url.trim()), 'Confirming the post is published');
          }}
        >
          <label htmlFor={linkId}>{t('publishing.confirm.link')}</label>
          <input id={linkId} type="url" value={url} placeholder="https://" onChange={(e) => setUrl(e.target.value)} />
          <button type="submit" className="button" disabled={busy}>
            {t('publishing.confirm.button')}
          </button>
        </form>
      )}
    </li>
  );
}

function Reschedule({ timezone, busy, onReschedule }: { timezone: string; busy: boolean; onReschedule(local: string): Promise<void> }) {
  const { t } = useTranslation();
  const [local, setLocal] = useState('');
  return (
    <form
      className="publishing-reschedule"
      onSubmit={(e) => {
        e.preventDefault();
        if (local) unawaited(onReschedule(local), 'Rescheduling the post');
      }}
    >
      <label htmlFor="reschedule-time">{t('publishing.reschedule.label', { zone: timezone })}</label>
      <input id="reschedule-time" type="datetime-local" value={local} onChange={(e) => setLocal(e.target.value)} />
      <button type="submit" className="button" disabled={busy || !local}>
        {t('publishing.reschedule.button')}
      </button>
    </form>
  );
}

function History({ history, timezone, when }: { history: HistoryLine[]; timezone: string; when: (at: number | null) => string }) {
  const { t } = useTranslation();
  const lineText = useHistoryText(timezone);
  const { i18n } = useTranslation();
  const shortReason = (reason: string) => (i18n.exists(`publishing.reasonShort.${reason}`) ? t(`publishing.reasonShort.${reason}`) : null);
  return (
    <>
      <h4 id="history-title">{t('publishing.history.title')}</h4>
      {history.length === 0 ? (
        <p className="hint">{t('publishing.history.empty')}</p>
      ) : (
        <table className="publishing-history" aria-labelledby="history-title">
          <thead>
            <tr>
              <th scope="col">{t('publishing.history.time')}</th>
              <th scope="col">{t('publishing.history.account')}</th>
              <th scope="col">{t('publishing.history.what')}</th>
            </tr>
          </thead>
          <tbody>
            {history.map((line) => (
              <tr key={line.id} className={`event-${line.event}`}>
                <td>
                  <time dateTime={new Date(line.at).toISOString()}>{when(line.at)}</time>
                </td>
                <td>{t('publishing.account', { network: t(`networks.${line.network}`), handle: line.handle })}</td>
                <td>
                  {lineText(line)}
                  {line.reason && shortReason(line.reason) && <> — {shortReason(line.reason)}</>}
                  {/* Quotation marks only around the network's own words; Outpost's are not a quote. */}
                  {line.networkSaid ? (
                    <>
                      {' '}
                      {t('publishing.networkSaid', { network: t(`networks.${line.network}`) })} <q dir="auto">{line.networkSaid}</q>
                    </>
                  ) : (
                    line.message && (
                      <>
                        {' — '}
                        <bdi dir="auto">{line.message}</bdi>
                      </>
                    )
                  )}
                  {line.url && (
                    <>
                      {' '}
                      <a href={line.url} target="_blank" rel="noreferrer noopener">
                        {t('publishing.history.link')}
                      </a>
                    </>
                  )}
                  {line.network === 'telegram' && (line.event === 'delete_scheduled' || line.event === 'delete_refused') && (
                    <> {t('publishing.telegramDeleteWindow')}</>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
