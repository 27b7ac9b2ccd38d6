import { useTranslation } from 'react-i18next';
import { cropRatioIds, networksForRatio, type CropRatioId } from '../../../../../main/core/editor/presets';
import { useEditor } from '../editor-store';
import { NumberField } from './fields';

/** i18next reads ":" and "." in a key as separators, so ratios get plain keys. */
const ratioKeys: Record<CropRatioId, string> = {
  free: 'free',
  original: 'original',
  '1:1': 'r1x1',
  '4:5': 'r4x5',
  '1.91:1': 'r191x100',
  '9:16': 'r9x16',
  '16:9': 'r16x9',
  '2:3': 'r2x3',
};

/** The crop box as numbers and ratios, so cropping works from the keyboard too. */
export function CropPanel() {
  const { t } = useTranslation();
  const crop = useEditor((s) => s.crop);
  const ratio = useEditor((s) => s.cropRatio);
  const design = useEditor((s) => s.design);
  if (crop.mode !== 'framing' || !design) return null;
  const scale = design.photo ? design.photo.crop.width / design.width : 1;
  // Shown in the photo's own pixels: that is what the user will get.
  const px = (v: number) => Math.round(v * scale);
  const set = (patch: Partial<typeof crop.box>) => useEditor.getState().cropEvent({ type: 'set', box: { ...crop.box, ...patch } });
  const label = (id: CropRatioId) => {
    const networks = networksForRatio(id).map((n) => t(`networks.${n}`));
    return networks.length ? t('editor.crop.ratioFor', { ratio: t(`editor.crop.ratios.${ratioKeys[id]}`), networks: networks.join(', ') }) : t(`editor.crop.ratios.${ratioKeys[id]}`);
  };
  return (
    <section className="editor-panel" aria-labelledby="editor-crop-heading">
      <h2 id="editor-crop-heading">{t('editor.crop.heading')}</h2>
      <fieldset className="editor-field">
        <legend>{t('editor.crop.ratio')}</legend>
        <div className="editor-ratios">
          {cropRatioIds.map((id) => (
            <label key={id} className="radio">
              <input type="radio" name="crop-ratio" checked={ratio === id} onChange={() => useEditor.getState().setCropRatio(id)} />
              {label(id)}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="editor-field-row">
        <NumberField label={t('editor.crop.width')} value={px(crop.box.width)} min={1} max={100_000} onChange={(v) => set({ width: v / scale })} />
        <NumberField label={t('editor.crop.height')} value={px(crop.box.height)} min={1} max={100_000} onChange={(v) => set(crop.ratio ? { width: (v / scale) * crop.ratio, height: v / scale } : { height: v / scale })} />
      </div>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={() => useEditor.getState().cropEvent({ type: 'cancel' })}>
          {t('editor.cancel')}
        </button>
        <button type="button" className="button primary" onClick={() => useEditor.getState().applyCrop()}>
          {t('editor.crop.apply')}
        </button>
      </div>
    </section>
  );
}
