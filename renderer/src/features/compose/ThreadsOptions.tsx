import { memo, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { threadsPostOptionsSchema, type NetworkOptions } from '../../../../main/core/contract';
import { THREADS_REPLY_CONTROLS, THREADS_TOPIC_TAG_MAX, topicTagIssue, type ThreadsPostOptions } from '../../../../main/core/networks/threads';
import { unawaited } from '../../platform/unawaited';
import { useOpenPost } from '../post/open-post-store';

const none: ThreadsPostOptions = {};

/** The options only Threads has (who may reply, a topic, the link card); shown while the post has a Threads target. */
// Memoised: it reads the store itself, so the composer's re-render on every keystroke need not reach it.
export const ThreadsOptions = memo(function ThreadsOptions({ editable, hasMedia }: { editable: boolean; hasMedia: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const all = useOpenPost((s) => s.draft?.networkOptions);
  const edit = useOpenPost((s) => s.edit);
  const threads = all?.threads ?? none;
  const postId = useOpenPost((s) => s.post?.id);
  const blur = () => unawaited(useOpenPost.getState().flush(), 'Saving the post');
  // A link main would refuse stays in the field with a note instead of stopping every save.
  const [link, setLink] = useState(threads.linkAttachment ?? '');
  const [linkOf, setLinkOf] = useState(postId);
  if (linkOf !== postId) {
    setLinkOf(postId);
    setLink(threads.linkAttachment ?? '');
  }
  const linkValid = link.trim() === '' || threadsPostOptionsSchema.shape.linkAttachment.safeParse(link.trim()).success;
  const tagIssue = threads.topicTag === undefined ? undefined : topicTagIssue(threads.topicTag);

  const change = (key: keyof ThreadsPostOptions, value: string | undefined) => {
    const { [key]: _left, ...rest } = threads;
    const next: ThreadsPostOptions = value === undefined ? rest : { ...rest, [key]: value };
    const networkOptions: NetworkOptions = { ...all, threads: next };
    edit({ networkOptions });
  };

  return (
    <fieldset className="compose-section threads-options" disabled={!editable}>
      <legend>{t('compose.threads.title')}</legend>
      <div className="details-grid threads-option-fields">
        <div className="field">
          <label htmlFor={`${id}-reply`}>{t('compose.threads.replyControl')}</label>
          <select
            id={`${id}-reply`}
            value={threads.replyControl ?? ''}
            onChange={(e) => {
              change('replyControl', e.target.value === '' ? undefined : e.target.value);
              blur();
            }}
          >
            <option value="">{t('compose.threads.replyDefault')}</option>
            {THREADS_REPLY_CONTROLS.map((control) => (
              <option key={control} value={control}>
                {t(`compose.threads.reply.${control}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-topic`}>{t('compose.threads.topicTag')}</label>
          <input
            id={`${id}-topic`}
            dir="auto"
            maxLength={THREADS_TOPIC_TAG_MAX * 2}
            aria-describedby={`${id}-topic-hint`}
            aria-invalid={tagIssue !== undefined}
            value={threads.topicTag ?? ''}
            onBlur={blur}
            onChange={(e) => change('topicTag', e.target.value === '' ? undefined : e.target.value)}
          />
          <p className={tagIssue ? 'hint error' : 'hint'} id={`${id}-topic-hint`}>
            {t(tagIssue ? 'compose.threads.topicTagInvalid' : 'compose.threads.topicTagHint', { max: THREADS_TOPIC_TAG_MAX })}
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-link`}>{t('compose.threads.linkAttachment')}</label>
          <input
            id={`${id}-link`}
            dir="ltr"
            type="url"
            placeholder="https://"
            aria-describedby={`${id}-link-hint`}
            aria-invalid={!linkValid || (hasMedia && link !== '')}
            value={link}
            onBlur={blur}
            onChange={(e) => {
              const value = e.target.value.trim();
              setLink(e.target.value);
              if (value === '') change('linkAttachment', undefined);
              else if (threadsPostOptionsSchema.shape.linkAttachment.safeParse(value).success) change('linkAttachment', value);
            }}
          />
          <p className={!linkValid || (hasMedia && link !== '') ? 'hint error' : 'hint'} id={`${id}-link-hint`}>
            {!linkValid ? t('compose.threads.linkInvalid') : hasMedia ? t('compose.threads.linkWithMedia') : t('compose.threads.linkHint')}
          </p>
        </div>
      </div>
    </fieldset>
  );
});
