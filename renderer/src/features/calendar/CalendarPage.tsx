import { useTranslation } from 'react-i18next';
import { Page } from '../../ui/Page';
import { useActiveProject } from '../projects/projects-store';

export function CalendarPage() {
  const { t } = useTranslation();
  const project = useActiveProject();
  return (
    <Page title={t('pages.calendar.title')}>
      <p className="lead">{project ? t('pages.calendar.body', { project: project.name }) : t('pages.noProject')}</p>
    </Page>
  );
}
