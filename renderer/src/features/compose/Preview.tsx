import { memo, useState, type ReactNode } from 'react';
import { useLinkCard } from './link-card-store';
import { useTranslation } from 'react-i18next';
import type { PostMediaItem } from '../../../../main/core/contract';
import { findEntities, type LinkEntity } from '../../../../main/core/networks/entities';
import { postWords } from '../../ui/post-words';
import type { NetworkId } from '../../../../main/core/networks/ids';
import { MediaThumb } from './MediaThumb';

interface PreviewProps {
  network: NetworkId;
  displayName: string;
  handle: string;
  text: string;
  media: readonly PostMediaItem[];
  /** How the time reads ("Mon 1 Sep, 10:00"), or null for "now". */
  when: string | null;
}

/** Networks that fold long text behind "…more", and after about how many characters. */
const foldAt: Partial<Record<NetworkId, number>> = {
  instagram: 125,
  linkedin: 210,
  facebook: 480,
  threads: 500,
  pinterest: 50,
};

/** Where networks that show the whole text are folded in the preview. */
export const PREVIEW_FOLD = 1000;

/** Networks that show a card for the first link when the post has no media (VK and OK: FeedPreview). */
const showsLinkCard: ReadonlySet<NetworkId> = new Set([
  'x',
  'bluesky',
  'mastodon',
  'telegram',
  'linkedin',
  'facebook',
  'threads',
  'discord',
]);

/** Networks that post the card Outpost keeps (the rest build their own from the page): removing it shows there. */
const ownCard: ReadonlySet<NetworkId> = new Set(['bluesky', 'telegram']);

/** Networks that put media first and the text under it. */
const mediaFirst: ReadonlySet<NetworkId> = new Set(['instagram', 'pinterest']);

/** Networks that show several images one at a time (a carousel) rather than as a grid. */
const carousel: ReadonlySet<NetworkId> = new Set(['instagram', 'threads', 'linkedin', 'pinterest']);

function firstLink(text: string): LinkEntity | undefined {
  return findEntities(text).find((e): e is LinkEntity => e.type === 'link');
}

function MediaGrid({ network, media }: { network: NetworkId; media: readonly PostMediaItem[] }) {
  const { t } = useTranslation();
  if (media.length === 0) return null;
  if (carousel.has(network) && media.length > 1) {
    return (
      <div className="preview-carousel">
        <MediaThumb item={media[0] as PostMediaItem} fit={network === 'instagram' ? 'cover-4x5' : 'natural'} />
        <p className="preview-carousel-dots" aria-label={t('compose.preview.carousel', { count: media.length })}>
          {media.map((m, i) => (
            <span key={m.mediaId} className={i === 0 ? 'dot active' : 'dot'} aria-hidden="true" />
          ))}
        </p>
      </div>
    );
  }
  const shown = media.slice(0, 4);
  return (
    <div className={`preview-grid count-${shown.length}`}>
      {shown.map((m, i) => (
        <div key={m.mediaId} className="preview-cell">
          <MediaThumb item={m} fit={shown.length === 1 ? 'natural' : 'cover'} />
          {i === 3 && media.length > 4 && <span className="preview-more">+{media.length - 4}</span>}
        </div>
      ))}
    </div>
  );
}

/**
 * The post's text, folded behind "more" past `fold` characters as the network does (and so six previews
 * never slow typing). `lead` goes before the text in the same line (Instagram's bold username), `more`
 * is the network's own word for unfolding (Facebook's "See more").
 */
export function PostText({ text, fold, lead, more }: { text: string; fold: number; lead?: ReactNode; more?: string }) {
  const { t } = useTranslation();
  const [expanded, setExpanded] = useState(false);
  if (!text && !lead) return null;
  const folded = !expanded && text.length > fold && [...text].length > fold;
  const shownText = folded ? `${Array.from(text).slice(0, fold).join('').trimEnd()}…` : text;
  return (
    <p className="preview-text" dir="auto">
      {lead}
      {postWords(shownText, true)}
      {folded && (
        <>
          {' '}
          <button type="button" className="link-button" onClick={() => setExpanded(true)}>
            {more ?? t('compose.preview.more')}
          </button>
        </>
      )}
    </p>
  );
}

/** One target's post as its network would show it: header, wrapped text, image grid or link card. */
export const Preview = memo(function Preview({ network, displayName, handle, text, media, when }: PreviewProps) {
  const { t } = useTranslation();
  const link = media.length === 0 && showsLinkCard.has(network) ? firstLink(text) : undefined;
  // The card the post keeps for this very link; other links show the address only, as before a fetch.
  const card = useLinkCard((s) => (link && s.card?.url === link.url ? s.card : null));
  const name = t(`networks.${network}`);
  const body = <PostText text={text} fold={foldAt[network] ?? PREVIEW_FOLD} />;

  let host = '';
  if (link) {
    try {
      host = new URL(link.url).host;
    } catch {
      host = link.text;
    }
  }

  return (
    <article className={`preview preview-${network}`} aria-label={t('compose.preview.label', { network: name, handle })}>
      <header className="preview-head">
        <span className={`avatar net-${network}`} aria-hidden="true">
          {(displayName || handle).slice(0, 1).toUpperCase()}
        </span>
        <span className="preview-who">
          <bdi className="preview-name">{displayName || handle}</bdi>
          <bdi className="preview-handle">{handle}</bdi>
        </span>
        <span className="preview-network">{name}</span>
      </header>
      {mediaFirst.has(network) ? (
        <>
          <MediaGrid network={network} media={media} />
          {body}
        </>
      ) : (
        <>
          {body}
          <MediaGrid network={network} media={media} />
        </>
      )}
      {link && !(card?.dropped && ownCard.has(network)) && (
        <div className={`link-card${card && !card.dropped ? ' fetched' : ''}${network === 'telegram' && card?.above ? ' above' : ''}`}>
          {card && !card.dropped && card.image && <img className={`link-card-image${network === 'telegram' && !card.large ? ' small' : ''}`} src={card.image} alt="" />}
          <span className="link-card-host">{card && !card.dropped ? card.siteName : host}</span>
          <bdi className="link-card-url" dir="auto">
            {card && !card.dropped ? card.title || link.url : link.url}
          </bdi>
          {card && !card.dropped && card.description && (
            <bdi className="link-card-description" dir="auto">
              {card.description}
            </bdi>
          )}
        </div>
      )}
      <footer className="preview-foot">{when ?? t('compose.preview.now')}</footer>
    </article>
  );
});
