import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { hasSpintax, spintaxVariantCount } from '../../../../main/core/spintax';
import { unawaited } from '../../platform/unawaited';
import { useOpenPost } from '../post/open-post-store';

/**
 * One idea, worded per account: the post's {Hi|Hello|Hey} choices give each account its own words
 * (the previews show which), and with the box ticked no two accounts may post the same text.
 */
export function UniqueWording({ editable }: { editable: boolean }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const body = useOpenPost((s) => s.draft?.body ?? '');
  const options = useOpenPost((s) => s.draft?.networkOptions);
  const edit = useOpenPost((s) => s.edit);
  const unique = options?.unique === true;
  const wordings = hasSpintax(body) ? spintaxVariantCount(body) : 1;
  const toggle = (checked: boolean) => {
    const { unique: _left, ...rest } = options ?? {};
    edit({ networkOptions: checked ? { ...rest, unique: true } : rest });
    unawaited(useOpenPost.getState().flush(), 'Saving the post');
  };
  return (
    <div className="unique-wording">
      <div className="checkbox">
        <input id={id} type="checkbox" checked={unique} disabled={!editable} onChange={(e) => toggle(e.target.checked)} aria-describedby={`${id}-hint`} />
        <label htmlFor={id}>{t('compose.unique.label')}</label>
      </div>
      <p id={`${id}-hint`} className="hint">
        {wordings > 1
          ? t('compose.unique.count', { count: wordings, formatted: new Intl.NumberFormat(i18n.language).format(wordings) })
          : t('compose.unique.how')}
      </p>
    </div>
  );
}
