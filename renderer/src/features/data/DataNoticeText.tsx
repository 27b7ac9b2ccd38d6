import { Trans, useTranslation } from 'react-i18next';
import { useErrorText } from '../../ui/useErrorText';
import { useData, type DataNotice } from './data-store';

/** A finished action's sentence; a path in it stays left to right inside any page direction. */
export function DataNoticeText({ notice }: { notice: DataNotice }) {
  const { t } = useTranslation();
  // Counts are worded by their own plural rules before they go into the sentence.
  const values =
    notice.key === 'exported'
      ? {
          ...notice.values,
          posts: t('data.count.posts', { count: Number(notice.values['posts']) }),
          media: t('data.count.media', { count: Number(notice.values['media']) }),
        }
      : notice.values;
  return <Trans t={t} i18nKey={`data.notice.${notice.key}`} values={values} components={{ path: <bdi className="mono" dir="ltr" /> }} />;
}

/** The last data action's outcome: its error as an alert, or its sentence as a status line. */
export function DataMessages() {
  const describe = useErrorText();
  const error = useData((s) => s.error);
  const notice = useData((s) => s.notice);
  return (
    <>
      {error && (
        <p role="alert" className="error">
          {describe(error)}
        </p>
      )}
      {notice && (
        <p role="status" className="notice">
          <DataNoticeText notice={notice} />
        </p>
      )}
    </>
  );
}
