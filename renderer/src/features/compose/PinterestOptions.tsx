import { memo, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NetworkOptions } from '../../../../main/core/contract';
import { isPinLink, PIN_LINK_MAX, PIN_TITLE_MAX, type PinterestPostOptions } from '../../../../main/core/networks/pinterest';
import { unawaited } from '../../platform/unawaited';
import { useOpenPost } from '../post/open-post-store';

const none: PinterestPostOptions = {};

/** The pin's title and destination link (its description is the post's text); shown while the post has a Pinterest target. */
// Memoised: it reads the store itself, so the composer's re-render on every keystroke need not reach it.
export const PinterestOptions = memo(function PinterestOptions({ editable }: { editable: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const all = useOpenPost((s) => s.draft?.networkOptions);
  const edit = useOpenPost((s) => s.edit);
  const pin = all?.pinterest ?? none;
  const postId = useOpenPost((s) => s.post?.id);
  const blur = () => unawaited(useOpenPost.getState().flush(), 'Saving the post');
  // A link main would refuse stays in the field with a note instead of stopping every save.
  const [link, setLink] = useState(pin.link ?? '');
  const [linkOf, setLinkOf] = useState(postId);
  if (linkOf !== postId) {
    setLinkOf(postId);
    setLink(pin.link ?? '');
  }
  const linkValid = link.trim() === '' || isPinLink(link);
  const titleLength = [...(pin.title ?? '')].length;

  const change = (key: keyof PinterestPostOptions, value: string | undefined) => {
    const { [key]: _left, ...rest } = pin;
    const next: PinterestPostOptions = value === undefined ? rest : { ...rest, [key]: value };
    const networkOptions: NetworkOptions = { ...all, pinterest: next };
    edit({ networkOptions });
  };

  return (
    <fieldset className="compose-section pinterest-options" disabled={!editable}>
      <legend>{t('compose.pinterest.title')}</legend>
      <div className="details-grid">
        <div className="field">
          <label htmlFor={`${id}-title`}>{t('compose.pinterest.pinTitle')}</label>
          <input
            id={`${id}-title`}
            dir="auto"
            maxLength={PIN_TITLE_MAX * 2}
            aria-describedby={`${id}-title-hint`}
            aria-invalid={titleLength > PIN_TITLE_MAX}
            value={pin.title ?? ''}
            onBlur={blur}
            onChange={(e) => change('title', e.target.value === '' ? undefined : e.target.value)}
          />
          <p className={titleLength > PIN_TITLE_MAX ? 'hint error' : 'hint'} id={`${id}-title-hint`}>
            {t('compose.pinterest.titleCount', { length: titleLength, max: PIN_TITLE_MAX })}
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-link`}>{t('compose.pinterest.link')}</label>
          <input
            id={`${id}-link`}
            dir="ltr"
            type="url"
            placeholder="https://"
            maxLength={PIN_LINK_MAX}
            aria-describedby={`${id}-link-hint`}
            aria-invalid={!linkValid}
            value={link}
            onBlur={blur}
            onChange={(e) => {
              const value = e.target.value.trim();
              setLink(e.target.value);
              if (value === '') change('link', undefined);
              else if (isPinLink(value)) change('link', value);
            }}
          />
          <p className={linkValid ? 'hint' : 'hint error'} id={`${id}-link-hint`}>
            {linkValid ? t('compose.pinterest.linkHint') : t('compose.pinterest.linkInvalid')}
          </p>
        </div>
      </div>
    </fieldset>
  );
});
