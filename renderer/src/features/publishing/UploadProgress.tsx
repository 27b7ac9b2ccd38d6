import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UploadProgress as Progress } from '../../../../main/core/contract';
import { subscribe } from '../../platform/api';

const MB = 1024 * 1024;

/**
 * How far a target's media upload got while it publishes (main's publishing.progress events,
 * a few a second): a bar and the megabytes sent of all. Gone once the job's outcome arrives.
 */
export function UploadProgress({ targetId }: { targetId: string }) {
  const { t, i18n } = useTranslation();
  const [progress, setProgress] = useState<Progress | null>(null);

  useEffect(() => {
    const offProgress = subscribe('publishing.progress', (next) => {
      if (next.targetId === targetId) setProgress(next);
    });
    const offChanged = subscribe('publishing.changed', (change) => {
      if (change.targetId === targetId) setProgress(null);
    });
    return () => {
      offProgress();
      offChanged();
    };
  }, [targetId]);

  // A figure left from another target (the row was reused) is not this one's.
  if (!progress || progress.targetId !== targetId || progress.total <= 0) return null;
  const megabytes = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const done = progress.sent >= progress.total;
  const words = done
    ? t('publishing.upload.done')
    : t('publishing.upload.progress', { sent: megabytes.format(progress.sent / MB), total: megabytes.format(progress.total / MB), percent: Math.floor((100 * progress.sent) / progress.total) });
  return (
    <div className="publishing-upload" role="status">
      <progress value={progress.sent} max={progress.total} aria-label={t('publishing.upload.label')} />
      <span>{words}</span>
    </div>
  );
}
