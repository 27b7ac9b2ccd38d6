import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Design, Layer, TextLayer } from '../../../../../main/core/editor/design';
import { fontWeights } from '../../../../../main/core/editor/design';
import { useEditor } from '../editor-store';
import { patchLayer, textDecorDefaults } from '../model/layers';
import { CheckField, ColorField, NumberField, RangeField } from './fields';

function useLayerEdit(layer: Layer) {
  const edit = (patch: Partial<Layer>, field: string) => {
    const { design, commit } = useEditor.getState();
    if (!design) return;
    commit(patchLayer(design as Design, layer.id, patch as never), { coalesce: `${layer.id}:${field}` });
  };
  return edit;
}

function TextProperties({ layer }: { layer: TextLayer }) {
  const { t } = useTranslation();
  const edit = useLayerEdit(layer);
  const textId = useId();
  const unit = Math.max(1, Math.round(layer.fontSize / 10));
  const decor = textDecorDefaults(layer);
  return (
    <>
      <div className="editor-field">
        <label htmlFor={textId}>{t('editor.props.text')}</label>
        <textarea
          id={textId}
          dir="auto"
          rows={3}
          value={layer.text}
          onChange={(e) => edit({ text: e.target.value }, 'text')}
          onBlur={() => useEditor.getState().sealHistory()}
        />
      </div>
      <div className="editor-field-row">
        <NumberField label={t('editor.props.fontSize')} value={layer.fontSize} min={1} max={2000} onChange={(v) => edit({ fontSize: v }, 'fontSize')} />
        <div className="editor-field">
          <label htmlFor={`${textId}-weight`}>{t('editor.props.weight')}</label>
          <select id={`${textId}-weight`} value={layer.fontWeight} onChange={(e) => edit({ fontWeight: Number(e.target.value) as TextLayer['fontWeight'] }, 'fontWeight')}>
            {fontWeights.map((w) => (
              <option key={w} value={w}>
                {t(`editor.props.weights.${w}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ColorField label={t('editor.props.color')} value={layer.color} onChange={(v) => edit({ color: v }, 'color')} />
      <fieldset className="editor-field editor-segmented">
        <legend>{t('editor.props.align')}</legend>
        {(['start', 'center', 'end'] as const).map((a) => (
          <label key={a} className="radio">
            <input type="radio" name={`${textId}-align`} checked={layer.align === a} onChange={() => edit({ align: a }, 'align')} />
            {t(`editor.props.aligns.${a}`)}
          </label>
        ))}
      </fieldset>
      <CheckField label={t('editor.props.outline')} checked={layer.outline !== null} onChange={(on) => edit({ outline: on ? decor.outline : null }, 'outline')} />
      {layer.outline ? (
        <div className="editor-field-row">
          <ColorField label={t('editor.props.outlineColor')} value={layer.outline.color} onChange={(v) => edit({ outline: { ...layer.outline!, color: v } }, 'outlineColor')} />
          <NumberField label={t('editor.props.outlineWidth')} value={layer.outline.width} min={0} max={200} onChange={(v) => edit({ outline: { ...layer.outline!, width: v } }, 'outlineWidth')} />
        </div>
      ) : null}
      <CheckField
        label={t('editor.props.shadow')}
        checked={layer.shadow !== null}
        onChange={(on) => edit({ shadow: on ? { color: '#00000099', blur: unit * 2, offsetX: 0, offsetY: Math.ceil(unit / 2) } : null }, 'shadow')}
      />
      {layer.shadow ? (
        <div className="editor-field-row">
          <ColorField label={t('editor.props.shadowColor')} value={layer.shadow.color} onChange={(v) => edit({ shadow: { ...layer.shadow!, color: v } }, 'shadowColor')} />
          <NumberField label={t('editor.props.shadowBlur')} value={layer.shadow.blur} min={0} max={200} onChange={(v) => edit({ shadow: { ...layer.shadow!, blur: v } }, 'shadowBlur')} />
        </div>
      ) : null}
      <CheckField label={t('editor.props.background')} checked={layer.background !== null} onChange={(on) => edit({ background: on ? decor.background : null }, 'background')} />
      {layer.background ? (
        <div className="editor-field-row">
          <ColorField label={t('editor.props.backgroundColor')} value={layer.background.color} onChange={(v) => edit({ background: { ...layer.background!, color: v } }, 'backgroundColor')} />
          <NumberField label={t('editor.props.padding')} value={layer.background.padding} min={0} max={500} onChange={(v) => edit({ background: { ...layer.background!, padding: v } }, 'padding')} />
        </div>
      ) : null}
      <CheckField label={t('editor.props.placeholder')} checked={layer.placeholder} onChange={(on) => edit({ placeholder: on }, 'placeholder')} />
    </>
  );
}

function LayerProperties({ layer }: { layer: Layer }) {
  const { t } = useTranslation();
  const edit = useLayerEdit(layer);
  switch (layer.type) {
    case 'text':
      return <TextProperties layer={layer} />;
    case 'rect':
    case 'ellipse':
      return (
        <>
          <CheckField label={t('editor.props.fill')} checked={layer.fill !== null} onChange={(on) => edit({ fill: on ? '#2563eb' : null }, 'fillOn')} />
          {layer.fill ? <ColorField label={t('editor.props.fillColor')} value={layer.fill} onChange={(v) => edit({ fill: v }, 'fill')} /> : null}
          <CheckField label={t('editor.props.stroke')} checked={layer.stroke !== null} onChange={(on) => edit({ stroke: on ? '#ffffff' : null }, 'strokeOn')} />
          {layer.stroke ? (
            <div className="editor-field-row">
              <ColorField label={t('editor.props.strokeColor')} value={layer.stroke} onChange={(v) => edit({ stroke: v }, 'stroke')} />
              <NumberField label={t('editor.props.strokeWidth')} value={layer.strokeWidth} min={0} max={500} onChange={(v) => edit({ strokeWidth: v }, 'strokeWidth')} />
            </div>
          ) : null}
          {layer.type === 'rect' ? (
            <NumberField label={t('editor.props.cornerRadius')} value={layer.cornerRadius} min={0} max={Math.round(Math.min(layer.width, layer.height) / 2)} onChange={(v) => edit({ cornerRadius: v }, 'cornerRadius')} />
          ) : null}
        </>
      );
    case 'line':
    case 'arrow':
      return (
        <div className="editor-field-row">
          <ColorField label={t('editor.props.strokeColor')} value={layer.stroke} onChange={(v) => edit({ stroke: v }, 'stroke')} />
          <NumberField label={t('editor.props.strokeWidth')} value={layer.strokeWidth} min={0.5} max={500} onChange={(v) => edit({ strokeWidth: v }, 'strokeWidth')} />
        </div>
      );
    case 'sticker':
      return <NumberField label={t('editor.props.size')} value={layer.size} min={1} max={5000} onChange={(v) => edit({ size: v }, 'size')} />;
    case 'image':
      return <CheckField label={t('editor.props.placeholder')} checked={layer.placeholder} onChange={(on) => edit({ placeholder: on }, 'placeholder')} />;
  }
}

/** Where the layer is, as numbers: placing by keyboard, and exact values after snapping. */
function Placement({ layer }: { layer: Layer }) {
  const { t } = useTranslation();
  const edit = useLayerEdit(layer);
  return (
    <div className="editor-field-row">
      <NumberField label={t('editor.props.x')} decimals={0} value={layer.x} min={-100_000} max={100_000} onChange={(v) => edit({ x: v }, 'x')} />
      <NumberField label={t('editor.props.y')} decimals={0} value={layer.y} min={-100_000} max={100_000} onChange={(v) => edit({ y: v }, 'y')} />
      <NumberField label={t('editor.props.angle')} decimals={1} value={layer.angle} min={-360} max={360} onChange={(v) => edit({ angle: v }, 'angle')} />
    </div>
  );
}

/** What the selected layer looks like, as editable fields. */
export function PropertiesPanel() {
  const { t } = useTranslation();
  const design = useEditor((s) => s.design);
  const selection = useEditor((s) => s.selection);
  const selected = design?.layers.filter((l) => selection.includes(l.id)) ?? [];
  if (selected.length === 0) return null;
  const layer = selected[0] as Layer;
  const editOpacity = (v: number) => {
    const { design: d, commit } = useEditor.getState();
    if (!d) return;
    let next = d;
    for (const l of selected) next = patchLayer(next, l.id, { opacity: v / 100 });
    commit(next, { coalesce: `${selection.join(',')}:opacity` });
  };
  return (
    <section className="editor-panel" aria-labelledby="editor-props-heading">
      <h2 id="editor-props-heading">{selected.length === 1 ? t(`editor.layerTypes.${layer.type}`) : t('editor.props.many', { count: selected.length })}</h2>
      {selected.length === 1 ? <LayerProperties layer={layer} /> : null}
      {selected.length === 1 ? <Placement layer={layer} /> : null}
      <RangeField label={t('editor.props.opacity')} value={Math.round(layer.opacity * 100)} min={0} max={100} onChange={editOpacity} format={(v) => t('editor.toolbar.percent', { value: v })} />
    </section>
  );
}
