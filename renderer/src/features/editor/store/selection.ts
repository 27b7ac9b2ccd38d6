import type { StateCreator } from 'zustand';
import type { Design, Layer } from '../../../../../main/core/editor/design';
import { unawaited } from '../../../platform/unawaited';
import { ensureFonts } from '../fonts';
import { copyLayers, moveLayers, newImage, newSegment, newShape, newSticker, newText, removeLayers, type ShapeKind } from '../model/layers';
import { loadStickers } from '../stickers';
import type { EditorState, SelectionSlice } from './types';

function makeId(): string {
  return crypto.randomUUID();
}

export const selectionSlice: StateCreator<EditorState, [], [], SelectionSlice> = (set, get) => {
  const design = () => get().design as Design;
  return {
    selection: [],
    clipboard: [],

    select: (ids) => {
      const same = ids.length === get().selection.length && ids.every((id, i) => id === get().selection[i]);
      if (!same) set({ selection: ids });
    },

    draw: (tool, outcome) => {
      const d = design();
      const id = makeId();
      if (tool === 'text') {
        const at = outcome.kind === 'click' ? outcome.point : { x: outcome.box.left + outcome.box.width / 2, y: outcome.box.top + outcome.box.height / 2 };
        const layer = newText(d, id, '', at);
        const sized = outcome.kind === 'drag' && outcome.box.width > 20 ? { ...layer, width: outcome.box.width } : layer;
        // Adding the box and typing into it is one step to undo.
        get().commit({ ...d, layers: [...d.layers, sized] }, { select: [id], coalesce: `text:${id}` });
        set({ tool: 'select' });
        get().scene?.editText(id);
        return;
      }
      const kind = tool as ShapeKind;
      let layer: Layer;
      if (outcome.kind === 'drag' && (kind === 'line' || kind === 'arrow')) {
        layer = newSegment(d, id, kind, outcome.from, outcome.to);
      } else if (outcome.kind === 'drag') {
        layer = newShape(d, id, kind, outcome.box);
      } else {
        const base = newShape(d, id, kind);
        layer = { ...base, x: outcome.point.x, y: outcome.point.y };
      }
      get().commit({ ...d, layers: [...d.layers, layer] }, { select: [id] });
      set({ tool: 'select' });
    },

    addText: (text) => {
      const d = design();
      const id = makeId();
      const layer = newText(d, id, text);
      unawaited(ensureFonts([{ text, weight: layer.fontWeight }]).then(() => get().scene?.renderNow()), 'Loading a font');
      get().commit({ ...d, layers: [...d.layers, layer] }, { select: [id] });
    },

    addShape: (kind) => {
      const d = design();
      const id = makeId();
      get().commit({ ...d, layers: [...d.layers, newShape(d, id, kind)] }, { select: [id] });
    },

    addSticker: (emoji) => {
      const d = design();
      const id = makeId();
      const adding = loadStickers().then(() => {
        get().commit({ ...d, layers: [...d.layers, newSticker(d, id, emoji)] }, { select: [id] });
      });
      unawaited(adding, 'Adding a sticker');
    },

    addImage: async (media) => {
      const d = design();
      const id = makeId();
      const layer = newImage(d, id, { mediaId: media.id, width: media.width ?? 512, height: media.height ?? 512 });
      get().commit({ ...d, layers: [...d.layers, layer] }, { select: [id] });
    },

    deleteSelection: () => {
      const { selection } = get();
      const d = design();
      const ids = selection.filter((id) => !d.layers.find((l) => l.id === id)?.locked);
      if (ids.length === 0) return;
      get().commit(removeLayers(d, ids), { select: [] });
      get().announce('editor.announce.deleted', { count: ids.length });
    },

    copy: () => {
      const d = design();
      const wanted = new Set(get().selection);
      const layers = d.layers.filter((l) => wanted.has(l.id));
      if (layers.length) set({ clipboard: layers });
    },

    cut: () => {
      get().copy();
      get().deleteSelection();
    },

    paste: () => {
      const { clipboard } = get();
      if (!clipboard.length) return;
      const d = design();
      const offset = Math.round(Math.min(d.width, d.height) * 0.02);
      const copied = copyLayers(d, clipboard, makeId, offset);
      get().commit(copied.design, { select: copied.ids });
      // A second paste lands a step further on, not on top of the first.
      set({ clipboard: copied.design.layers.filter((l) => copied.ids.includes(l.id)) });
    },

    duplicate: () => {
      const d = design();
      const wanted = new Set(get().selection);
      const layers = d.layers.filter((l) => wanted.has(l.id));
      if (!layers.length) return;
      const copied = copyLayers(d, layers, makeId, Math.round(Math.min(d.width, d.height) * 0.02));
      get().commit(copied.design, { select: copied.ids });
    },

    nudge: (dx, dy) => {
      const ids = get().selection;
      if (!ids.length) return;
      get().commit(moveLayers(design(), ids, dx, dy), { coalesce: `nudge:${ids.join(',')}` });
    },
  };
};
