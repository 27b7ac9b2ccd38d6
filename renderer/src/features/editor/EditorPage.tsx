import { useTranslation } from 'react-i18next';
import { Page } from '../../ui/Page';

export function EditorPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('pages.editor.title')}>
      <p className="lead">{t('pages.editor.body')}</p>
    </Page>
  );
}
