import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDismiss } from './use-dismiss';
import { emojiByCategory, emojiCategories, type EmojiCategory } from './emoji-data';
import { twemojiUrl } from './emoji-images';
import './emoji-picker.css';

/** An emoji in colour, as the bundled Twemoji picture; its button carries the name. */
function EmojiGlyph({ char }: { char: string }) {
  const url = twemojiUrl(char);
  return url ? <img className="emoji-image" src={url} alt="" width={20} height={20} draggable={false} /> : <span aria-hidden="true">{char}</span>;
}

interface EmojiPickerProps {
  onPick(emoji: string): void;
  onClose(): void;
}

/** A small popover of bundled emoji by category, in colour (Twemoji), with search; Escape closes it. */
export function EmojiPicker({ onPick, onClose }: EmojiPickerProps) {
  const { t } = useTranslation();
  const [category, setCategory] = useState<EmojiCategory>('smileys');
  const [query, setQuery] = useState('');
  const panel = useRef<HTMLDivElement>(null);

  useDismiss(panel, onClose);
  useEffect(() => {
    panel.current?.querySelector<HTMLElement>('input')?.focus();
  }, []);

  const needle = query.trim().toLowerCase();
  const shown = needle
    ? emojiCategories.flatMap((c) => emojiByCategory[c]).filter((e) => e.name.toLowerCase().includes(needle))
    : emojiByCategory[category];

  return (
    <div ref={panel} className="popover emoji-picker" role="dialog" aria-label={t('compose.emoji.title')}>
      <input
        type="search"
        aria-label={t('compose.emoji.search')}
        placeholder={t('compose.emoji.search')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {!needle && (
        <div role="tablist" aria-label={t('compose.emoji.categories')} className="emoji-tabs">
          {emojiCategories.map((c) => (
            <button
              key={c}
              type="button"
              role="tab"
              aria-selected={c === category}
              className="emoji-tab"
              title={t(`compose.emoji.category.${c}`)}
              aria-label={t(`compose.emoji.category.${c}`)}
              onClick={() => setCategory(c)}
            >
              {emojiByCategory[c][0] ? <EmojiGlyph char={emojiByCategory[c][0].char} /> : null}
            </button>
          ))}
        </div>
      )}
      <div className="emoji-grid" role="group" aria-label={needle ? t('compose.emoji.results') : t(`compose.emoji.category.${category}`)}>
        {shown.map((e) => (
          <button key={e.char} type="button" className="emoji" aria-label={e.name} title={e.name} onClick={() => onPick(e.char)}>
            <EmojiGlyph char={e.char} />
          </button>
        ))}
        {shown.length === 0 && <p className="hint">{t('compose.emoji.none')}</p>}
      </div>
    </div>
  );
}
