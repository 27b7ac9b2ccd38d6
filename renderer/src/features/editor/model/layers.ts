import {
  noFilters,
  type Design,
  type EllipseLayer,
  type ImageLayer,
  type Layer,
  type LineLayer,
  type RectLayer,
  type StickerLayer,
  type TextLayer,
} from '../../../../../main/core/editor/design';
import type { Filters } from '../../../../../main/core/editor/design';

/** Layer edits as pure functions of a design: each returns a new design, sharing unchanged layers. */

export type MakeId = () => string;

const base = (id: string, x: number, y: number) => ({ id, name: '', locked: false, hidden: false, x, y, angle: 0, scaleX: 1, scaleY: 1, opacity: 1 });

/** A size that reads well on this canvas, whatever its pixel count. */
function unit(design: Design): number {
  return Math.min(design.width, design.height);
}

/** Whether a colour is light (relative luminance over one half). */
export function isLight(hex: string): boolean {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5;
}

/**
 * The colour new text and lines start in: white with a soft shadow over a photo (which reads on
 * most photos), and dark or light against a blank canvas's own colour.
 */
export function inkFor(design: Design): { color: string; shadow: boolean } {
  if (design.photo) return { color: '#ffffff', shadow: true };
  return isLight(design.background) ? { color: '#111827', shadow: false } : { color: '#ffffff', shadow: false };
}

export function newText(design: Design, id: string, text: string, at?: { x: number; y: number }): TextLayer {
  const ink = inkFor(design);
  return {
    ...base(id, at?.x ?? design.width / 2, at?.y ?? design.height / 2),
    type: 'text',
    text,
    width: Math.round(design.width * 0.8),
    fontSize: Math.max(8, Math.round(unit(design) * 0.07)),
    fontWeight: 700,
    color: ink.color,
    align: 'center',
    lineHeight: 1.2,
    outline: null,
    shadow: ink.shadow ? { color: '#00000080', blur: Math.round(unit(design) * 0.01), offsetX: 0, offsetY: Math.round(unit(design) * 0.004) } : null,
    background: null,
    placeholder: false,
  };
}

export type ShapeKind = 'rect' | 'ellipse' | 'line' | 'arrow';

/** A shape filling `box`; without a box, a default-sized one in the middle. */
export function newShape(
  design: Design,
  id: string,
  kind: ShapeKind,
  box?: { left: number; top: number; width: number; height: number },
): RectLayer | EllipseLayer | LineLayer {
  const u = unit(design);
  const b = box ?? { left: design.width / 2 - u * 0.2, top: design.height / 2 - u * 0.15, width: u * 0.4, height: u * 0.3 };
  const cx = b.left + b.width / 2;
  const cy = b.top + b.height / 2;
  const stroke = Math.max(1, Math.round(u * 0.008));
  if (kind === 'line' || kind === 'arrow') {
    return { ...base(id, cx, cy), type: kind, length: Math.max(1, b.width), stroke: inkFor(design).color, strokeWidth: stroke };
  }
  const width = Math.max(1, b.width);
  const height = Math.max(1, b.height);
  if (kind === 'rect') return { ...base(id, cx, cy), type: 'rect', width, height, cornerRadius: 0, fill: '#2563eb', stroke: null, strokeWidth: stroke };
  return { ...base(id, cx, cy), type: 'ellipse', width, height, fill: '#f59e0b', stroke: null, strokeWidth: stroke };
}

/** A line from one point to another: its centre, length and angle. */
export function newSegment(design: Design, id: string, kind: 'line' | 'arrow', from: { x: number; y: number }, to: { x: number; y: number }): LineLayer {
  const strokeWidth = Math.max(1, Math.round(unit(design) * 0.008));
  const length = Math.max(1, Math.hypot(to.x - from.x, to.y - from.y));
  const angle = (Math.atan2(to.y - from.y, to.x - from.x) * 180) / Math.PI;
  return { ...base(id, (from.x + to.x) / 2, (from.y + to.y) / 2), type: kind, length, angle, stroke: inkFor(design).color, strokeWidth };
}

export function newSticker(design: Design, id: string, emoji: string): StickerLayer {
  return { ...base(id, design.width / 2, design.height / 2), type: 'sticker', emoji, size: Math.round(unit(design) * 0.2) };
}

/** A logo or watermark: a quarter of the canvas's width, in the bottom-right corner, half see-through. */
export function newImage(design: Design, id: string, media: { mediaId: string; width: number; height: number }): ImageLayer {
  const shown = design.width * 0.25;
  const scale = shown / media.width;
  const margin = unit(design) * 0.04;
  const x = design.width - margin - shown / 2;
  const y = design.height - margin - (media.height * scale) / 2;
  return { ...base(id, x, y), type: 'image', mediaId: media.mediaId, width: media.width, height: media.height, scaleX: scale, scaleY: scale, opacity: 0.8, placeholder: false };
}

export function addLayer(design: Design, layer: Layer): Design {
  return { ...design, layers: [...design.layers, layer] };
}

/** Applies `change` to the layers named; others stay the same objects. */
export function updateLayers(design: Design, ids: readonly string[], change: (layer: Layer) => Layer): Design {
  const wanted = new Set(ids);
  let changed = false;
  const layers = design.layers.map((l) => {
    if (!wanted.has(l.id)) return l;
    const next = change(l);
    if (next !== l) changed = true;
    return next;
  });
  return changed ? { ...design, layers } : design;
}

export function patchLayer<L extends Layer>(design: Design, id: string, patch: Partial<Omit<L, 'id' | 'type'>>): Design {
  return updateLayers(design, [id], (l) => {
    const entries = Object.entries(patch) as [keyof Layer, unknown][];
    if (entries.every(([k, v]) => (l as Record<string, unknown>)[k] === v)) return l;
    return { ...l, ...patch } as Layer;
  });
}

export function removeLayers(design: Design, ids: readonly string[]): Design {
  const gone = new Set(ids);
  const layers = design.layers.filter((l) => !gone.has(l.id));
  return layers.length === design.layers.length ? design : { ...design, layers };
}

export type Reorder = 'forward' | 'backward' | 'front' | 'back';

/** Moves a layer one step up or down the stack, or to its top or bottom. */
export function reorderLayer(design: Design, id: string, to: Reorder): Design {
  const from = design.layers.findIndex((l) => l.id === id);
  if (from < 0) return design;
  const last = design.layers.length - 1;
  const target = to === 'forward' ? Math.min(last, from + 1) : to === 'backward' ? Math.max(0, from - 1) : to === 'front' ? last : 0;
  if (target === from) return design;
  const layers = [...design.layers];
  const [moved] = layers.splice(from, 1);
  layers.splice(target, 0, moved as Layer);
  return { ...design, layers };
}

/** Copies of layers placed a little down and right, on top of the stack; returns the new ids. */
export function copyLayers(design: Design, layers: readonly Layer[], makeId: MakeId, offset: number): { design: Design; ids: string[] } {
  const copies = layers.map((l) => ({ ...l, id: makeId(), x: l.x + offset, y: l.y + offset, locked: false }));
  return { design: { ...design, layers: [...design.layers, ...copies] }, ids: copies.map((c) => c.id) };
}

export function moveLayers(design: Design, ids: readonly string[], dx: number, dy: number): Design {
  if (dx === 0 && dy === 0) return design;
  return updateLayers(design, ids, (l) => (l.locked ? l : { ...l, x: l.x + dx, y: l.y + dy }));
}

export function setFilters(design: Design, filters: Partial<Filters>): Design {
  if (!design.photo) return design;
  const next = { ...design.photo.filters, ...filters };
  return { ...design, photo: { ...design.photo, filters: next } };
}

export function resetFilters(design: Design): Design {
  return design.photo ? { ...design, photo: { ...design.photo, filters: { ...noFilters } } } : design;
}

/** Layers the user may change: shown and not locked. */
export function editableIds(design: Design, ids: readonly string[]): string[] {
  const wanted = new Set(ids);
  return design.layers.filter((l) => wanted.has(l.id) && !l.locked && !l.hidden).map((l) => l.id);
}

/** An outline and a background box that stand out from the text's own colour. */
export function textDecorDefaults(layer: TextLayer): { outline: { color: string; width: number }; background: { color: string; padding: number } } {
  const light = isLight(layer.color.slice(0, 7));
  return {
    outline: { color: light ? '#000000' : '#ffffff', width: Math.max(1, Math.round(layer.fontSize / 24)) },
    background: { color: light ? '#000000b3' : '#ffffffd9', padding: Math.max(2, Math.round(layer.fontSize * 0.3)) },
  };
}
