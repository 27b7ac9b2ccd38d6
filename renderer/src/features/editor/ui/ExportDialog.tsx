import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { sizeForWidth } from '../../../../../main/core/editor/geometry';
import type { ExportMime } from '../../../../../main/core/editor/fit';
import { networkIds, type NetworkId } from '../../../../../main/core/networks/ids';
import { Dialog } from '../../../ui/Dialog';
import { limitsFor, shapeWarnings, useEditor } from '../editor-store';
import { MAX_CANVAS_PIXELS } from '../image-io';
import { composedPost } from '../post-link';
import { useProblemText } from './ProblemText';
import { unawaited } from '../../../platform/unawaited';

const formats: ExportMime[] = ['image/jpeg', 'image/png', 'image/webp'];

function formatBytes(bytes: number, locale: string): string {
  return bytes >= 1_000_000
    ? `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(bytes / 1_000_000)} MB`
    : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(bytes / 1000)} KB`;
}

/** A sensible first size: the design's own, but no bigger than the photo's pixels or the memory budget. */
function defaultWidth(design: { width: number; height: number; photo: { crop: { width: number } } | null }, workingScale: number): number {
  let width = design.width;
  if (design.photo) width = Math.min(width, Math.round(design.photo.crop.width * workingScale));
  const pixels = width * (width * design.height) / design.width;
  if (pixels > MAX_CANVAS_PIXELS / 2) width = Math.floor(Math.sqrt(((MAX_CANVAS_PIXELS / 2) * design.width) / design.height));
  return Math.max(1, width);
}

/** Export at a chosen format and size, or fitted to the post's networks, into the library and onto the post. */
export function ExportDialog({ onClose }: { onClose(): void }) {
  const { t, i18n } = useTranslation();
  const design = useEditor((s) => s.design);
  const doc = useEditor((s) => s.doc);
  const exporting = useEditor((s) => s.exporting);
  const progress = useEditor((s) => s.exportProgress);
  const problem = useEditor((s) => s.problem);
  const lastExport = useEditor((s) => s.lastExport);
  const problemText = useProblemText();
  const post = useMemo(() => composedPost(), []);
  const workingScale = doc?.photo?.workingCopy ? doc.photo.workingCopy.width / doc.photo.width : 1;
  const [mime, setMime] = useState<ExportMime>('image/jpeg');
  const [width, setWidth] = useState(() => (design ? defaultWidth(design, workingScale) : 1));
  const [quality, setQuality] = useState(90);
  const [fit, setFit] = useState(Boolean(post && post.networks.length));
  const [chosen, setChosen] = useState<NetworkId[]>(() => (post?.networks.length ? post.networks : ['bluesky']));
  const [attach, setAttach] = useState(Boolean(post));
  if (!design) return null;
  const size = sizeForWidth(design, width);
  const networks = post?.networks.length ? post.networks : chosen;
  const limits = fit ? limitsFor(networks) : null;
  const shapes = fit ? shapeWarnings(design, networks) : [];

  const run = async () => {
    await useEditor.getState().exportImage({
      width: size.width,
      height: size.height,
      mime,
      quality: quality / 100,
      fitNetworks: fit ? networks : null,
      attachToPost: attach && Boolean(post),
    });
  };

  return (
    <Dialog title={t('editor.export.title')} onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          unawaited(run(), 'run');
        }}
      >
        <fieldset className="field">
          <legend>{t('editor.export.format')}</legend>
          <div className="editor-segmented-row">
            {formats.map((f) => (
              <label key={f} className="radio">
                <input type="radio" name="export-format" checked={mime === f} onChange={() => setMime(f)} />
                {t(`editor.export.formats.${f.slice(6)}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="editor-field-row">
          <div className="field">
            <label htmlFor="export-width">{t('editor.export.width')}</label>
            <input id="export-width" type="number" min={1} max={16384} value={width} onChange={(e) => setWidth(Math.max(1, Math.min(16384, Number(e.target.value) || 1)))} />
          </div>
          <div className="field">
            <label htmlFor="export-height">{t('editor.export.height')}</label>
            <input
              id="export-height"
              type="number"
              min={1}
              max={16384}
              value={size.height}
              onChange={(e) => setWidth(Math.max(1, Math.round(((Number(e.target.value) || 1) * design.width) / design.height)))}
            />
          </div>
        </div>
        {mime !== 'image/png' ? (
          <div className="field">
            <label htmlFor="export-quality">{t('editor.export.quality')}</label>
            <input id="export-quality" type="range" min={40} max={100} value={quality} disabled={fit} onChange={(e) => setQuality(Number(e.target.value))} />
            <span className="hint">{fit ? t('editor.export.qualityByFit') : t('editor.toolbar.percent', { value: quality })}</span>
          </div>
        ) : null}
        <label className="checkbox">
          <input type="checkbox" checked={fit} onChange={(e) => setFit(e.target.checked)} />
          {post?.networks.length ? t('editor.export.fitPost') : t('editor.export.fitNetworks')}
        </label>
        {fit && !post?.networks.length ? (
          <fieldset className="field">
            <legend>{t('editor.export.networks')}</legend>
            <div className="editor-network-checks">
              {networkIds.map((n) => (
                <label key={n} className="checkbox">
                  <input type="checkbox" checked={chosen.includes(n)} onChange={(e) => setChosen(e.target.checked ? [...chosen, n] : chosen.filter((x) => x !== n))} />
                  {t(`networks.${n}`)}
                </label>
              ))}
            </div>
          </fieldset>
        ) : null}
        {fit && limits && networks.length ? <p className="hint">{t('editor.export.fitFor', { networks: networks.map((n) => t(`networks.${n}`)).join(', ') })}</p> : null}
        {fit && limits ? (
          <ul className="editor-limits hint">
            {limits.maxBytes ? <li>{t('editor.export.limitBytes', { size: formatBytes(limits.maxBytes.value, i18n.language), network: t(`networks.${limits.maxBytes.network}`) })}</li> : null}
            {limits.maxWidth ? <li>{t('editor.export.limitWidth', { width: limits.maxWidth.value, network: t(`networks.${limits.maxWidth.network}`) })}</li> : null}
            {limits.maxPixels ? <li>{t('editor.export.limitPixels', { megapixels: Math.floor(limits.maxPixels.value / 1e5) / 10, network: t(`networks.${limits.maxPixels.network}`) })}</li> : null}
            {limits.maxWidthPlusHeight ? <li>{t('editor.export.limitSum', { sum: limits.maxWidthPlusHeight.value, network: t(`networks.${limits.maxWidthPlusHeight.network}`) })}</li> : null}
            {mime !== (limits.mimes[0] ?? mime) && !limits.mimes.includes(mime) ? <li>{t('editor.export.formatByFit', { format: t(`editor.export.formats.${(limits.mimes[0] ?? mime).slice(6)}`) })}</li> : null}
          </ul>
        ) : null}
        {shapes.map((s) => (
          <p key={`${s.kind}-${s.network}`} className="notice" role="note">
            {t(`editor.export.shape.${s.kind}`, { network: t(`networks.${s.network}`) })}
          </p>
        ))}
        {post ? (
          <label className="checkbox">
            <input type="checkbox" checked={attach} onChange={(e) => setAttach(e.target.checked)} />
            {post.excerpt ? t('editor.export.attach', { post: post.excerpt }) : t('editor.export.attachUntitled')}
          </label>
        ) : (
          <p className="hint">{t('editor.export.noPost')}</p>
        )}
        <div role="status" className="editor-export-status">
          {exporting && progress ? t(`editor.export.progress.${progress}`) : null}
          {!exporting && lastExport ? (
            <span>
              {t(lastExport.attached ? 'editor.export.doneAttached' : 'editor.export.done', {
                name: lastExport.media.fileName,
                width: lastExport.width,
                height: lastExport.height,
                size: formatBytes(lastExport.bytes, i18n.language),
              })}
            </span>
          ) : null}
        </div>
        {problem && !exporting ? (
          <p className="error" role="alert">
            {problemText(problem)}
          </p>
        ) : null}
        <div className="dialog-actions">
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            {lastExport ? t('editor.close') : t('editor.cancel')}
          </button>
          <button type="submit" className="button primary" disabled={exporting || (fit && networks.length === 0)}>
            {t('editor.export.run')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
