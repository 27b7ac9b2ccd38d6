import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { placeholdersOf } from '../../../../../main/core/editor/templates';
import { Dialog } from '../../../ui/Dialog';
import { useEditor } from '../editor-store';
import { useProblemText } from './ProblemText';

/** Saves the design as a template: the photo and the text marked "replaceable" are what changes when it is applied. */
export function SaveTemplateDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const design = useEditor((s) => s.design);
  const problem = useEditor((s) => s.problem);
  const problemText = useProblemText();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  if (!design) return null;
  const texts = placeholdersOf(design).texts.length;
  return (
    <Dialog title={t('editor.template.title')} onClose={onClose}>
      <form
        className="form"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          const saved = await useEditor.getState().saveTemplate(name);
          setBusy(false);
          if (saved) onClose();
        }}
      >
        <div className="field">
          <label htmlFor="template-name">{t('editor.template.name')}</label>
          <input id="template-name" value={name} maxLength={80} dir="auto" onChange={(e) => setName(e.target.value)} />
        </div>
        <p className="hint">{t('editor.template.placeholders', { count: texts })}</p>
        {problem ? (
          <p className="error" role="alert">
            {problemText(problem)}
          </p>
        ) : null}
        <div className="dialog-actions">
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            {t('editor.cancel')}
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {t('editor.template.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
