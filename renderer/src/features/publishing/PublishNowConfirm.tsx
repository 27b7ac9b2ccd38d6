import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Target } from '../../../../main/core/contract';
import { Dialog } from '../../ui/Dialog';

/** The targets "publish now" sends: every one not yet out (main's rule: published and deleted ones stay). */
export function targetsGoingNow(targets: readonly Target[]): Target[] {
  return targets.filter((target) => target.state !== 'published' && target.state !== 'deleted');
}

interface PublishNowConfirmProps {
  targets: readonly Pick<Target, 'id' | 'network' | 'handle'>[];
  /** After a lost answer: sending again may put the post there twice, and the words say so. */
  again: boolean;
  busy: boolean;
  /** Inside another dialog (the needs-attention list) it asks in place instead of opening a second one. */
  inline?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/** "Publish now" asks first, naming each account it goes to and that it goes at once. */
export function PublishNowConfirm({ targets, again, busy, inline, onConfirm, onCancel }: PublishNowConfirmProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const title = t(again ? 'publishing.confirmNow.titleAgain' : 'publishing.confirmNow.title');
  const body = (
    <>
      <p>{t(again ? 'publishing.confirmNow.leadAgain' : 'publishing.confirmNow.lead', { count: targets.length })}</p>
      <ul className="publish-now-accounts" aria-label={t('publishing.confirmNow.accounts')}>
        {targets.map((target) => (
          <li key={target.id}>
            <span className={`net-dot net-${target.network}`} aria-hidden="true" />
            <bdi>{t('publishing.account', { network: t(`networks.${target.network}`), handle: target.handle })}</bdi>
          </li>
        ))}
      </ul>
      <div className="dialog-actions">
        <span className="spacer" />
        <button type="button" className="button" onClick={onCancel}>
          {t('publishing.confirmNow.cancel')}
        </button>
        <button type="button" className="button primary" disabled={busy || targets.length === 0} onClick={onConfirm}>
          {t(again ? 'publishing.confirmNow.sendAgain' : 'publishing.confirmNow.publish')}
        </button>
      </div>
    </>
  );
  if (!inline) {
    return (
      <Dialog title={title} onClose={onCancel}>
        {body}
      </Dialog>
    );
  }
  return (
    <div className="publish-now-confirm" role="group" aria-labelledby={titleId}>
      <p id={titleId} className="publish-now-title">
        {title}
      </p>
      {body}
    </div>
  );
}
