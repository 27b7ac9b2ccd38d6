import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { isolate } from '../../../../main/core/calendar/approval-pack';
import { addMonths, today } from '../../../../main/core/calendar/days';
import type { ReportWords } from '../../../../main/core/client-report';
import type { Project } from '../../../../main/core/contract';
import type { OutpostError } from '../../../../main/core/errors';
import { uiLanguages, type UiLanguage } from '../../../../main/core/languages';
import { metricNames } from '../../../../main/core/metrics';
import { networkIds } from '../../../../main/core/networks/ids';
import { invoke } from '../../platform/api';
import { unawaited } from '../../platform/unawaited';
import { Dialog } from '../../ui/Dialog';
import { useErrorText } from '../../ui/useErrorText';
import { download } from '../calendar/ShareDialog';
import { instantText } from '../calendar/format';
import { useProjects } from '../projects/projects-store';

/** "December 2026" for a YYYY-MM month, in `lang`. */
export function monthTitle(month: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T12:00:00Z`));
}

/** The last twelve months up to this one, newest first. */
export function reportMonths(now: number, zone: string): string[] {
  const thisMonth = `${today(now, zone).slice(0, 7)}-01`;
  return Array.from({ length: 12 }, (_, i) => addMonths(thisMonth, -i, 1).slice(0, 7));
}

/**
 * The report's sentences in the client's language (`t` fixed to it). The project's name and zone are
 * the user's words inside them: isolated. {{measured}}, {{posts}} and {{change}} are left for main,
 * which knows the numbers.
 */
export function reportWords(t: TFunction, project: Project, month: string, lang: string, madeAt: number): ReportWords & { fileKind: string } {
  const doc = (key: string, values?: Record<string, string>) => t(`results.report.doc.${key}`, values);
  return {
    title: doc('title', { project: isolate(project.name) }),
    subtitle: doc('subtitle', { month: monthTitle(month, lang), zone: isolate(project.timezone) }),
    generated: doc('generated', { when: instantText(madeAt, project.timezone, lang) }),
    glance: doc('glance'),
    postsPublished: doc('postsPublished'),
    engagement: doc('engagement'),
    vsPrevious: doc('vsPrevious', { change: '{{change}}' }),
    measuredNote: doc('measuredNote', { measured: '{{measured}}', posts: '{{posts}}' }),
    chart: doc('chart'),
    byNetwork: doc('byNetwork'),
    network: doc('network'),
    posts: doc('posts'),
    top: doc('top'),
    wentOut: doc('wentOut'),
    when: doc('when'),
    post: doc('post'),
    noPosts: doc('noPosts'),
    next: doc('next'),
    noNext: doc('noNext'),
    open: doc('open'),
    fileKind: doc('fileKind'),
    metrics: Object.fromEntries(metricNames.map((m) => [m, t(`results.metric.${m}`)])) as ReportWords['metrics'],
    networks: Object.fromEntries(networkIds.map((n) => [n, t(`networks.${n}`)])) as ReportWords['networks'],
  };
}

/** One click from the results page to the month's client report, in the client's language, saved and opened. */
export function ReportDialog({ project, onClose }: { project: Project; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const update = useProjects((s) => s.update);
  // The months are fixed when the dialog opens; a report is usually made when a month is over, so the one just ended is chosen.
  const [months] = useState(() => reportMonths(Date.now(), project.timezone));
  const [month, setMonth] = useState(months[1] ?? months[0] ?? '');
  const [format, setFormat] = useState<'html' | 'pdf'>('pdf');
  const [lang, setLang] = useState<UiLanguage>(project.clientLanguage ?? (uiLanguages.find((l) => l === i18n.language) ?? 'en'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<OutpostError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const monthId = useId();
  const langId = useId();
  const langHintId = useId();

  const chooseLanguage = (next: UiLanguage) => {
    setLang(next);
    // Kept for the project: the next report and the approval pack speak the client's language too.
    if (next !== project.clientLanguage) unawaited(update({ id: project.id, clientLanguage: next }), 'Keeping the client’s language');
  };

  const make = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    const fixed = i18n.getFixedT(lang);
    const words = reportWords(fixed, project, month, lang, Date.now());
    const result = await invoke('results.report', { projectId: project.id, month, format, lang, dir: i18n.dir(lang) === 'rtl' ? 'rtl' : 'ltr', words });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    const saved = result.value;
    if (saved.path) {
      setDone(t(saved.opened ? 'results.report.savedOpened' : 'results.report.saved', { path: saved.path }));
    } else if (saved.base64) {
      download(saved.fileName, saved.mime, Uint8Array.from(atob(saved.base64), (c) => c.charCodeAt(0)));
      setDone(t('results.report.downloaded', { file: saved.fileName }));
    }
  };

  return (
    <Dialog title={t('results.report.title')} onClose={onClose}>
      <div className="form report-dialog">
        <p className="hint">{t('results.report.lead')}</p>
        <div className="field">
          <label htmlFor={monthId}>{t('results.report.month')}</label>
          <select id={monthId} value={month} onChange={(e) => setMonth(e.target.value)}>
            {months.map((m) => (
              <option key={m} value={m}>
                {monthTitle(m, i18n.language)}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="field">
          <legend>{t('results.report.format')}</legend>
          {(['pdf', 'html'] as const).map((f) => (
            <label key={f} className="radio">
              <input type="radio" name="report-format" value={f} checked={format === f} onChange={() => setFormat(f)} />
              {t(`results.report.${f}`)}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor={langId}>{t('results.report.language')}</label>
          <select id={langId} value={lang} onChange={(e) => chooseLanguage(e.target.value as UiLanguage)} aria-describedby={langHintId}>
            {uiLanguages.map((l) => (
              <option key={l} value={l}>
                {t(`languages.${l}`)}
              </option>
            ))}
          </select>
          <p id={langHintId} className="hint">
            {t('results.report.languageHint')}
          </p>
        </div>
        <p className={error ? 'error' : 'hint'} role="status">
          {error ? errorText(error) : busy ? t('results.report.making') : (done ?? '')}
        </p>
        <div className="dialog-actions">
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            {t('results.report.close')}
          </button>
          <button type="button" className="button primary" disabled={busy} onClick={() => unawaited(make(), 'Making the client report')}>
            {t('results.report.make')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}

/** The results page's way into the client report. */
export function ReportButton({ project }: { project: Project }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)}>
        {t('results.report.open')}
      </button>
      {open && <ReportDialog project={project} onClose={() => setOpen(false)} />}
    </>
  );
}
