import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_LATE_GRACE_MINUTES, type Project } from '../../../../main/core/contract';
import type { OutpostError } from '../../../../main/core/errors';
import { uiLanguages, type UiLanguage } from '../../../../main/core/languages';
import { projectColors } from '../../../../main/core/projects';
import { Dialog } from '../../ui/Dialog';
import { useErrorText } from '../../ui/useErrorText';
import { useProjects } from './projects-store';
import { ZonePicker } from './ZonePicker';

interface ProjectDialogProps {
  /** The project to edit; absent to create a new one. */
  project?: Project;
  onClose(): void;
}

/** A new project starts in the computer's own zone: most clients are where their manager is. */
function defaultTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function ProjectDialog({ project, onClose }: ProjectDialogProps) {
  const { t, i18n } = useTranslation();
  const describe = useErrorText();
  const { create, update, setArchived } = useProjects();
  const [name, setName] = useState(project?.name ?? '');
  const [color, setColor] = useState<string>(project?.color ?? projectColors[0]);
  const [timezone, setTimezone] = useState(project?.timezone ?? defaultTimeZone());
  const [lateGrace, setLateGrace] = useState(String(project?.lateGraceMinutes ?? 30));
  const [stripLocation, setStripLocation] = useState(project?.stripLocation ?? true);
  const [clientLanguage, setClientLanguage] = useState<UiLanguage | null>(project?.clientLanguage ?? null);
  const [error, setError] = useState<OutpostError | null>(null);
  const [busy, setBusy] = useState(false);
  const nameId = useId();
  const zoneId = useId();
  const errorId = useId();
  const zoneHintId = useId();
  const graceId = useId();
  const graceHintId = useId();
  const stripId = useId();
  const languageId = useId();
  const languageHintId = useId();
  const nameRef = useRef<HTMLInputElement>(null);
  const zoneRef = useRef<HTMLInputElement>(null);
  const submitRef = useRef<HTMLButtonElement>(null);

  // The submit button disables itself while busy, which drops focus; put it where the fix is.
  useEffect(() => {
    if (!error) return;
    const target = error.field === 'name' ? nameRef.current : error.field === 'timezone' ? zoneRef.current : submitRef.current;
    target?.focus();
  }, [error]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const grace = Number(lateGrace);
    const lateGraceMinutes = Number.isInteger(grace) && grace >= 0 ? grace : (project?.lateGraceMinutes ?? 30);
    const policy = { lateGraceMinutes: Math.min(lateGraceMinutes, MAX_LATE_GRACE_MINUTES), stripLocation, ...(clientLanguage ? { clientLanguage } : project ? { clientLanguage: null } : {}) };
    const result = project
      ? await update({ id: project.id, name, color, timezone, ...policy })
      : await create({ name, color, timezone, ...policy });
    setBusy(false);
    if (result.ok) onClose();
    else setError(result.error);
  };

  const toggleArchive = async () => {
    if (!project) return;
    setBusy(true);
    const result = await setArchived(project.id, !project.archived);
    setBusy(false);
    if (result.ok) onClose();
    else setError(result.error);
  };

  const nameInvalid = error?.field === 'name';
  return (
    <Dialog title={project ? t('projects.dialogEdit', { name: project.name }) : t('projects.dialogNew')} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        {project?.archived && <p className="notice">{t('projects.archivedNotice')}</p>}
        <div className="field">
          <label htmlFor={nameId}>{t('projects.name')}</label>
          <input
            id={nameId}
            ref={nameRef}
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={nameInvalid}
            aria-describedby={error ? errorId : undefined}
            autoComplete="off"
            dir="auto"
          />
        </div>
        <fieldset className="field">
          <legend>{t('projects.color')}</legend>
          <div className="swatches">
            {projectColors.map((c) => (
              <label key={c} className="swatch" style={{ '--swatch': c } as React.CSSProperties}>
                <input type="radio" name="color" value={c} checked={color === c} onChange={() => setColor(c)} />
                <span className="visually-hidden">{t(`projects.colors.${c}`)}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor={zoneId}>{t('projects.timezone')}</label>
          <ZonePicker
            id={zoneId}
            ref={zoneRef}
            value={timezone}
            onChange={setTimezone}
            describedBy={zoneHintId}
            invalid={error?.field === 'timezone'}
          />
          <p id={zoneHintId} className="hint">
            {t('projects.timezoneHint')}
          </p>
        </div>
        <fieldset className="field">
          <legend>{t('projects.publishing')}</legend>
          <label htmlFor={graceId}>{t('projects.lateGrace')}</label>
          <input
            id={graceId}
            type="number"
            inputMode="numeric"
            min={0}
            max={MAX_LATE_GRACE_MINUTES}
            step={5}
            value={lateGrace}
            onChange={(e) => setLateGrace(e.target.value)}
            aria-describedby={graceHintId}
            className="narrow"
          />
          <p id={graceHintId} className="hint">
            {t('projects.lateGraceHint')}
          </p>
          <div className="checkbox">
            <input id={stripId} type="checkbox" checked={stripLocation} onChange={(e) => setStripLocation(e.target.checked)} />
            <label htmlFor={stripId}>{t('projects.stripLocation')}</label>
          </div>
          <label htmlFor={languageId}>{t('projects.clientLanguage')}</label>
          <select
            id={languageId}
            value={clientLanguage ?? ''}
            onChange={(e) => setClientLanguage(e.target.value ? (e.target.value as UiLanguage) : null)}
            aria-describedby={languageHintId}
          >
            <option value="">{t('projects.clientLanguageApp', { language: t(`languages.${i18n.language}`) })}</option>
            {uiLanguages.map((lng) => (
              <option key={lng} value={lng}>
                {t(`languages.${lng}`)}
              </option>
            ))}
          </select>
          <p id={languageHintId} className="hint">
            {t('projects.clientLanguageHint')}
          </p>
        </fieldset>
        {error && (
          <p id={errorId} role="alert" className="error">
            {describe(error)}
          </p>
        )}
        <div className="dialog-actions">
          {project && (
            <button type="button" className="button subtle" onClick={toggleArchive} disabled={busy}>
              {project.archived ? t('projects.unarchive') : t('projects.archive')}
            </button>
          )}
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            {t('projects.cancel')}
          </button>
          <button ref={submitRef} type="submit" className="button primary" disabled={busy}>
            {project ? t('projects.save') : t('projects.create')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
