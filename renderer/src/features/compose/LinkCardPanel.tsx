import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkCard } from '../../../../main/core/contract';
import { CARD_DESCRIPTION_MAX, CARD_TITLE_MAX, firstCardLink } from '../../../../main/core/link-card';
import { unawaited } from '../../platform/unawaited';
import { useErrorText } from '../../ui/useErrorText';
import { useLinkCard } from './link-card-store';

/** How long the text must rest with a new link before its page is fetched: no fetch per keystroke of a URL being typed. */
const SETTLE_MS = 800;

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/**
 * The card of the post's first link: fetched by itself once the link is typed (while online), kept
 * with the post for offline previews, and the user's to reword, remove or lay out for Telegram.
 */
export function LinkCardPanel({ postId, text, editable, telegram }: { postId: string; text: string; editable: boolean; telegram: boolean }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { card, fetching, failed, load, fetch } = useLinkCard();
  const online = useOnline();
  const link = firstCardLink(text);

  useEffect(() => {
    if (postId) unawaited(load(postId), 'Reading the link card');
  }, [postId, load]);

  const needed = Boolean(postId && link && editable && card?.url !== link && fetching !== link && failed?.url !== link);
  useEffect(() => {
    if (!needed || !online || !link) return;
    const timer = setTimeout(() => unawaited(fetch(postId, link), 'Fetching the link card'), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [needed, online, link, postId, fetch]);

  if (!link) return null;
  const current = card?.url === link ? card : null;
  return (
    <section className="compose-section link-card-panel" aria-label={t('compose.card.title')}>
      <h3>{t('compose.card.title')}</h3>
      {fetching === link && (
        <p className="hint" role="status">
          {t('compose.card.fetching')}
        </p>
      )}
      {!current && fetching !== link && !online && <p className="hint">{t('compose.card.offline')}</p>}
      {failed?.url === link && (
        <p className="error" role="alert">
          {errorText(failed.error)}{' '}
          <button type="button" className="button subtle" disabled={!online} onClick={() => unawaited(fetch(postId, link), 'Fetching the link card')}>
            {t('compose.card.retry')}
          </button>
        </p>
      )}
      {current && <CardEditor key={`${current.url}:${current.fetchedAt}`} card={current} editable={editable} telegram={telegram} online={online} />}
    </section>
  );
}

function CardEditor({ card, editable, telegram, online }: { card: LinkCard; editable: boolean; telegram: boolean; online: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const { update, fetch } = useLinkCard();
  const [title, setTitle] = useState(card.title);
  const [description, setDescription] = useState(card.description);
  const save = () => {
    if (title !== card.title || description !== card.description) unawaited(update({ title, description }), 'Saving the link card');
  };

  if (card.dropped) {
    return (
      <p className="hint">
        {t('compose.card.removed')}{' '}
        <button type="button" className="button subtle" disabled={!editable} onClick={() => unawaited(update({ dropped: false }), 'Showing the link card')}>
          {t('compose.card.show')}
        </button>
      </p>
    );
  }
  return (
    <fieldset className="link-card-editor" disabled={!editable}>
      <legend className="visually-hidden">{t('compose.card.title')}</legend>
      {card.image ? <img className="link-card-editor-image" src={card.image} alt="" /> : <div className="link-card-editor-image none">{t('compose.card.noImage')}</div>}
      <div className="link-card-editor-fields">
        <label htmlFor={`${id}-title`}>{t('compose.card.cardTitle')}</label>
        <input id={`${id}-title`} dir="auto" value={title} maxLength={CARD_TITLE_MAX} onChange={(e) => setTitle(e.target.value)} onBlur={save} />
        <label htmlFor={`${id}-description`}>{t('compose.card.description')}</label>
        <textarea id={`${id}-description`} dir="auto" rows={2} value={description} maxLength={CARD_DESCRIPTION_MAX} onChange={(e) => setDescription(e.target.value)} onBlur={save} />
        <p className="hint">
          <bdi>{card.siteName}</bdi>
          {card.edited && ` · ${t('compose.card.edited')}`}
        </p>
        {telegram && (
          <div className="link-card-telegram">
            <span>{t('compose.card.telegram')}</span>
            <label className="radio">
              <input type="checkbox" checked={card.above} onChange={(e) => unawaited(update({ above: e.target.checked }), 'Saving the link card')} />
              {t('compose.card.above')}
            </label>
            <label className="radio">
              <input type="checkbox" checked={card.large} onChange={(e) => unawaited(update({ large: e.target.checked }), 'Saving the link card')} />
              {t('compose.card.large')}
            </label>
          </div>
        )}
        <div className="link-card-actions">
          <button type="button" className="button" onClick={() => unawaited(update({ dropped: true }), 'Removing the link card')}>
            {t('compose.card.remove')}
          </button>
          <button type="button" className="button subtle" disabled={!online} onClick={() => unawaited(fetch(card.postId, card.url), 'Fetching the link card')}>
            {t('compose.card.refetch')}
          </button>
        </div>
      </div>
    </fieldset>
  );
}
