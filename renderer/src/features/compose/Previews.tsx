import { useDeferredValue } from 'react';
import { useTranslation } from 'react-i18next';
import type { NetworkOptions, PostMediaItem } from '../../../../main/core/contract';
import { chainTexts, hasThread, takesChains } from '../../../../main/core/posts/thread';
import { DiscordPreview } from './DiscordPreview';
import { XPreview } from './XPreview';
import { OkPreview, VkPreview } from './FeedPreview';
import { FacebookPreview, InstagramPreview, ThreadsPreview } from './MetaPreview';
import { PinterestPreview } from './PinterestPreview';
import { LinkedInPreview } from './LinkedInPreview';
import { YouTubePreview } from './YouTubePreview';
import { Preview } from './Preview';
import type { TargetView } from './use-targets';

const noOptions = {};
const noFacts: Record<string, PostMediaItem> = {};

/** Previews trail the text by a frame when typing is fast, so they never hold up a keystroke. */
export function Previews({ views, when, options, facts = noFacts }: { views: TargetView[]; when: string | null; options: NetworkOptions; facts?: Record<string, PostMediaItem> }) {
  const { t } = useTranslation();
  const deferred = useDeferredValue(views);
  const thread = options.thread;
  // A thread shows on networks that take one: each part as its own post under the one before, numbered as it will go out.
  const partsOf = (v: TargetView) =>
    hasThread(thread) && takesChains(v.network)
      ? chainTexts(v.text, thread).map((text, i) => ({ text, media: i === 0 ? v.media : (thread.parts[i - 1]?.media ?? []).flatMap((id) => facts[id] ?? []) }))
      : null;
  return (
    <section className="compose-section" aria-label={t('compose.preview.title')}>
      <h3>{t('compose.preview.title')}</h3>
      {deferred.length === 0 && <p className="hint">{t('compose.preview.none')}</p>}
      <div className="previews">
        {deferred.map((v) =>
          v.network === 'vk' ? (
            <VkPreview key={v.accountId} displayName={v.displayName} handle={v.handle} text={v.text} media={v.media} when={when} options={options.vk ?? noOptions} />
          ) : v.network === 'facebook' ? (
            <FacebookPreview key={v.accountId} displayName={v.displayName} handle={v.handle} text={v.text} media={v.media} when={when} />
          ) : v.network === 'instagram' ? (
            <InstagramPreview key={v.accountId} displayName={v.displayName} handle={v.handle} text={v.text} media={v.media} when={when} />
          ) : v.network === 'threads' && partsOf(v) ? (
            <div key={v.accountId} className="preview-thread" role="group" aria-label={t('compose.preview.x.thread', { network: t('networks.threads'), handle: v.handle, count: partsOf(v)?.length ?? 1 })}>
              {partsOf(v)?.map((part, i) => (
                <ThreadsPreview key={i} displayName={v.displayName} handle={v.handle} text={part.text} media={part.media} when={when} options={options.threads ?? noOptions} />
              ))}
            </div>
          ) : v.network === 'threads' ? (
            <ThreadsPreview key={v.accountId} displayName={v.displayName} handle={v.handle} text={v.text} media={v.media} when={when} options={options.threads ?? noOptions} />
          ) : v.network === 'x' ? (
            <XPreview key={v.accountId} displayName={v.displayName} handle={v.handle} parts={partsOf(v) ?? [{ text: v.text, media: v.media }]} when={when} />
          ) : v.network === 'discord' ? (
            <DiscordPreview key={v.accountId} displayName={v.displayName} handle={v.handle} text={v.text} media={v.media} when={when} />
          ) : v.network === 'pinterest' ? (
            <PinterestPreview key={v.accountId} displayName={v.displayName} handle={v.handle} text={v.text} media={v.media} options={options.pinterest ?? noOptions} />
          ) : v.network === 'youtube' ? (
            <YouTubePreview key={v.accountId} displayName={v.displayName} handle={v.handle} text={v.text} media={v.media} when={when} options={options.youtube ?? noOptions} />
          ) : v.network === 'linkedin' ? (
            <LinkedInPreview key={v.accountId} displayName={v.displayName} handle={v.handle} text={v.text} media={v.media} when={when} />
          ) : v.network === 'ok' ? (
            <OkPreview key={v.accountId} displayName={v.displayName} handle={v.handle} text={v.text} media={v.media} when={when} />
          ) : partsOf(v) ? (
            <div key={v.accountId} className="preview-thread" role="group" aria-label={t('compose.preview.x.thread', { network: t(`networks.${v.network}`), handle: v.handle, count: partsOf(v)?.length ?? 1 })}>
              {partsOf(v)?.map((part, i) => (
                <Preview key={i} network={v.network} displayName={v.displayName} handle={v.handle} text={part.text} media={part.media} when={when} />
              ))}
            </div>
          ) : (
            <Preview key={v.accountId} network={v.network} displayName={v.displayName} handle={v.handle} text={v.text} media={v.media} when={when} />
          ),
        )}
      </div>
    </section>
  );
}

/** The post’s wall time as the previews show it ("Mon, 5 Jan, 09:00"). */
export function formatWhen(local: string, language: string): string {
  const [date, time] = local.split('T');
  const [y, m, d] = (date ?? '').split('-').map(Number);
  const day = new Date(Date.UTC(y ?? 2000, (m ?? 1) - 1, d ?? 1));
  return `${new Intl.DateTimeFormat(language, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(day)}, ${time}`;
}
