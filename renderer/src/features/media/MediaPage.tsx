import { useTranslation } from 'react-i18next';
import { Page } from '../../ui/Page';

export function MediaPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('pages.media.title')}>
      <p className="lead">{t('pages.media.body')}</p>
    </Page>
  );
}
