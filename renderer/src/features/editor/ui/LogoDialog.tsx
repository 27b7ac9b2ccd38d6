import { useTranslation } from 'react-i18next';
import { Dialog } from '../../../ui/Dialog';
import { useEditor } from '../editor-store';
import { LibraryPicker } from './LibraryPicker';
import { unawaited } from '../../../platform/unawaited';

/** Puts a library image (a logo, a watermark) over the design, half see-through in a corner to start. */
export function LogoDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Dialog title={t('editor.logo.title')} onClose={onClose}>
      <p className="hint">{t('editor.logo.hint')}</p>
      <div className="editor-picker-scroll">
        <LibraryPicker
          label={t('editor.logo.title')}
          actionLabel={(m) => t('editor.logo.add', { name: m.fileName })}
          onPick={(m) => {
            unawaited(useEditor.getState().addImage(m), 'addImage');
            onClose();
          }}
        />
      </div>
      <div className="dialog-actions">
        <span className="spacer" />
        <button type="button" className="button" onClick={onClose}>
          {t('editor.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
