import { memo, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { vkPostOptionsSchema, type NetworkOptions } from '../../../../main/core/contract';
import { VK_COPYRIGHT_MAX, VK_COPYRIGHT_TEXT_MAX, type VkPostOptions } from '../../../../main/core/networks/vk';
import { unawaited } from '../../platform/unawaited';
import { useOpenPost } from '../post/open-post-store';

const none: VkPostOptions = {};
const flags = ['markAsAds', 'signed', 'closeComments'] as const;

/** The options only VK has (wall.post's ad mark, signature, source, closed comments); the composer shows them while the post has a VK target. */
// Memoised: it reads the store itself, so the composer's re-render on every keystroke need not reach it.
export const VkOptions = memo(function VkOptions({ editable }: { editable: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const all = useOpenPost((s) => s.draft?.networkOptions);
  const edit = useOpenPost((s) => s.edit);
  const vk = all?.vk ?? none;
  const postId = useOpenPost((s) => s.post?.id);
  const blur = () => unawaited(useOpenPost.getState().flush(), 'Saving the post');
  // Typed here first: a source main would refuse stays in the field with a note instead of stopping every save.
  const [source, setSource] = useState(vk.copyright ?? '');
  const [sourceOf, setSourceOf] = useState(postId);
  if (sourceOf !== postId) {
    setSourceOf(postId);
    setSource(vk.copyright ?? '');
  }
  const sourceValid = vkPostOptionsSchema.shape.copyright.safeParse(source).success;
  const change = (next: VkPostOptions) => {
    const networkOptions: NetworkOptions = { ...all, vk: next };
    edit({ networkOptions });
  };

  return (
    <fieldset className="compose-section vk-options" disabled={!editable}>
      <legend>{t('compose.vk.title')}</legend>
      <div className="vk-option-flags">
        {flags.map((flag) => (
          <label key={flag} className="checkbox">
            <input
              type="checkbox"
              checked={vk[flag] ?? false}
              onChange={(e) => {
                change({ ...vk, [flag]: e.target.checked });
                blur();
              }}
            />
            {t(`compose.vk.${flag}`)}
          </label>
        ))}
      </div>
      <div className="field">
        <label htmlFor={`${id}-source`}>{t('compose.vk.copyright')}</label>
        <input
          id={`${id}-source`}
          dir="auto"
          maxLength={VK_COPYRIGHT_MAX}
          placeholder="https://"
          aria-describedby={`${id}-source-hint`}
          aria-invalid={!sourceValid}
          value={source}
          onBlur={blur}
          onChange={(e) => {
            const value = e.target.value;
            setSource(value);
            const { copyright: _left, ...rest } = vk;
            if (value === '') change(rest);
            else if (vkPostOptionsSchema.shape.copyright.safeParse(value).success) change({ ...vk, copyright: value });
          }}
        />
        <p className={sourceValid ? 'hint' : 'hint error'} id={`${id}-source-hint`}>
          {sourceValid ? t('compose.vk.copyrightHint') : t('compose.vk.copyrightInvalid', { max: VK_COPYRIGHT_TEXT_MAX })}
        </p>
      </div>
    </fieldset>
  );
});
