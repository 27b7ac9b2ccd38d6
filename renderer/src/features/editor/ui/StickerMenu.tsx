import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useEditor } from '../editor-store';
import { stickerImage, stickers } from '../stickers';
import { Icon } from './icons';


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
              <img src={stickerImage(emoji)?.src} alt="" width={26} height={26} />
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
