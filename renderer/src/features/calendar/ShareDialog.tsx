import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { approvalStates } from '../../../../main/core/contract';
import { networkIds } from '../../../../main/core/networks/ids';
import { isolate, renderApprovalPack, type PackWords } from '../../../../main/core/calendar/approval-pack';
import { dayKeyOf, isDayKey, type DayKey } from '../../../../main/core/calendar/days';
import {
  exportFileName,
  exportInstants,
  exportSpan,
  readExportChoice,
  type ExportChoice,
  type ExportScopeKind,
  type ExportSpan,
  type FileNameWords,
} from '../../../../main/core/calendar/export-scope';
import type { OutpostError } from '../../../../main/core/errors';
import { invoke } from '../../platform/api';
import { Dialog } from '../../ui/Dialog';
import { useErrorText } from '../../ui/useErrorText';
import { useProjects } from '../projects/projects-store';
import { instantText, rangeTitle } from './format';
import './share.css';

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

const CHOICE_KEY = 'outpost.export.';

/** The last choice for this project (or all projects), kept on this computer so a reload does not change what is exported. */
function storedChoice(projectId: string | null, view: ExportSpan): ExportChoice {
  try {
    const stored = readExportChoice(JSON.parse(window.localStorage.getItem(CHOICE_KEY + (projectId ?? '*')) ?? 'null'));
    if (stored) return stored;
  } catch {
    // Unreadable or unavailable storage: start from the view, as a first export does.
  }
  return { kind: 'view', first: view.first, last: view.last };
}

function storeChoice(projectId: string | null, choice: ExportChoice): void {
  try {
    window.localStorage.setItem(CHOICE_KEY + (projectId ?? '*'), JSON.stringify(choice));
  } catch {
    // Not kept (storage full or off): the dialog still exports what is chosen now.
  }
}

interface ShareDialogProps {
  projectId: string | null;
  zone: string;
  /** The instants the calendar shows, [from, to): what "this view" exports. */
  from: number;
  to: number;
  onClose(): void;
}

const scopeKinds: readonly ExportScopeKind[] = ['view', 'range', 'project'];

/**
 * Export the plan (CSV, JSON, ICS) and the client approval pack (HTML, PDF) of what the user
 * chooses — the view's days, a range, or the whole project — with the project and days in each file name.
 */
export function ShareDialog({ projectId, zone, from, to, onClose }: ShareDialogProps) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const projectName = useProjects((s) => s.projects.find((p) => p.id === projectId)?.name ?? null);
  const clientLanguage = useProjects((s) => s.projects.find((p) => p.id === projectId)?.clientLanguage ?? null);
  const view: ExportSpan = { first: dayKeyOf(from, zone), last: dayKeyOf(to - 1, zone) };
  const [choice, setChoice] = useState<ExportChoice>(() => storedChoice(projectId, view));
  const [error, setError] = useState<OutpostError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const scope = projectId ? { projectId } : {};
  const span = exportSpan(choice, view);
  const instants = exportInstants(span, zone);
  const spanText = (s: ExportSpan | null) => (s ? rangeTitle(s.first, s.last, i18n.language) : t(projectId ? 'calendar.share.scope.wholeProject' : 'calendar.share.scope.everything'));
  const fileWords: FileNameWords = { to: t('calendar.share.file.to'), wholeProject: t('calendar.share.file.wholeProject'), allProjects: t('calendar.share.file.allProjects') };
  const fileName = (extension: string, s: ExportSpan | null, kind?: string) =>
    exportFileName({ project: projectName, span: s, extension, words: fileWords, ...(kind ? { kind } : {}) });

  const choose = (next: ExportChoice) => {
    setChoice(next);
    setDone(null);
    storeChoice(projectId, next);
  };
  // A first day after the last (or the reverse) takes the other end along, so From never reads later than To.
  const setDay = (end: 'first' | 'last', value: string) => {
    if (!isDayKey(value)) return;
    const day = value as DayKey;
    const first = end === 'first' ? day : day < choice.first ? day : choice.first;
    const last = end === 'last' ? day : day > choice.last ? day : choice.last;
    choose({ kind: 'range', first, last });
  };

  /** Nothing in the chosen days: said in a sentence instead of saving an empty file. */
  const nothing = (s: ExportSpan | null) => setDone(s ? t('calendar.share.nothingInRange', { range: spanText(s) }) : t('calendar.share.nothingAtAll'));

  const exportAs = async (format: 'csv' | 'json' | 'ics') => {
    setError(null);
    setDone(null);
    // The feed is for subscribing: it always holds every planned post.
    const fileSpan = format === 'ics' ? null : span;
    const result = await invoke('calendar.export', { ...scope, format, ...(format === 'ics' ? {} : instants) });
    if (!result.ok) return setError(result.error);
    if (result.value.count === 0) return nothing(fileSpan);
    const name = fileName(format, fileSpan);
    download(name, result.value.mime, result.value.text);
    setDone(t('calendar.share.saved', { file: name, count: result.value.count }));
  };

  const packHtml = async (madeAt: number): Promise<{ html: string; words: PackWords; lang: string; dir: 'ltr' | 'rtl'; count: number } | null> => {
    if (!projectId) return null;
    const result = await invoke('calendar.packData', { projectId, ...instants });
    if (!result.ok) {
      setError(result.error);
      return null;
    }
    const data = result.value;
    // Written in the language the project's client reads (the app's when the project names none).
    const lang = clientLanguage ?? i18n.language;
    const tc = i18n.getFixedT(lang);
    const dir = i18n.dir(lang) === 'rtl' ? 'rtl' : 'ltr';
    const range = span ? rangeTitle(span.first, span.last, lang) : tc('calendar.share.scope.wholeProject');
    // The project's name and zone are the user's words inside the pack's own sentences: isolated.
    const words: PackWords = {
      title: tc('calendar.pack.title', { project: isolate(data.projectName) }),
      subtitle: tc('calendar.pack.subtitle', { range, zone: isolate(data.timezone), count: data.posts.length }),
      generated: tc('calendar.pack.generated', { when: instantText(madeAt, data.timezone, lang) }),
      empty: tc('calendar.pack.empty'),
      firstComment: tc('calendar.pack.firstComment'),
      notes: tc('calendar.pack.notes'),
      labels: tc('calendar.pack.labels'),
      unscheduled: tc('calendar.noTime'),
      approvalHeading: tc('calendar.panel.approval'),
      approval: Object.fromEntries(approvalStates.map((a) => [a, tc(`calendar.approval.${a}`)])) as Record<(typeof approvalStates)[number], string>,
      networks: Object.fromEntries(networkIds.map((n) => [n, tc(`networks.${n}`)])) as Record<(typeof networkIds)[number], string>,
      signature: tc('calendar.pack.signature'),
      date: tc('calendar.pack.date'),
    };
    const html = renderApprovalPack({
      projectName: data.projectName,
      color: data.color,
      posts: data.posts,
      lang,
      dir,
      formatTime: (at, postZone) => instantText(at, postZone, lang),
      words,
    });
    return { html, words, lang, dir, count: data.posts.length };
  };

  const savePack = async (pdf: boolean) => {
    setError(null);
    setDone(null);
    const pack = await packHtml(new Date().getTime());
    if (!pack) return;
    if (pack.count === 0) return nothing(span);
    const name = fileName(pdf ? 'pdf' : 'html', span, t('calendar.share.file.approvalPack'));
    if (!pdf) {
      download(name, 'text/html', pack.html);
      setDone(t('calendar.share.saved', { file: name, count: pack.count }));
      return;
    }
    // Main builds and prints the pack from its own store; only the words go from here.
    const result = await invoke('calendar.pdf', { projectId: projectId as string, ...instants, lang: pack.lang, dir: pack.dir, words: pack.words });
    if (!result.ok) return setError(result.error);
    const bytes = Uint8Array.from(atob(result.value.base64), (c) => c.charCodeAt(0));
    download(name, 'application/pdf', bytes);
    setDone(t('calendar.share.saved', { file: name, count: pack.count }));
  };

  return (
    <Dialog title={t('calendar.share.title')} onClose={onClose}>
      <div className="form share-dialog">
        <fieldset className="field share-scope">
          <legend>{t('calendar.share.scope.legend')}</legend>
          {scopeKinds.map((kind) => (
            <label key={kind} className="radio">
              <input type="radio" name="export-scope" value={kind} checked={choice.kind === kind} onChange={() => choose({ ...choice, kind })} />
              <span>
                {t(`calendar.share.scope.${kind === 'project' && !projectId ? 'everything' : kind}`)}
                {kind === 'view' && <span className="hint"> · {spanText(view)}</span>}
              </span>
            </label>
          ))}
          {choice.kind === 'range' && (
            <div className="share-range">
              <label className="field">
                {t('calendar.share.from')}
                <input type="date" value={choice.first} max={choice.last} onChange={(e) => setDay('first', e.target.value)} />
              </label>
              <label className="field">
                {t('calendar.share.to')}
                <input type="date" value={choice.last} min={choice.first} onChange={(e) => setDay('last', e.target.value)} />
              </label>
            </div>
          )}
        </fieldset>
        <p className="hint share-file">
          {t('calendar.share.fileNamed')}{' '}
          <bdi className="mono" data-testid="export-file-name">
            {fileName('csv', span)}
          </bdi>
        </p>
        <div className="share-grid">
          <button type="button" className="button" onClick={() => void exportAs('csv')}>
            {t('calendar.share.csv')}
          </button>
          <button type="button" className="button" onClick={() => void exportAs('json')}>
            {t('calendar.share.json')}
          </button>
          <button type="button" className="button" onClick={() => void exportAs('ics')}>
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
