import { Trans, useTranslation } from 'react-i18next';
import type { DataNotice } from './data-store';

/** A finished action's sentence; a path in it stays left to right inside any page direction. */
export function DataNoticeText({ notice }: { notice: DataNotice }) {
  const { t } = useTranslation();
  return <Trans t={t} i18nKey={`data.notice.${notice.key}`} values={notice.values} components={{ path: <bdi className="mono" dir="ltr" /> }} />;
}
