import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Media } from '../../../../main/core/contract';
import type { OutpostError } from '../../../../main/core/errors';
import { MAX_ALT_TEXT } from '../../../../main/core/media';
import { mediaUrl } from '../../platform/media';
import { Dialog } from '../../ui/Dialog';
import { useErrorText } from '../../ui/useErrorText';
import { useMedia } from './media-store';
import { unawaited } from '../../platform/unawaited';

interface AltTextDialogProps {
  item: Media;
  onClose(): void;
}

export function AltTextDialog({ item, onClose }: AltTextDialogProps) {
  const { t } = useTranslation();
  const describe = useErrorText();
  const updateAlt = useMedia((s) => s.updateAlt);
  const [text, setText] = useState(item.altText);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<OutpostError | null>(null);
  const fieldId = useId();
  const hintId = useId();
  const length = [...text].length;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await updateAlt(item.id, text);
    setBusy(false);
    if (result.ok) onClose();
    else setError(result.error);
  };

  return (
    <Dialog title={t('media.altDialogTitle', { name: item.fileName })} onClose={onClose}>
      <form className="form" onSubmit={(e) => unawaited(submit(e), 'submit')}>
        {item.kind === 'image' && <img className="alt-preview" src={mediaUrl(item.id, 'thumb')} alt="" />}
        <div className="field">
          <label htmlFor={fieldId}>{t('media.altLabel')}</label>
          <textarea
            id={fieldId}
            rows={4}
            value={text}
            maxLength={MAX_ALT_TEXT}
            onChange={(e) => setText(e.target.value)}
            aria-describedby={hintId}
            dir="auto"
          />
          <p id={hintId} className="hint">
            {t('media.altHint', { count: length, max: MAX_ALT_TEXT })}
          </p>
        </div>
        {error && (
          <p role="alert" className="error">
            {describe(error)}
          </p>
        )}
        <div className="dialog-actions">
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            {t('media.cancel')}
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {t('media.saveAlt')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
