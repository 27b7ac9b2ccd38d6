import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { AttentionEntry, Post, Target } from '../../../../main/core/contract';
import type { OutpostError } from '../../../../main/core/errors';
import { invoke, subscribe } from '../../platform/api';
import { unawaited } from '../../platform/unawaited';
import { Dialog } from '../../ui/Dialog';
import { useErrorText } from '../../ui/useErrorText';
import { useNavigation } from '../navigation/navigation-store';
import { useOpenPost } from '../post/open-post-store';
import { useActiveProject } from '../projects/projects-store';
import { useAttention } from './attention-store';
import { CaptchaAnswer } from './CaptchaAnswer';
import { useReasonText, useWhen } from './publishing-text';
import './publishing.css';
import { FailureWords } from './FailureWords';
import { PublishNowConfirm, targetsGoingNow } from './PublishNowConfirm';

/**
 * The shell's way to posts waiting for the user (missed windows, lost answers, refusals): a button
 * with the count that opens the list, each with "publish now" and a way to the post to reschedule;
 * a lost answer offers "I checked: it is published" and "Not there: send it again" instead, and a
 * captcha shows the network's picture with a field and "Send".
 */
export function NeedsAttention() {
  const { t } = useTranslation();
  const project = useActiveProject();
  const items = useAttention((s) => s.items);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    unawaited(useAttention.getState().load(project?.id ?? null), 'Loading the posts that need attention');
  }, [project?.id]);

  useEffect(() => {
    const refresh = () => unawaited(useAttention.getState().refresh(), 'Loading the posts that need attention');
    const offScheduler = subscribe('publishing.changed', refresh);
    // An edit cannot put a post here; only a post already listed can change (or go) with one.
    const offPosts = subscribe('posts.changed', ({ postId }) => {
      if (useAttention.getState().items.some((item) => item.postId === postId)) refresh();
    });
    const offAccounts = subscribe('accounts.changed', refresh);
    return () => {
      offScheduler();
      offPosts();
      offAccounts();
    };
  }, []);

  if (items.length === 0 && !open) return null;

  return (
    <>
      <button type="button" className="attention-button" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {t('publishing.attention.button', { count: items.length })}
      </button>
      {/* The button sits in the sticky sidebar, whose stacking context would put the page above the dialog. */}
      {open && createPortal(<AttentionDialog items={items} onClose={() => setOpen(false)} />, document.body)}
    </>
  );
}

function AttentionDialog({ items, onClose }: { items: AttentionEntry[]; onClose(): void }) {
  const { t } = useTranslation();
  const project = useActiveProject();
  const timezone = project?.timezone ?? 'UTC';
  const when = useWhen(timezone);
  const reasonText = useReasonText();
  const errorText = useErrorText();
  const [error, setError] = useState<OutpostError | null>(null);
  const [busy, setBusy] = useState(false);
  /** The item whose "publish now" waits for the user's yes, with the accounts it would go to. */
  const [confirming, setConfirming] = useState<{ jobId: string; postId: string; again: boolean; targets: Target[] } | null>(null);

  const act = async (run: () => Promise<{ ok: true; value: Post } | { ok: false; error: OutpostError }>) => {
    setBusy(true);
    setError(null);
    const result = await useOpenPost.getState().apply(run);
    setBusy(false);
    if (!result.ok) setError(result.error);
    await useAttention.getState().refresh();
  };
  const publishNow = (postId: string) => act(() => invoke('publishing.publishNow', { id: postId }));
  // Every target of the post not yet out goes, not only this item's: the question names them all.
  const askPublishNow = async (item: AttentionEntry, again: boolean) => {
    setError(null);
    const found = await invoke('posts.get', { id: item.postId });
    if (!found.ok) {
      setError(found.error);
      return;
    }
    setConfirming({ jobId: item.jobId, postId: item.postId, again, targets: targetsGoingNow(found.value.targets) });
  };
  const confirmPublished = (targetId: string) => act(() => invoke('publishing.confirmPublished', { targetId }));
  const answerCaptcha = (jobId: string, captchaId: string, answer: string) => act(() => invoke('publishing.answerCaptcha', { jobId, captchaId, answer }));

  const openPost = async ({ projectId, postId }: AttentionEntry) => {
    onClose();
    // The compose page then finds its project set and keeps the post instead of starting afresh.
    await useOpenPost.getState().setProject(projectId);
    useNavigation.getState().go('compose');
    await useOpenPost.getState().open(postId);
  };

  return (
    <Dialog title={t('publishing.attention.title')} onClose={onClose}>
      {items.length === 0 ? (
        <p className="hint">{t('publishing.attention.empty')}</p>
      ) : (
        <ul className="attention-list" aria-label={t('publishing.attention.title')}>
          {items.map((item) => (
            <li key={item.jobId} className="attention-item">
              <p className="attention-excerpt">
                <bdi dir="auto">{item.excerpt.trim() || t('compose.list.untitled')}</bdi>
              </p>
              <p className="attention-meta">
                <span className={`net-dot net-${item.network}`} aria-hidden="true" />
                {t('publishing.account', { network: t(`networks.${item.network}`), handle: item.handle })} ·{' '}
                {t('publishing.attention.due', { when: when(item.dueAt) })}
              </p>
              <p className="publishing-reason">{reasonText(item.reason, item.network, project?.lateGraceMinutes ?? 0)}</p>
              <FailureWords network={item.network} message={item.message} networkSaid={item.networkSaid} cause={item.cause} />
              {item.captcha && (
                <CaptchaAnswer
                  jobId={item.jobId}
                  captchaId={item.captcha.id}
                  network={item.network}
                  excerpt={item.excerpt}
                  busy={busy}
                  onAnswer={(answer) => answerCaptcha(item.jobId, item.captcha!.id, answer)}
                />
              )}
              {confirming?.jobId === item.jobId ? (
                <PublishNowConfirm
                  inline
                  targets={confirming.targets}
                  again={confirming.again}
                  busy={busy}
                  onCancel={() => setConfirming(null)}
                  onConfirm={() => {
                    setConfirming(null);
                    unawaited(publishNow(item.postId), 'Publishing now');
                  }}
                />
              ) : (
                <div className="dialog-actions">
                  {item.captcha ? null : item.reason === 'unknown_outcome' ? (
                    <>
                      <button
                        type="button"
                        className="button primary"
                        disabled={busy}
                        aria-label={t('publishing.attention.confirmNamed', { excerpt: item.excerpt.slice(0, 40) })}
                        onClick={() => unawaited(confirmPublished(item.targetId), 'Confirming the post is published')}
                      >
                        {t('publishing.confirm.button')}
                      </button>
                      <button
                        type="button"
                        className="button"
                        disabled={busy}
                        aria-label={t('publishing.attention.sendAgainNamed', { excerpt: item.excerpt.slice(0, 40) })}
                        onClick={() => unawaited(askPublishNow(item, true), 'Asking before sending again')}
                      >
                        {t('publishing.sendAgain')}
                      </button>
                    </>
                  ) : (
                    <button
                      type="button"
                      className="button primary"
                      disabled={busy}
                      aria-label={t('publishing.attention.publishNowNamed', { excerpt: item.excerpt.slice(0, 40) })}
                      onClick={() => unawaited(askPublishNow(item, false), 'Asking before publishing now')}
                    >
                      {t('publishing.publishNow')}
                    </button>
                  )}
                  <button
                    type="button"
                    className="button"
                    aria-label={t('publishing.attention.openNamed', { excerpt: item.excerpt.slice(0, 40) })}
                    onClick={() => unawaited(openPost(item), 'Opening the post')}
                  >
                    {t('publishing.attention.open')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="notice error" role="alert">
          {errorText(error)}
        </p>
      )}
      <div className="dialog-actions">
        <span className="spacer" />
        <button type="button" className="button" onClick={onClose}>
          {t('publishing.attention.close')}
        </button>
      </div>
    </Dialog>
  );
}
