import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { approvalStates } from '../../../../main/core/contract';
import { networkIds } from '../../../../main/core/networks/ids';
import { renderApprovalPack, type PackWords } from '../../../../main/core/calendar/approval-pack';
import { addDays, dayKeyOf } from '../../../../main/core/calendar/days';
import type { OutpostError } from '../../../../main/core/errors';
import { invoke } from '../../platform/api';
import { Dialog } from '../../ui/Dialog';
import { useErrorText } from '../../ui/useErrorText';
import { instantText, rangeTitle } from './format';

/** Saves text or bytes as a file through the browser's download, which Electron turns into a save dialog. */
export function download(fileName: string, mime: string, data: BlobPart): void {
  const url = URL.createObjectURL(new Blob([data], { type: mime }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

interface ShareDialogProps {
  projectId: string | null;
  zone: string;
  from: number;
  to: number;
  onClose(): void;
}

/** Export the plan (CSV, JSON, ICS) and the client approval pack (HTML, PDF) for what the calendar shows. */
export function ShareDialog({ projectId, zone, from, to, onClose }: ShareDialogProps) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [error, setError] = useState<OutpostError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const scope = projectId ? { projectId } : {};
  const range = rangeTitle(dayKeyOf(from, zone), addDays(dayKeyOf(to, zone), -1), i18n.language);

  const exportAs = async (format: 'csv' | 'json' | 'ics', ranged: boolean) => {
    setError(null);
    const result = await invoke('calendar.export', { ...scope, format, ...(ranged ? { from, to } : {}) });
    if (!result.ok) return setError(result.error);
    download(result.value.fileName, result.value.mime, result.value.text);
    setDone(t('calendar.share.saved', { file: result.value.fileName, count: result.value.count }));
  };

  const packHtml = async (madeAt: number): Promise<{ html: string; name: string; words: PackWords; lang: string; dir: 'ltr' | 'rtl' } | null> => {
    if (!projectId) return null;
    const result = await invoke('calendar.packData', { projectId, from, to });
    if (!result.ok) {
      setError(result.error);
      return null;
    }
    const data = result.value;
    const lang = i18n.language;
    const dir = i18n.dir(i18n.language) === 'rtl' ? 'rtl' : 'ltr';
    const words: PackWords = {
      title: t('calendar.pack.title', { project: data.projectName }),
      subtitle: t('calendar.pack.subtitle', { range, zone: data.timezone, count: data.posts.length }),
      generated: t('calendar.pack.generated', { when: instantText(madeAt, data.timezone, i18n.language) }),
      empty: t('calendar.pack.empty'),
      firstComment: t('calendar.pack.firstComment'),
      labels: t('calendar.pack.labels'),
      unscheduled: t('calendar.noTime'),
      approvalHeading: t('calendar.panel.approval'),
      approval: Object.fromEntries(approvalStates.map((a) => [a, t(`calendar.approval.${a}`)])) as Record<(typeof approvalStates)[number], string>,
      networks: Object.fromEntries(networkIds.map((n) => [n, t(`networks.${n}`)])) as Record<(typeof networkIds)[number], string>,
      signature: t('calendar.pack.signature'),
      date: t('calendar.pack.date'),
    };
    const html = renderApprovalPack({
      projectName: data.projectName,
      color: data.color,
      posts: data.posts,
      lang,
      dir,
      formatTime: (at, postZone) => instantText(at, postZone, i18n.language),
      words,
    });
    return { html, words, lang, dir, name: `approval-${data.projectName.replace(/[^\p{L}\p{N}]+/gu, '-').toLowerCase()}-${dayKeyOf(from, zone)}` };
  };

  const savePack = async (pdf: boolean) => {
    setError(null);
    const pack = await packHtml(new Date().getTime());
    if (!pack) return;
    if (!pdf) {
      download(`${pack.name}.html`, 'text/html', pack.html);
      setDone(t('calendar.share.saved', { file: `${pack.name}.html`, count: 1 }));
      return;
    }
    // Main builds and prints the pack from its own store; only the words go from here.
    const result = await invoke('calendar.pdf', { projectId: projectId as string, from, to, lang: pack.lang, dir: pack.dir, words: pack.words });
    if (!result.ok) return setError(result.error);
    const bytes = Uint8Array.from(atob(result.value.base64), (c) => c.charCodeAt(0));
    download(`${pack.name}.pdf`, 'application/pdf', bytes);
    setDone(t('calendar.share.saved', { file: `${pack.name}.pdf`, count: 1 }));
  };

  return (
    <Dialog title={t('calendar.share.title')} onClose={onClose}>
      <div className="form share-dialog">
        <p className="hint">{t('calendar.share.range', { range })}</p>
        <div className="share-grid">
          <button type="button" className="button" onClick={() => void exportAs('csv', true)}>
            {t('calendar.share.csv')}
          </button>
          <button type="button" className="button" onClick={() => void exportAs('json', true)}>
            {t('calendar.share.json')}
          </button>
          <button type="button" className="button" onClick={() => void exportAs('ics', false)}>
            {t('calendar.share.ics')}
          </button>
        </div>
        <p className="hint">{t('calendar.share.icsHint')}</p>
        {projectId ? (
          <div className="share-grid">
            <button type="button" className="button primary" onClick={() => void savePack(false)}>
              {t('calendar.share.packHtml')}
            </button>
            <button type="button" className="button" onClick={() => void savePack(true)}>
              {t('calendar.share.packPdf')}
            </button>
          </div>
        ) : (
          <p className="hint">{t('calendar.share.packNeedsProject')}</p>
        )}
        {error && (
          <p className="error" role="alert">
            {errorText(error)}
          </p>
        )}
        {done && (
          <p className="notice" role="status">
            {done}
          </p>
        )}
        <div className="dialog-actions">
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            {t('calendar.close')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
