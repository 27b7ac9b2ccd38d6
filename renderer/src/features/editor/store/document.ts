import type { StateCreator } from 'zustand';
import { blankDesign, photoDesign, type Design, type Layer } from '../../../../../main/core/editor/design';
import { sizePreset } from '../../../../../main/core/editor/presets';
import { applyTemplate } from '../../../../../main/core/editor/templates';
import type { OutpostError } from '../../../../../main/core/errors';
import { invoke } from '../../../platform/api';
import { unawaited } from '../../../platform/unawaited';
import { ensureFonts, fontSamples } from '../fonts';
import { base64ToBytes, decodeImage, EditorError } from '../image-io';
import { canRedo, canUndo, createHistory, current, discard, push, redo, seal, undo } from '../model/history';
import { cropOff } from '../model/tools';
import type { PhotoPixels } from '../photo-render';
import { loadStickers } from '../stickers';
import type { DocumentSlice, EditorState, Notice, OpenDoc, Problem } from './types';

/** Longest side of the photo the editor opens with: small enough that sharp decodes a 24 MP JPEG at ¼ scale. */
export const PREVIEW_EDGE = 1500;
/** Overlays (logos) are decoded at most this big. */
const OVERLAY_EDGE = 1024;

let openKey = 0;
let openStartedAt: number | null = null;

/** The problem to show for a failure: main's own error when it carries one, else the editor's reason. */
export function problemOf(error: unknown): Problem {
  const outpost = (error as { outpost?: OutpostError } | null)?.outpost;
  if (outpost) return { reason: outpost.reason ?? outpost.code, error: outpost };
  if (error instanceof EditorError) return { reason: error.reason, details: error.details };
  return { reason: 'unexpected', details: { message: String((error as Error)?.message ?? error) } };
}

function fileBase(name: string): string {
  const base = name.replace(/\.[^.]+$/, '').trim() || 'image';
  return base.length > 80 ? base.slice(0, 80) : base;
}

async function fetchPixels(mediaId: string, maxEdge: number, expected: { width: number; height: number }): Promise<PhotoPixels> {
  const reply = await invoke('editor.image', { mediaId, maxEdge });
  if (!reply.ok) throw Object.assign(new EditorError('image_corrupt', reply.error.message), { outpost: reply.error });
  const image = await decodeImage(base64ToBytes(reply.value.data), reply.value.mime, { width: reply.value.width, height: reply.value.height });
  return { image, scale: image.width / expected.width };
}

function release(pixels: PhotoPixels | null): void {
  pixels?.image.close();
}

export const documentSlice: StateCreator<EditorState, [], [], DocumentSlice> = (set, get) => {
  const ready = (doc: OpenDoc, design: Design, extra: Partial<EditorState> = {}) => {
    set({
      phase: 'ready',
      doc,
      history: createHistory(design),
      design,
      selection: [],
      tool: 'select',
      crop: cropOff,
      cropRatio: 'free',
      clipboard: get().clipboard,
      problem: null,
      lastExport: null,
      exporting: false,
      exportProgress: null,
      ...extra,
    });
  };

  const loadOverlays = async (design: Design, key: number) => {
    const missing = [...new Set(design.layers.flatMap((l) => (l.type === 'image' && !get().images.has(l.mediaId) ? [l.mediaId] : [])))];
    for (const mediaId of missing) {
      const layer = design.layers.find((l) => l.type === 'image' && l.mediaId === mediaId) as Extract<Layer, { type: 'image' }>;
      try {
        const pixels = await fetchPixels(mediaId, OVERLAY_EDGE, { width: layer.width, height: layer.height });
        if (get().doc?.key !== key) {
          pixels.image.close();
          return;
        }
        const images = new Map(get().images);
        images.set(mediaId, { element: pixels.image });
        set({ images });
      } catch {
        // A logo that cannot be read stays an empty frame; the rest of the design still works.
      }
    }
  };

  /** The full-size pixels, fetched once per document after it opens; exports wait for them when they need them. */
  let fullLoad: Promise<PhotoPixels | null> | null = null;
  const loadFull = (): Promise<PhotoPixels | null> => {
    const { doc } = get();
    if (!doc?.photo) return Promise.resolve(null);
    if (fullLoad) return fullLoad;
    const { key, photo } = doc;
    const size = photo.workingCopy ?? { width: photo.width, height: photo.height };
    // The preview already holds every pixel of a small photo.
    if (Math.max(size.width, size.height) <= PREVIEW_EDGE) return Promise.resolve(get().pixels);
    set({ fullState: 'loading' });
    fullLoad = fetchPixels(photo.mediaId, 16_384, photo)
      .then((pixels) => {
        if (get().doc?.key !== key) {
          release(pixels);
          return null;
        }
        const preview = get().pixels;
        set({ fullPixels: pixels, fullState: 'ready', pixels });
        if (preview && preview !== pixels) release(preview);
        return pixels;
      })
      .catch(() => {
        if (get().doc?.key === key) set({ fullState: 'failed', notices: [...get().notices, { kind: 'full_size_unavailable' }] });
        return null;
      });
    return fullLoad;
  };

  return {
    phase: 'start',
    doc: null,
    history: null,
    design: null,
    pixels: null,
    fullPixels: null,
    fullState: 'none',
    images: new Map(),
    notices: [],
    problem: null,

    openMedia: async (mediaId, options = {}) => {
      const key = ++openKey;
      openStartedAt = performance.now();
      get().close();
      set({ phase: 'loading', problem: null });
      try {
        const opened = await invoke('editor.open', { mediaId });
        if (!opened.ok) throw Object.assign(new Error(opened.error.message), { outpost: opened.error });
        const { photo, media } = opened.value;
        let next = opened.value.design ?? photoDesign(photo);
        if (options.template) next = applyTemplate(options.template.design, { photo, ...options.fill });
        const [pixels] = await Promise.all([fetchPixels(photo.mediaId, PREVIEW_EDGE, photo), ensureFonts(fontSamples(next)), loadStickers()]);
        if (key !== openKey) {
          release(pixels);
          return;
        }
        const notices: Notice[] = [];
        if (photo.workingCopy) notices.push({ kind: 'working_copy', width: photo.width, height: photo.height, copyWidth: photo.workingCopy.width, copyHeight: photo.workingCopy.height });
        if (opened.value.migratedFrom) notices.push({ kind: 'migrated', from: opened.value.migratedFrom });
        if (opened.value.designProblem) notices.push({ kind: opened.value.designProblem });
        fullLoad = null;
        ready({ key, media, photo, baseName: fileBase(media.fileName), replaces: options.replaces ?? null }, next, { pixels, fullPixels: null, fullState: 'none', notices });
        unawaited(loadOverlays(next, key), 'Loading the design’s images');
      } catch (error) {
        if (key !== openKey) return;
        set({ phase: 'start', doc: null, design: null, history: null, problem: problemOf(error) });
      }
    },

    openBlank: (size) => {
      const key = ++openKey;
      get().close();
      const { width, height } = typeof size === 'string' ? sizePreset(size) : size;
      fullLoad = null;
      ready({ key, media: null, photo: null, baseName: typeof size === 'string' ? size : `design-${width}x${height}`, replaces: null }, blankDesign(width, height), {
        pixels: null,
        fullPixels: null,
        fullState: 'none',
        notices: [],
      });
    },

    openTemplateBlank: (template) => {
      const key = ++openKey;
      get().close();
      const next = { ...template.design, photo: null };
      fullLoad = null;
      const opening = Promise.all([ensureFonts(fontSamples(next)), loadStickers()]).then(() => {
        if (key !== openKey) return;
        ready({ key, media: null, photo: null, baseName: fileBase(template.name), replaces: null }, next, { pixels: null, fullPixels: null, fullState: 'none', notices: [] });
        unawaited(loadOverlays(next, key), 'Loading the design’s images');
      });
      unawaited(opening, 'Opening the template');
    },

    close: () => {
      const { pixels, fullPixels, images } = get();
      release(pixels);
      if (fullPixels !== pixels) release(fullPixels);
      for (const source of images.values()) (source?.element as ImageBitmap | undefined)?.close?.();
      fullLoad = null;
      set({ phase: 'start', doc: null, design: null, history: null, selection: [], pixels: null, fullPixels: null, fullState: 'none', images: new Map(), notices: [], crop: cropOff, tool: 'select', lastExport: null });
    },

    commit: (next, options = {}) => {
      const h = get().history;
      if (!h) return;
      const pushed = push(h, next, options.coalesce);
      set({ history: pushed, design: current(pushed), ...(options.select ? { selection: options.select } : {}) });
      const added = next.layers.some((l) => l.type === 'image' && !get().images.has(l.mediaId));
      if (added) unawaited(loadOverlays(next, get().doc?.key ?? -1), 'Loading the design’s images');
    },

    sealHistory: () => {
      const h = get().history;
      if (h) set({ history: seal(h) });
    },

    textDone: (id) => {
      const h = get().history;
      const layer = get().design?.layers.find((l) => l.id === id);
      if (!h) return;
      if (layer?.type === 'text' && layer.text.trim() === '') {
        const created = h.openKey === `text:${id}` && !current(undo(h)).layers.some((l) => l.id === id);
        const next = created ? discard(h) : push(h, { ...current(h), layers: current(h).layers.filter((l) => l.id !== id) });
        set({ history: next, design: current(next), selection: get().selection.filter((s) => s !== id) });
        return;
      }
      set({ history: seal(h) });
    },

    undo: () => {
      const h = get().history;
      if (!h || !canUndo(h)) return;
      const started = performance.now();
      get().scene?.stopEditing();
      const back = undo(h);
      const known = new Set(current(back).layers.map((l) => l.id));
      set({ history: back, design: current(back), selection: get().selection.filter((id) => known.has(id)) });
      get().scene?.renderNow();
      performance.measure('editor.undo', { start: started, end: performance.now() });
      get().announce('editor.announce.undone');
    },

    redo: () => {
      const h = get().history;
      if (!h || !canRedo(h)) return;
      get().scene?.stopEditing();
      const forward = redo(h);
      const known = new Set(current(forward).layers.map((l) => l.id));
      set({ history: forward, design: current(forward), selection: get().selection.filter((id) => known.has(id)) });
      get().scene?.renderNow();
      get().announce('editor.announce.redone');
    },

    markRendered: () => {
      if (openStartedAt === null || !get().design) return;
      performance.measure('editor.open', { start: openStartedAt, end: performance.now() });
      openStartedAt = null;
      // The full-size pixels come after the editor is usable, not before.
      unawaited(loadFull(), 'Loading the full-size photo');
    },

    loadFull,
    dismissProblem: () => set({ problem: null }),
  };
};
