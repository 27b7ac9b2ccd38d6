import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Page } from '../../ui/Page';
import { ProjectDialog } from '../projects/ProjectDialog';
import { useProjects } from '../projects/projects-store';

const steps = ['project', 'accounts', 'posts'] as const;

/** The calendar before any project is open: what Outpost wants first, and the button that does it. */
export function FirstLaunch() {
  const { t } = useTranslation();
  const none = useProjects((s) => s.projects.length === 0);
  const [creating, setCreating] = useState(false);

  return (
    <Page title={t('pages.calendar.title')}>
      <div className="card first-launch">
        <h2>{none ? t('calendar.firstLaunch.title') : t('calendar.firstLaunch.noneOpen')}</h2>
        <p>{none ? t('projects.emptyBody') : t('calendar.firstLaunch.choose')}</p>
        {none && (
          <ol className="first-steps">
            {steps.map((step) => (
              <li key={step}>{t(`calendar.firstLaunch.steps.${step}`)}</li>
            ))}
          </ol>
        )}
        <button type="button" className="button primary" onClick={() => setCreating(true)}>
          {none ? t('projects.emptyTitle') : t('projects.new')}
        </button>
      </div>
      {creating && <ProjectDialog onClose={() => setCreating(false)} />}
    </Page>
  );
}
