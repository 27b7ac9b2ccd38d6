import { memo, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NetworkOptions, PostMediaItem } from '../../../../main/core/contract';
import {
  qualifiesForShorts,
  YOUTUBE_CATEGORIES,
  YOUTUBE_DEFAULT_CATEGORY,
  YOUTUBE_TAGS_MAX,
  YOUTUBE_TITLE_MAX,
  youtubeTagsLength,
  youtubeVideoCost,
  type YouTubePostOptions,
  type YouTubePrivacy,
} from '../../../../main/core/networks/youtube';
import { unawaited } from '../../platform/unawaited';
import { useOpenPost } from '../post/open-post-store';
import './youtube-options.css';

const none: YouTubePostOptions = {};
const privacies: readonly YouTubePrivacy[] = ['public', 'unlisted', 'private'];
const privacyKey = { public: 'privacyPublic', unlisted: 'privacyUnlisted', private: 'privacyPrivate' } as const;

/** "bread, sourdough baking" → the tags as YouTube takes them. */
function tagsOf(text: string): string[] {
  return text.split(',').map((tag) => tag.trim()).filter(Boolean);
}

/** The video's title, tags, category, visibility, kids flag and Short; shown while the post has a YouTube target. */
// Memoised: it reads the store itself, so the composer's re-render on every keystroke need not reach it.
export const YouTubeOptions = memo(function YouTubeOptions({ editable, video }: { editable: boolean; video: PostMediaItem | undefined }) {
  const { t } = useTranslation();
  const id = useId();
  const all = useOpenPost((s) => s.draft?.networkOptions);
  const edit = useOpenPost((s) => s.edit);
  const options = all?.youtube ?? none;
  const postId = useOpenPost((s) => s.post?.id);
  const blur = () => unawaited(useOpenPost.getState().flush(), 'Saving the post');
  // Tags are typed as one line; the list is saved as it parses, the text kept while typing.
  const [tags, setTags] = useState((options.tags ?? []).join(', '));
  const [tagsOfPost, setTagsOfPost] = useState(postId);
  if (tagsOfPost !== postId) {
    setTagsOfPost(postId);
    setTags((options.tags ?? []).join(', '));
  }
  const titleLength = [...(options.title ?? '')].length;
  const tagsLength = youtubeTagsLength(tagsOf(tags));
  const shortsFits = video ? qualifiesForShorts({ ...(video.width ? { width: video.width } : {}), ...(video.height ? { height: video.height } : {}), ...(video.durationMs !== null ? { durationMs: video.durationMs } : {}) }) : false;
  const cost = youtubeVideoCost(true);

  const change = <K extends keyof YouTubePostOptions>(key: K, value: YouTubePostOptions[K] | undefined) => {
    const { [key]: _left, ...rest } = options;
    const next: YouTubePostOptions = value === undefined ? rest : { ...rest, [key]: value };
    const networkOptions: NetworkOptions = { ...all, youtube: next };
    edit({ networkOptions });
  };

  return (
    <fieldset className="compose-section youtube-options" disabled={!editable}>
      <legend>{t('compose.youtube.title')}</legend>
      <div className="details-grid">
        <div className="field">
          <label htmlFor={`${id}-title`}>{t('compose.youtube.videoTitle')}</label>
          <input
            id={`${id}-title`}
            dir="auto"
            maxLength={YOUTUBE_TITLE_MAX * 2}
            aria-describedby={`${id}-title-hint`}
            aria-invalid={titleLength > YOUTUBE_TITLE_MAX}
            value={options.title ?? ''}
            onBlur={blur}
            onChange={(e) => change('title', e.target.value === '' ? undefined : e.target.value)}
          />
          <p className={titleLength > YOUTUBE_TITLE_MAX ? 'hint error' : 'hint'} id={`${id}-title-hint`}>
            {titleLength === 0 ? t('compose.youtube.titleFallback') : t('compose.youtube.titleCount', { length: titleLength, max: YOUTUBE_TITLE_MAX })}
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-tags`}>{t('compose.youtube.tags')}</label>
          <input
            id={`${id}-tags`}
            dir="auto"
            aria-describedby={`${id}-tags-hint`}
            aria-invalid={tagsLength > YOUTUBE_TAGS_MAX}
            value={tags}
            onBlur={blur}
            onChange={(e) => {
              setTags(e.target.value);
              const list = tagsOf(e.target.value);
              change('tags', list.length > 0 ? list : undefined);
            }}
          />
          <p className={tagsLength > YOUTUBE_TAGS_MAX ? 'hint error' : 'hint'} id={`${id}-tags-hint`}>
            {t('compose.youtube.tagsHint', { length: tagsLength, max: YOUTUBE_TAGS_MAX })}
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-category`}>{t('compose.youtube.category')}</label>
          <select id={`${id}-category`} value={options.categoryId ?? YOUTUBE_DEFAULT_CATEGORY} onBlur={blur} onChange={(e) => change('categoryId', e.target.value === YOUTUBE_DEFAULT_CATEGORY ? undefined : e.target.value)}>
            {YOUTUBE_CATEGORIES.map((category) => (
              <option key={category} value={category}>
                {t(`compose.youtube.categories.${category}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-privacy`}>{t('compose.youtube.privacy')}</label>
          <select
            id={`${id}-privacy`}
            aria-describedby={`${id}-privacy-hint`}
            value={options.privacy ?? 'public'}
            onBlur={blur}
            onChange={(e) => change('privacy', e.target.value === 'public' ? undefined : (e.target.value as YouTubePrivacy))}
          >
            {privacies.map((privacy) => (
              <option key={privacy} value={privacy}>
                {t(`compose.youtube.${privacyKey[privacy]}`)}
              </option>
            ))}
          </select>
          <p className="hint" id={`${id}-privacy-hint`}>
            {t('compose.youtube.privacyHandoff')}
          </p>
        </div>
      </div>
      <label className="check">
        <input type="checkbox" checked={options.madeForKids ?? false} aria-describedby={`${id}-kids-hint`} onChange={(e) => change('madeForKids', e.target.checked ? true : undefined)} onBlur={blur} />
        {t('compose.youtube.madeForKids')}
      </label>
      <p className="hint" id={`${id}-kids-hint`}>
        {t('compose.youtube.madeForKidsHint')}
      </p>
      <label className="check">
        <input type="checkbox" checked={options.shorts ?? false} aria-describedby={`${id}-shorts-hint`} onChange={(e) => change('shorts', e.target.checked ? true : undefined)} onBlur={blur} />
        {t('compose.youtube.shorts')}
      </label>
      <p className="hint" id={`${id}-shorts-hint`} data-shorts={video ? (shortsFits ? 'yes' : 'no') : 'none'}>
        {!video ? t('compose.youtube.shortsNoVideo') : shortsFits ? t('compose.youtube.shortsYes') : t('compose.youtube.shortsNo')}
      </p>
      <p className="hint">{t('compose.youtube.thumbnail')}</p>
      <p className="hint">{t('compose.youtube.quota', { units: cost.units })}</p>
    </fieldset>
  );
});
