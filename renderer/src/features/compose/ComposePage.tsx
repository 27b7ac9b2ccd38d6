import { useTranslation } from 'react-i18next';
import { Page } from '../../ui/Page';

export function ComposePage() {
  const { t } = useTranslation();
  return (
    <Page title={t('pages.compose.title')}>
      <p className="lead">{t('pages.compose.body')}</p>
    </Page>
  );
}
