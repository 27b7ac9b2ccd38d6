import { useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Layer } from '../../../../../main/core/editor/design';
import { useEditor } from '../editor-store';
import { alignDeltas, distributeDeltas, type AlignEdge, type Axis } from '../model/align';
import { patchLayer, reorderLayer, updateLayers, editableIds } from '../model/layers';
import { Icon, type IconName } from './icons';

/** At most `max` user-perceived characters: an emoji or a letter with its marks is never cut in two. */
function graphemes(text: string, max: number): string {
  const parts = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)];
  return parts.length > max ? parts.slice(0, max).map((p) => p.segment).join('') : text;
}

interface LayerLabel {
  /** What kind of layer, for one the user has not named; null when the words say it all. */
  kind: string | null;
  separator: string;
  /** The user's words (its name, or its text's first line), shown in their own direction. */
  words: string;
}

/** A layer's name as shown: the user's, or its kind and a short look at its content. */
export function useLayerName() {
  const { t } = useTranslation();
  const label = (layer: Layer): LayerLabel => {
    if (layer.name) return { kind: null, separator: '', words: layer.name };
    const kind = t(`editor.layerTypes.${layer.type}`);
    // The panel cuts what does not fit; this only keeps names read aloud from running on.
    if (layer.type === 'text' && layer.text.trim()) return { kind, separator: ': ', words: graphemes(layer.text.trim().split('\n')[0] ?? '', 80) };
    if (layer.type === 'sticker') return { kind, separator: ' ', words: layer.emoji };
    return { kind: null, separator: '', words: kind };
  };
  const name = (layer: Layer): string => {
    const { kind, separator, words } = label(layer);
    return kind ? `${kind}${separator}${words}` : words;
  };
  return { name, label };
}

const edges: AlignEdge[] = ['left', 'hcenter', 'right', 'top', 'vcenter', 'bottom'];
const edgeIcons: Record<AlignEdge, IconName> = { left: 'alignLeft', hcenter: 'alignHCenter', right: 'alignRight', top: 'alignTop', vcenter: 'alignVCenter', bottom: 'alignBottom' };

function arrange(kind: { align: AlignEdge } | { distribute: Axis }) {
  const { design, selection, scene, commit } = useEditor.getState();
  if (!design || !scene) return;
  const ids = editableIds(design, selection);
  const bounds = scene.boundsOf(ids);
  const boxes = ids.map((id) => bounds.get(id) ?? { left: 0, top: 0, width: 0, height: 0 });
  const deltas = 'align' in kind ? alignDeltas(boxes, kind.align, { left: 0, top: 0, width: design.width, height: design.height }) : distributeDeltas(boxes, kind.distribute);
  const byId = new Map(ids.map((id, i) => [id, deltas[i] as { dx: number; dy: number }]));
  commit(updateLayers(design, ids, (l) => {
    const d = byId.get(l.id);
    return d && (d.dx || d.dy) ? { ...l, x: l.x + d.dx, y: l.y + d.dy } : l;
  }));
}

/** The layers, top first: select (Shift or Ctrl/⌘ adds), order, lock, hide, rename; align and distribute the selection. */
export function LayersPanel() {
  const { t } = useTranslation();
  const design = useEditor((s) => s.design);
  const selection = useEditor((s) => s.selection);
  const { name, label: labelOf } = useLayerName();
  const [renaming, setRenaming] = useState<string | null>(null);
  const [draftName, setDraftName] = useState('');
  if (!design) return null;
  const layers = [...design.layers].reverse();
  const editable = editableIds(design, selection);

  const pick = (layer: Layer, event: MouseEvent) => {
    const add = event.shiftKey || event.ctrlKey || event.metaKey;
    const current = useEditor.getState().selection;
    const next = add ? (current.includes(layer.id) ? current.filter((id) => id !== layer.id) : [...current, layer.id]) : [layer.id];
    useEditor.getState().select(next);
  };
  const edit = (layer: Layer, patch: Partial<Layer>) => {
    const { design: d, commit } = useEditor.getState();
    if (d) commit(patchLayer(d, layer.id, patch as never));
  };
  const move = (layer: Layer, to: 'forward' | 'backward') => {
    const { design: d, commit } = useEditor.getState();
    if (d) commit(reorderLayer(d, layer.id, to));
  };

  return (
    <section className="editor-panel" aria-labelledby="editor-layers-heading">
      <h2 id="editor-layers-heading">{t('editor.layers.heading')}</h2>
      <div className="editor-arrange" role="group" aria-label={t('editor.layers.align')}>
        {edges.map((edge) => (
          <button
            key={edge}
            type="button"
            className="editor-tool small"
            aria-label={t(`editor.layers.aligns.${edge}`)}
            title={t(`editor.layers.aligns.${edge}`)}
            disabled={editable.length === 0}
            onClick={() => arrange({ align: edge })}
          >
            <Icon name={edgeIcons[edge]} size={16} />
          </button>
        ))}
        {(['horizontal', 'vertical'] as const).map((axis) => (
          <button
            key={axis}
            type="button"
            className="editor-tool small"
            aria-label={t(`editor.layers.distribute.${axis}`)}
            title={t(`editor.layers.distribute.${axis}`)}
            disabled={editable.length < 3}
            onClick={() => arrange({ distribute: axis })}
          >
            <Icon name={axis === 'horizontal' ? 'distributeH' : 'distributeV'} size={16} />
          </button>
        ))}
      </div>
      {layers.length === 0 ? <p className="hint">{t('editor.layers.empty')}</p> : null}
      <ul className="editor-layers" aria-label={t('editor.layers.list')}>
        {layers.map((layer, index) => {
          const label = name(layer);
          const shown = labelOf(layer);
          const selected = selection.includes(layer.id);
          return (
            <li key={layer.id} className={`editor-layer${selected ? ' selected' : ''}${layer.hidden ? ' hidden' : ''}`}>
              {renaming === layer.id ? (
                <form
                  className="editor-rename"
                  onSubmit={(e) => {
                    e.preventDefault();
                    edit(layer, { name: draftName.trim().slice(0, 100) });
                    setRenaming(null);
                  }}
                >
                  <input
                    aria-label={t('editor.layers.nameFor', { name: label })}
                    value={draftName}
                    autoFocus
                    dir="auto"
                    onChange={(e) => setDraftName(e.target.value)}
                    onBlur={() => setRenaming(null)}
                    onKeyDown={(e) => {
                      if (e.key === 'Escape') {
                        e.stopPropagation();
                        setRenaming(null);
                      }
                    }}
                  />
                </form>
              ) : (
                <button type="button" className="editor-layer-name" aria-pressed={selected} onClick={(e) => pick(layer, e)} onDoubleClick={() => {
                  setDraftName(layer.name || label);
                  setRenaming(layer.id);
                }}>
                  {shown.kind ? <span className="editor-layer-kind">{`${shown.kind}${shown.separator}`}</span> : null}
                  {/* Its own direction, so a Hebrew or Arabic name is cut at its end (the left), not its start. */}
                  <span className="editor-layer-words" dir="auto">
                    {shown.words}
                  </span>
                </button>
              )}
              <button type="button" className="editor-tool small" aria-label={t('editor.layers.rename', { name: label })} title={t('editor.layers.renameShort')} onClick={() => {
                setDraftName(layer.name || label);
                setRenaming(layer.id);
              }}>
                <Icon name="rename" size={15} />
              </button>
              <button type="button" className="editor-tool small" aria-label={t('editor.layers.hide', { name: label })} aria-pressed={layer.hidden} title={t(layer.hidden ? 'editor.layers.showShort' : 'editor.layers.hideShort')} onClick={() => edit(layer, { hidden: !layer.hidden })}>
                <Icon name={layer.hidden ? 'eyeOff' : 'eye'} size={15} />
              </button>
              <button type="button" className="editor-tool small" aria-label={t('editor.layers.lock', { name: label })} aria-pressed={layer.locked} title={t(layer.locked ? 'editor.layers.unlockShort' : 'editor.layers.lockShort')} onClick={() => edit(layer, { locked: !layer.locked })}>
                <Icon name={layer.locked ? 'lock' : 'unlock'} size={15} />
              </button>
              <button type="button" className="editor-tool small" aria-label={t('editor.layers.up', { name: label })} title={t('editor.layers.upShort')} disabled={index === 0} onClick={() => move(layer, 'forward')}>
                <Icon name="up" size={15} />
              </button>
              <button type="button" className="editor-tool small" aria-label={t('editor.layers.down', { name: label })} title={t('editor.layers.downShort')} disabled={index === layers.length - 1} onClick={() => move(layer, 'backward')}>
                <Icon name="down" size={15} />
              </button>
            </li>
          );
        })}
      </ul>
      {design.photo ? <p className="hint editor-layer-photo">{t('editor.layers.photo')}</p> : null}
    </section>
  );
}
