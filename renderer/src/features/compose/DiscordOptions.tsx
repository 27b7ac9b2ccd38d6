import { memo, useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { NetworkOptions } from '../../../../main/core/contract';
import { DISCORD_THREAD_NAME_MAX } from '../../../../main/core/networks/discord';
import { unawaited } from '../../platform/unawaited';
import { useOpenPost } from '../post/open-post-store';

/** The title of the thread the post opens in a Discord forum channel; shown while the post has a Discord target. */
// Memoised: it reads the store itself, so the composer's re-render on every keystroke need not reach it.
export const DiscordOptions = memo(function DiscordOptions({ editable }: { editable: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const all = useOpenPost((s) => s.draft?.networkOptions);
  const edit = useOpenPost((s) => s.edit);
  const name = all?.discord?.threadName ?? '';
  const length = [...name].length;
  const blur = () => unawaited(useOpenPost.getState().flush(), 'Saving the post');

  const change = (value: string) => {
    const networkOptions: NetworkOptions = { ...all, discord: value === '' ? {} : { threadName: value } };
    edit({ networkOptions });
  };

  return (
    <fieldset className="compose-section discord-options" disabled={!editable}>
      <legend>{t('compose.discord.title')}</legend>
      <div className="field">
        <label htmlFor={id}>{t('compose.discord.threadName')}</label>
        <input
          id={id}
          dir="auto"
          maxLength={DISCORD_THREAD_NAME_MAX * 2}
          aria-describedby={`${id}-hint`}
          aria-invalid={length > DISCORD_THREAD_NAME_MAX}
          value={name}
          placeholder={t('compose.discord.threadNamePlaceholder')}
          onBlur={blur}
          onChange={(e) => change(e.target.value)}
        />
        <p className={length > DISCORD_THREAD_NAME_MAX ? 'hint error' : 'hint'} id={`${id}-hint`}>
          {t('compose.discord.threadNameHint', { length, max: DISCORD_THREAD_NAME_MAX })}
        </p>
      </div>
    </fieldset>
  );
});
