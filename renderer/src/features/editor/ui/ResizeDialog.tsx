import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_DESIGN_SIDE } from '../../../../../main/core/editor/design';
import { sizePresets } from '../../../../../main/core/editor/presets';
import { Dialog } from '../../../ui/Dialog';
import { useEditor } from '../editor-store';

/** Resizes the canvas: same shape scales everything; a network's preset crops the photo to its shape around the centre. */
export function ResizeDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const design = useEditor((s) => s.design);
  const [width, setWidth] = useState(design?.width ?? 1);
  const [height, setHeight] = useState(design?.height ?? 1);
  const [keep, setKeep] = useState(true);
  if (!design) return null;
  const ratio = design.width / design.height;
  const clamp = (v: number) => Math.max(1, Math.min(MAX_DESIGN_SIDE, Math.round(v) || 1));
  return (
    <Dialog title={t('editor.resize.title')} onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          useEditor.getState().resize(width, height);
          onClose();
        }}
      >
        <div className="field">
          <label htmlFor="resize-preset">{t('editor.resize.preset')}</label>
          <select
            id="resize-preset"
            value=""
            onChange={(e) => {
              const p = sizePresets.find((x) => x.id === e.target.value);
              if (!p) return;
              setKeep(false);
              setWidth(p.width);
              setHeight(p.height);
            }}
          >
            <option value="">{t('editor.resize.choosePreset')}</option>
            {sizePresets.map((p) => (
              <option key={p.id} value={p.id}>
                {t('editor.resize.presetOption', { name: t(`editor.presets.${p.id}`), width: p.width, height: p.height })}
              </option>
            ))}
          </select>
        </div>
        <div className="editor-field-row">
          <div className="field">
            <label htmlFor="resize-width">{t('editor.resize.width')}</label>
            <input id="resize-width" type="number" min={1} max={MAX_DESIGN_SIDE} value={width} onChange={(e) => {
              const w = clamp(Number(e.target.value));
              setWidth(w);
              if (keep) setHeight(clamp(w / ratio));
            }} />
          </div>
          <div className="field">
            <label htmlFor="resize-height">{t('editor.resize.height')}</label>
            <input id="resize-height" type="number" min={1} max={MAX_DESIGN_SIDE} value={height} onChange={(e) => {
              const h = clamp(Number(e.target.value));
              setHeight(h);
              if (keep) setWidth(clamp(h * ratio));
            }} />
          </div>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={keep} onChange={(e) => setKeep(e.target.checked)} />
          {t('editor.resize.keep')}
        </label>
        {!keep && Math.abs(width / height - ratio) > 0.005 ? <p className="hint">{design.photo ? t('editor.resize.cropsPhoto') : t('editor.resize.reframes')}</p> : null}
        <div className="dialog-actions">
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            {t('editor.cancel')}
          </button>
          <button type="submit" className="button primary">
            {t('editor.resize.apply')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
