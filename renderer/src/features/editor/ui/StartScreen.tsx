import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DesignTemplate, ImportFailure } from '../../../../../main/core/contract';
import { sizePresets } from '../../../../../main/core/editor/presets';
import { invoke, subscribe } from '../../../platform/api';
import { importFiles } from '../../../platform/media';
import { useEditor } from '../editor-store';
import { ApplyTemplateDialog } from './ApplyTemplateDialog';
import { LibraryPicker } from './LibraryPicker';
import { ProblemAlert } from './ProblemText';
import { unawaited } from '../../../platform/unawaited';
import { useProjects } from '../../projects/projects-store';
import { BackToPost } from './BackToPost';

/** Where editing starts: a library image, a blank canvas of a network's size, or a template. */
export function StartScreen() {
  const { t, i18n } = useTranslation();
  const problem = useEditor((s) => s.problem);
  const [templates, setTemplates] = useState<DesignTemplate[]>([]);
  const [applying, setApplying] = useState<DesignTemplate | null>(null);
  const [importing, setImporting] = useState(false);
  const [refused, setRefused] = useState<ImportFailure | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const load = async () => {
      const result = await invoke('editor.templates', {});
      if (result.ok) setTemplates(result.value);
    };
    unawaited(load(), 'load');
    return subscribe('editor.templatesChanged', () => unawaited(load(), 'load'));
  }, []);

  const importAndOpen = async (files: FileList | null) => {
    if (!files?.length) return;
    setImporting(true);
    setRefused(null);
    // A photo imported here joins the active project's library, as on the Media page.
    const [outcome] = await importFiles([...files].slice(0, 1), useProjects.getState().activeId);
    setImporting(false);
    if (!outcome) return;
    if (outcome.ok) unawaited(useEditor.getState().openMedia(outcome.media.id), 'openMedia');
    else setRefused(outcome);
  };

  const refusal = (failure: ImportFailure) => {
    const key = `media.failure.${failure.reason}`;
    const reason = i18n.exists(key) ? t(key, failure.details ?? {}) : t('editor.problem.image_corrupt');
    return t('editor.start.notImported', { name: failure.fileName, reason });
  };

  return (
    <div className="editor-start">
      <BackToPost />
      {problem ? <ProblemAlert problem={problem} onDismiss={() => useEditor.getState().dismissProblem()} /> : null}
      {refused ? (
        <div className="editor-problem" role="alert">
          <p>{refusal(refused)}</p>
          <button type="button" className="button subtle" onClick={() => setRefused(null)}>
            {t('editor.dismiss')}
          </button>
        </div>
      ) : null}

      <section className="editor-start-section" aria-labelledby="editor-open-photo">
        <div className="editor-start-head">
          <h2 id="editor-open-photo">{t('editor.start.photoHeading')}</h2>
          <button type="button" className="button" disabled={importing} onClick={() => fileInput.current?.click()}>
            {importing ? t('editor.start.importing') : t('editor.start.import')}
          </button>
          <input
            ref={fileInput}
            type="file"
            accept="image/jpeg,image/png,image/webp,image/gif,.jpg,.jpeg,.png,.webp,.gif"
            className="visually-hidden"
            tabIndex={-1}
            aria-label={t('editor.start.importLabel')}
            onChange={(e) => {
              unawaited(importAndOpen(e.currentTarget.files), 'importAndOpen');
              e.currentTarget.value = '';
            }}
          />
        </div>
        <LibraryPicker
          label={t('editor.start.libraryLabel')}
          actionLabel={(m) => t('editor.start.edit', { name: m.fileName })}
          onPick={(m) => unawaited(useEditor.getState().openMedia(m.id), 'openMedia')}
        />
      </section>

      <section className="editor-start-section" aria-labelledby="editor-blank">
        <h2 id="editor-blank">{t('editor.start.blankHeading')}</h2>
        <ul className="editor-presets">
          {sizePresets.map((p) => (
            <li key={p.id}>
              <button type="button" className="editor-preset" onClick={() => useEditor.getState().openBlank(p.id)}>
                <span
                  className="editor-preset-shape"
                  aria-hidden="true"
                  style={{ aspectRatio: `${p.width} / ${p.height}`, [p.width >= p.height ? 'inlineSize' : 'blockSize']: '40px' }}
                />
                <span className="editor-preset-name">{t(`editor.presets.${p.id}`)}</span>
                <span className="hint">{t('editor.size', { width: p.width, height: p.height })}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>

      <section className="editor-start-section" aria-labelledby="editor-templates">
        <h2 id="editor-templates">{t('editor.start.templatesHeading')}</h2>
        {templates.length === 0 ? (
          <p className="hint">{t('editor.start.noTemplates')}</p>
        ) : (
          <ul className="editor-templates">
            {templates.map((tpl) => (
              <li key={tpl.id} className="editor-template">
                <span className="editor-template-name">{tpl.name}</span>
                <span className="hint">{t('editor.size', { width: tpl.design.width, height: tpl.design.height })}</span>
                <button type="button" className="button primary" onClick={() => setApplying(tpl)} aria-label={t('editor.start.applyTemplate', { name: tpl.name })}>
                  {t('editor.start.apply')}
                </button>
                <button type="button" className="button" onClick={() => useEditor.getState().openTemplateBlank(tpl)} aria-label={t('editor.start.editTemplate', { name: tpl.name })}>
                  {t('editor.start.editTemplateShort')}
                </button>
                <button
                  type="button"
                  className="button subtle"
                  aria-label={t('editor.start.deleteTemplate', { name: tpl.name })}
                  onClick={async () => {
                    const deleted = await invoke('editor.deleteTemplate', { id: tpl.id });
                    // A refused delete is said, like any other editor problem; the list stays as it is.
                    if (!deleted.ok) useEditor.setState({ problem: { reason: deleted.error.reason ?? deleted.error.code, error: deleted.error } });
                  }}
                >
                  {t('editor.start.delete')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      {applying ? <ApplyTemplateDialog template={applying} onClose={() => setApplying(null)} /> : null}
    </div>
  );
}
