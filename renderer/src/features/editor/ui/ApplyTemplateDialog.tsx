import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DesignTemplate, Media } from '../../../../../main/core/contract';
import { placeholdersOf } from '../../../../../main/core/editor/templates';
import { Dialog } from '../../../ui/Dialog';
import { useEditor } from '../editor-store';
import { LibraryPicker } from './LibraryPicker';
import { unawaited } from '../../../platform/unawaited';

/** Applies a template to a new photo in one step: pick the photo, fill in its replaceable text, done. */
export function ApplyTemplateDialog({ template, onClose }: { template: DesignTemplate; onClose(): void }) {
  const { t } = useTranslation();
  const placeholders = placeholdersOf(template.design);
  const [photo, setPhoto] = useState<Media | null>(null);
  const [texts, setTexts] = useState<Record<string, string>>(() => Object.fromEntries(placeholders.texts.map((p) => [p.id, p.text])));

  const apply = () => {
    if (!photo) return;
    onClose();
    unawaited(useEditor.getState().openMedia(photo.id, { template, fill: { texts } }), 'openMedia');
  };

  return (
    <Dialog title={t('editor.applyTemplate.title', { name: template.name })} onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <fieldset className="field">
          <legend>{t('editor.applyTemplate.photo')}</legend>
          <div className="editor-picker-scroll">
            <LibraryPicker
              label={t('editor.applyTemplate.photo')}
              actionLabel={(m) => t('editor.applyTemplate.usePhoto', { name: m.fileName })}
              selectedId={photo?.id ?? null}
              onPick={setPhoto}
            />
          </div>
        </fieldset>
        {placeholders.texts.map((p, i) => (
          <div className="field" key={p.id}>
            <label htmlFor={`tpl-text-${p.id}`}>{p.name || t('editor.applyTemplate.textN', { n: i + 1 })}</label>
            <textarea id={`tpl-text-${p.id}`} dir="auto" rows={2} value={texts[p.id] ?? ''} onChange={(e) => setTexts({ ...texts, [p.id]: e.target.value })} />
          </div>
        ))}
        <div className="dialog-actions">
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            {t('editor.cancel')}
          </button>
          <button type="submit" className="button primary" disabled={!photo}>
            {t('editor.applyTemplate.apply')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
