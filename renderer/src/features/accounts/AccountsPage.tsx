import { useTranslation } from 'react-i18next';
import { Page } from '../../ui/Page';
import { useActiveProject } from '../projects/projects-store';

export function AccountsPage() {
  const { t } = useTranslation();
  const project = useActiveProject();
  return (
    <Page title={t('pages.accounts.title')}>
      <p className="lead">{project ? t('pages.accounts.body', { project: project.name }) : t('pages.noProject')}</p>
    </Page>
  );
}
