import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useEditor } from '../editor-store';
import { Icon } from './icons';

/** Stickers drawn with the bundled Noto Color Emoji, so they look the same on every computer. */
export const stickers = ['😀', '😍', '🥳', '😎', '🤩', '😂', '👍', '👏', '🙌', '💪', '🙏', '👉', '❤️', '🔥', '✨', '⭐', '🎉', '🎁', '📣', '📌', '✅', '❗', '💡', '📸', '☕', '🍕', '🌸', '🌿', '☀️', '🌈', '🚀', '💯'] as const;

export function StickerMenu() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector('button')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        setOpen(false);
      }
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, [open]);

  return (
    <div className="editor-menu-anchor">
      <button type="button" className="editor-tool" aria-label={t('editor.toolbar.sticker')} title={t('editor.toolbar.sticker')} aria-expanded={open} aria-haspopup="true" onClick={() => setOpen(!open)}>
        <Icon name="sticker" />
      </button>
      {open ? (
        <div ref={menu} className="editor-stickers" role="group" aria-label={t('editor.stickers.label')}>
          {stickers.map((emoji) => (
            <button
              key={emoji}
              type="button"
              className="editor-sticker"
              aria-label={t('editor.stickers.add', { emoji })}
              onClick={() => {
                useEditor.getState().addSticker(emoji);
                setOpen(false);
              }}
            >
              {emoji}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
