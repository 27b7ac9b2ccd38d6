import { memo, useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { NetworkOptions } from '../../../../main/core/contract';
import { POLL_MAX_OPTIONS, POLL_MIN_OPTIONS, type PollOptions } from '../../../../main/core/networks/polls';
import { unawaited } from '../../platform/unawaited';
import { useOpenPost } from '../post/open-post-store';

/** How long a poll stays open, in minutes: the choices networks share (Mastodon's shortest is 5 minutes). */
const durations = [5, 30, 60, 6 * 60, 24 * 60, 3 * 24 * 60, 7 * 24 * 60] as const;

const fresh: PollOptions = { options: ['', ''], durationMinutes: 24 * 60, multiple: false };

/**
 * A poll under the post (issue 12 item 8): the text is the question; answer options, how long it
 * is open, one answer or several. The counters and the list under Schedule say where it cannot go.
 */
// Memoised: it reads the store itself, so the composer's re-render on every keystroke need not reach it.
export const PollEditor = memo(function PollEditor({ editable }: { editable: boolean }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const all = useOpenPost((s) => s.draft?.networkOptions);
  const edit = useOpenPost((s) => s.edit);
  const poll = all?.poll;
  const save = () => unawaited(useOpenPost.getState().flush(), 'Saving the post');
  const set = (next: PollOptions | undefined) => {
    const { poll: _left, ...rest } = all ?? {};
    const networkOptions: NetworkOptions = next ? { ...rest, poll: next } : rest;
    edit({ networkOptions });
  };
  const duration = (minutes: number) =>
    minutes % (24 * 60) === 0
      ? new Intl.NumberFormat(i18n.language, { style: 'unit', unit: 'day', unitDisplay: 'long' }).format(minutes / (24 * 60))
      : minutes % 60 === 0
        ? new Intl.NumberFormat(i18n.language, { style: 'unit', unit: 'hour', unitDisplay: 'long' }).format(minutes / 60)
        : new Intl.NumberFormat(i18n.language, { style: 'unit', unit: 'minute', unitDisplay: 'long' }).format(minutes);

  if (!poll) {
    return (
      <div className="poll-editor">
        <button
          type="button"
          className="button"
          disabled={!editable}
          onClick={() => {
            set(fresh);
            save();
          }}
        >
          {t('compose.poll.add')}
        </button>
      </div>
    );
  }
  const option = (i: number, text: string) => set({ ...poll, options: poll.options.map((o, k) => (k === i ? text : o)) });
  return (
    <fieldset className="compose-section poll-editor" disabled={!editable}>
      <legend>{t('compose.poll.title')}</legend>
      <p className="hint">{t('compose.poll.question')}</p>
      <ol className="poll-options">
        {poll.options.map((text, i) => (
          <li key={i}>
            <input dir="auto" aria-label={t('compose.poll.option', { position: i + 1 })} value={text} maxLength={200} onChange={(e) => option(i, e.target.value)} onBlur={save} />
            {poll.options.length > POLL_MIN_OPTIONS && (
              <button
                type="button"
                className="button subtle"
                aria-label={t('compose.poll.removeOption', { position: i + 1 })}
                onClick={() => {
                  set({ ...poll, options: poll.options.filter((_, k) => k !== i) });
                  save();
                }}
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ol>
      <div className="poll-settings">
        {poll.options.length < POLL_MAX_OPTIONS && (
          <button type="button" className="button" onClick={() => set({ ...poll, options: [...poll.options, ''] })}>
            {t('compose.poll.addOption')}
          </button>
        )}
        <label htmlFor={`${id}-duration`}>{t('compose.poll.duration')}</label>
        <select
          id={`${id}-duration`}
          value={poll.durationMinutes}
          onChange={(e) => {
            set({ ...poll, durationMinutes: Number(e.target.value) });
            save();
          }}
        >
          {durations.map((minutes) => (
            <option key={minutes} value={minutes}>
              {duration(minutes)}
            </option>
          ))}
        </select>
        <label className="radio">
          <input
            type="checkbox"
            checked={poll.multiple}
            onChange={(e) => {
              set({ ...poll, multiple: e.target.checked });
              save();
            }}
          />
          {t('compose.poll.multiple')}
        </label>
        <button
          type="button"
          className="button subtle"
          onClick={() => {
            set(undefined);
            save();
          }}
        >
          {t('compose.poll.remove')}
        </button>
      </div>
    </fieldset>
  );
});
