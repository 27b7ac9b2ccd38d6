import { useTranslation } from 'react-i18next';
import type { OutpostError } from '../../../main/core/errors';
import { errorText } from '../i18n/i18n';

export function useErrorText(): (error: OutpostError) => string {
  const { t, i18n } = useTranslation();
  return (error) => errorText(t, error, (key) => i18n.exists(key));
}
