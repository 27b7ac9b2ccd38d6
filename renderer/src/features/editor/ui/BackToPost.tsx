import { useTranslation } from 'react-i18next';
import { useEditor } from '../editor-store';

/** Shown when the editor was opened from the composer: back to that post, the design left open here. */
export function BackToPost() {
  const { t } = useTranslation();
  const returnTo = useEditor((s) => s.returnTo);
  if (!returnTo) return null;
  return (
    <button type="button" className="button editor-back" onClick={() => useEditor.getState().backToPost()}>
      <span className="editor-back-arrow" aria-hidden="true">
        ←
      </span>
      {t('editor.toolbar.backToPost')}
    </button>
  );
}
