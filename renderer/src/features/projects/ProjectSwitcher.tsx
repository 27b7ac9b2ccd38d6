import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProjectDialog } from './ProjectDialog';
import { useActiveProject, useProjects } from './projects-store';
import { unawaited } from '../../platform/unawaited';

export function ProjectSwitcher() {
  const { t } = useTranslation();
  const { projects, activeId, showArchived, select, setShowArchived } = useProjects();
  const active = useActiveProject();
  const [dialog, setDialog] = useState<'new' | 'edit' | null>(null);
  const selectId = useId();
  const archivedId = useId();

  return (
    <div className="project-switcher">
      <label htmlFor={selectId} className="switcher-label">
        {t('projects.switcherLabel')}
      </label>
      <div className="switcher-row">
        {/* No dot without a project: an invisible one left the empty select indented. */}
        {active && <span className="project-dot" style={{ background: active.color }} aria-hidden="true" />}
        <select
          id={selectId}
          value={activeId ?? ''}
          onChange={(e) => unawaited(select(e.target.value || null), 'select')}
          disabled={projects.length === 0}
        >
          {projects.length === 0 && <option value="">{t('projects.none')}</option>}
          {projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.archived ? t('projects.archivedSuffix', { name: p.name }) : p.name}
            </option>
          ))}
        </select>
      </div>
      <div className="switcher-actions">
        <button type="button" className="button" onClick={() => setDialog('new')}>
          {t('projects.new')}
        </button>
        <button type="button" className="button" onClick={() => setDialog('edit')} disabled={!active}>
          {t('projects.edit')}
        </button>
      </div>
      <div className="checkbox">
        <input id={archivedId} type="checkbox" checked={showArchived} onChange={(e) => unawaited(setShowArchived(e.target.checked), 'setShowArchived')} />
        <label htmlFor={archivedId}>{t('projects.showArchived')}</label>
      </div>
      {dialog === 'new' && <ProjectDialog onClose={() => setDialog(null)} />}
      {dialog === 'edit' && active && <ProjectDialog project={active} onClose={() => setDialog(null)} />}
    </div>
  );
}
