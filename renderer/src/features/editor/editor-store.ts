import { create } from 'zustand';
import type { DesignTemplate, EditorPhoto, Media } from '../../../../main/core/contract';
import { blankDesign, photoDesign, type Design, type Layer } from '../../../../main/core/editor/design';
import { combineLimits, fitFormat, shapeProblems, type ExportMime, type FitLimits } from '../../../../main/core/editor/fit';
import { cropBounds, cropDesign, flipDesign, resizeDesign, rotateDesign } from '../../../../main/core/editor/geometry';
import { cropRatioValue, sizePreset, type CropRatioId, type SizePresetId } from '../../../../main/core/editor/presets';
import { applyTemplate, type TemplateFill } from '../../../../main/core/editor/templates';
import type { NetworkId } from '../../../../main/core/networks/ids';
import { networkRules, type NetworkRules } from '../../../../main/core/networks/rules';
import type { OutpostError } from '../../../../main/core/errors';
import { invoke, connectApi } from '../../platform/api';
import { useNavigation } from '../navigation/navigation-store';
import type { Tool } from './scene/scene';
import type { ExportOutcome } from './export';
import { ensureFonts, fontSamples } from './fonts';
import { base64ToBytes, blobToBase64, decodeImage, EditorError, type EditorErrorReason } from './image-io';
import { canRedo, canUndo, createHistory, current, discard, push, redo, seal, undo, type History } from './model/history';
import { copyLayers, moveLayers, newImage, newSegment, newShape, newSticker, newText, removeLayers, type ShapeKind } from './model/layers';
import { cropOff, stepCrop, type CropEvent, type CropState, type DrawOutcome } from './model/tools';
import type { PhotoPixels } from './photo-render';
import { neededScale } from './photo-render';
import { attachToPost, composedPost } from './post-link';
import { loadStickers } from './stickers';
import type { ImageSource } from './scene/objects';

/** Longest side of the photo the editor opens with: small enough that sharp decodes a 24 MP JPEG at ¼ scale. */
export const PREVIEW_EDGE = 1500;
/** Overlays (logos) are decoded at most this big. */
const OVERLAY_EDGE = 1024;

/** What the canvas glue offers the store: view commands and measurements only it can make. */
export interface SceneApi {
  fit(): void;
  zoomBy(factor: number): void;
  zoomTo(zoom: number): void;
  renderNow(): void;
  editText(id: string): void;
  stopEditing(): void;
  isEditingText(): boolean;
  boundsOf(ids: readonly string[]): Map<string, { left: number; top: number; width: number; height: number }>;
  cancelGesture(): void;
  setSpaceHeld(held: boolean): void;
}

export type Notice =
  | { kind: 'working_copy'; width: number; height: number; copyWidth: number; copyHeight: number }
  | { kind: 'migrated'; from: number }
  | { kind: 'design_invalid' | 'design_too_new' | 'original_missing' }
  | { kind: 'full_size_unavailable' };

/** A problem the user must see, worded by the UI from its reason. */
export type Problem = { reason: EditorErrorReason | string; details?: Record<string, string | number>; error?: OutpostError };

export interface ExportSettings {
  width: number;
  height: number;
  mime: ExportMime;
  /** 0–1, for JPEG and WebP. */
  quality: number;
  /** Fit these networks' limits (pixel size, bytes, format), or null for exactly the settings. */
  fitNetworks: NetworkId[] | null;
  attachToPost: boolean;
}

export interface ExportResult {
  media: Media;
  width: number;
  height: number;
  bytes: number;
  mime: ExportMime;
  quality: number;
  attached: boolean;
  duplicate: boolean;
}

interface OpenDoc {
  /** Bumped on every open, so a slow load for an earlier document is dropped. */
  key: number;
  /** The library image opened (for a derived image, that image; its photo is `photo`). */
  media: Media | null;
  photo: EditorPhoto | null;
  /** Export name, without extension. */
  baseName: string;
  /** The post's media id this edit should replace when attached. */
  replaces: string | null;
}

export interface EditorState {
  phase: 'start' | 'loading' | 'ready';
  doc: OpenDoc | null;
  history: History<Design> | null;
  design: Design | null;
  selection: string[];
  tool: Tool;
  crop: CropState;
  cropRatio: CropRatioId;
  zoom: number;
  /** The photo's decoded pixels shown on screen (a preview, later the full image). */
  pixels: PhotoPixels | null;
  /** The full-size (or working-copy) pixels, loaded after opening, for exports that need them. */
  fullPixels: PhotoPixels | null;
  fullState: 'none' | 'loading' | 'ready' | 'failed';
  images: ReadonlyMap<string, ImageSource>;
  clipboard: Layer[];
  notices: Notice[];
  /** Why the last open or action failed. */
  problem: Problem | null;
  exporting: boolean;
  exportProgress: string | null;
  lastExport: ExportResult | null;
  /** Polite announcements for screen readers (undo, redo, saved). */
  announcement: { key: string; params?: Record<string, string | number>; at: number } | null;
  scene: SceneApi | null;
  /** An image another page asked to edit, opened when the editor shows. */
  pending: { mediaId: string; replaces: string | null } | null;

  openMedia(mediaId: string, options?: { replaces?: string | null; template?: DesignTemplate; fill?: Omit<TemplateFill, 'photo'> }): Promise<void>;
  openBlank(size: SizePresetId | { width: number; height: number }): void;
  openTemplateBlank(template: DesignTemplate): void;
  close(): void;
  commit(next: Design, options?: { coalesce?: string; select?: string[] }): void;
  sealHistory(): void;
  /** Text editing in place ended: a box left empty goes away, as if never added. */
  textDone(id: string): void;
  undo(): void;
  redo(): void;
  select(ids: string[]): void;
  setTool(tool: Tool): void;
  setCropRatio(ratio: CropRatioId): void;
  cropEvent(event: CropEvent): void;
  applyCrop(): void;
  rotate(direction: 'cw' | 'ccw'): void;
  flip(axis: 'horizontal' | 'vertical'): void;
  resize(width: number, height: number): void;
  draw(tool: Tool, outcome: DrawOutcome): void;
  addText(text: string): void;
  addShape(kind: ShapeKind): void;
  addSticker(emoji: string): void;
  addImage(media: Media): Promise<void>;
  deleteSelection(): void;
  copy(): void;
  cut(): void;
  paste(): void;
  duplicate(): void;
  nudge(dx: number, dy: number): void;
  setZoom(zoom: number): void;
  markRendered(): void;
  exportImage(settings: ExportSettings): Promise<ExportResult | null>;
  saveTemplate(name: string, id?: string): Promise<DesignTemplate | null>;
  setScene(scene: SceneApi | null): void;
  dismissProblem(): void;
  announce(key: string, params?: Record<string, string | number>): void;
}

let openKey = 0;
let openStartedAt: number | null = null;

function makeId(): string {
  return crypto.randomUUID();
}

function problemOf(error: unknown): Problem {
  if (error instanceof EditorError) return { reason: error.reason, details: error.details };
  return { reason: 'unexpected', details: { message: String((error as Error)?.message ?? error) } };
}

function fileBase(name: string): string {
  const base = name.replace(/\.[^.]+$/, '').trim() || 'image';
  return base.length > 80 ? base.slice(0, 80) : base;
}

const extension: Record<ExportMime, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

async function fetchPixels(mediaId: string, maxEdge: number, expected: { width: number; height: number }): Promise<PhotoPixels> {
  const reply = await invoke('editor.image', { mediaId, maxEdge });
  if (!reply.ok) throw Object.assign(new EditorError('image_corrupt', reply.error.message), { outpost: reply.error });
  const image = await decodeImage(base64ToBytes(reply.value.data), reply.value.mime, { width: reply.value.width, height: reply.value.height });
  return { image, scale: image.width / expected.width };
}

function release(pixels: PhotoPixels | null): void {
  pixels?.image.close();
}

/** The networks' combined limits for a list of networks (the post's, or chosen in the dialog). */
export function limitsFor(networks: readonly NetworkId[]): FitLimits {
  const post = composedPost();
  const rules: NetworkRules[] = networks.map((n) => post?.rules.find((r) => r.network === n) ?? networkRules[n]);
  return combineLimits(rules);
}

export const useEditor = create<EditorState>((set, get) => {
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

  const design = () => get().design as Design;

  return {
    phase: 'start',
    doc: null,
    history: null,
    design: null,
    selection: [],
    tool: 'select',
    crop: cropOff,
    cropRatio: 'free',
    zoom: 1,
    pixels: null,
    fullPixels: null,
    fullState: 'none',
    images: new Map(),
    clipboard: [],
    notices: [],
    problem: null,
    exporting: false,
    exportProgress: null,
    lastExport: null,
    announcement: null,
    scene: null,
    pending: null,

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
        void loadOverlays(next, key);
      } catch (error) {
        if (key !== openKey) return;
        const outpost = (error as { outpost?: OutpostError }).outpost;
        set({ phase: 'start', doc: null, design: null, history: null, problem: outpost ? { reason: outpost.reason ?? outpost.code, error: outpost } : problemOf(error) });
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
      void Promise.all([ensureFonts(fontSamples(next)), loadStickers()]).then(() => {
        if (key !== openKey) return;
        ready({ key, media: null, photo: null, baseName: fileBase(template.name), replaces: null }, next, { pixels: null, fullPixels: null, fullState: 'none', notices: [] });
        void loadOverlays(next, key);
      });
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
      if (added) void loadOverlays(next, get().doc?.key ?? -1);
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

    select: (ids) => {
      const same = ids.length === get().selection.length && ids.every((id, i) => id === get().selection[i]);
      if (!same) set({ selection: ids });
    },

    setTool: (tool) => {
      const d = get().design;
      if (!d) return;
      if (tool === 'crop') {
        const ratio = get().cropRatio;
        const value = cropRatioValue(ratio, { width: d.width, height: d.height });
        set({ tool, selection: [], crop: stepCrop(cropOff, { type: 'begin', bounds: cropBounds(d), box: { x: 0, y: 0, width: d.width, height: d.height }, ratio: value }).state });
      } else set({ tool, crop: cropOff });
    },

    setCropRatio: (ratio) => {
      const d = get().design;
      set({ cropRatio: ratio });
      if (!d || get().crop.mode === 'off') return;
      const photo = d.photo;
      const original = photo ? (photo.rotation % 180 ? { width: photo.height, height: photo.width } : photo) : d;
      set({ crop: stepCrop(get().crop, { type: 'ratio', ratio: cropRatioValue(ratio, original) }).state });
    },

    cropEvent: (event) => {
      if (event.type === 'apply') return get().applyCrop();
      const step = stepCrop(get().crop, event);
      set({ crop: step.state, ...(step.state.mode === 'off' ? { tool: 'select' as Tool } : {}) });
    },

    applyCrop: () => {
      const step = stepCrop(get().crop, { type: 'apply' });
      set({ crop: step.state, tool: 'select' });
      if (step.applied) {
        get().commit(cropDesign(design(), step.applied));
        get().announce('editor.announce.cropped', { width: design().width, height: design().height });
        get().scene?.fit();
      }
    },

    rotate: (direction) => {
      get().commit(rotateDesign(design(), direction));
      get().scene?.fit();
    },

    flip: (axis) => get().commit(flipDesign(design(), axis)),

    resize: (width, height) => {
      get().commit(resizeDesign(design(), width, height));
      get().scene?.fit();
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
      void ensureFonts([{ text, weight: layer.fontWeight }]).then(() => get().scene?.renderNow());
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
      void loadStickers().then(() => {
        get().commit({ ...d, layers: [...d.layers, newSticker(d, id, emoji)] }, { select: [id] });
      });
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

    setZoom: (zoom) => {
      if (Math.abs(zoom - get().zoom) > 1e-6) set({ zoom });
    },

    markRendered: () => {
      if (openStartedAt === null || !get().design) return;
      performance.measure('editor.open', { start: openStartedAt, end: performance.now() });
      openStartedAt = null;
      // The full-size pixels come after the editor is usable, not before.
      void loadFull();
    },

    exportImage: async (settings) => {
      const d = get().design;
      const doc = get().doc;
      if (!d || !doc || get().exporting) return null;
      set({ exporting: true, exportProgress: 'rendering', problem: null });
      const started = performance.now();
      try {
        let pixels = get().pixels;
        if (d.photo && pixels && pixels.scale < neededScale(d, settings.width) * 0.999) {
          set({ exportProgress: 'loading' });
          pixels = (await loadFull()) ?? pixels;
        }
        let mime = settings.mime;
        let limits: FitLimits | null = null;
        if (settings.fitNetworks) {
          limits = limitsFor(settings.fitNetworks);
          mime = fitFormat(mime, limits) ?? mime;
        }
        set({ exportProgress: 'rendering' });
        // fabric loads with the editor, not with the app: the calendar opens without parsing it.
        const { exportDesign } = await import('./export');
        const outcome: ExportOutcome = await exportDesign({
          design: d,
          width: settings.width,
          height: settings.height,
          mime,
          quality: settings.quality,
          limits,
          pixels,
          images: get().images,
        });
        performance.measure('editor.export', { start: started, end: performance.now() });
        set({ exportProgress: 'saving' });
        const fileName = `${doc.baseName}-edited.${extension[mime]}`;
        const api = connectApi();
        let file: { data: string } | { uploadId: string };
        if (api.upload) {
          const uploaded = await api.upload(new File([outcome.blob], fileName, { type: mime }));
          if (!uploaded.ok) throw Object.assign(new Error(uploaded.error.message), { outpost: uploaded.error });
          file = { uploadId: uploaded.value.uploadId };
        } else file = { data: await blobToBase64(outcome.blob) };
        const saved = await invoke('editor.export', { file, mime, fileName, design: d, parentMediaId: d.photo?.mediaId ?? null });
        if (!saved.ok) throw Object.assign(new Error(saved.error.message), { outpost: saved.error });
        let attached = false;
        const post = composedPost();
        if (settings.attachToPost && post) attached = await attachToPost(post.postId, saved.value.media, doc.replaces ?? doc.media?.id ?? null);
        const result: ExportResult = {
          media: saved.value.media,
          width: outcome.width,
          height: outcome.height,
          bytes: outcome.blob.size,
          mime,
          quality: outcome.quality,
          attached,
          duplicate: saved.value.duplicate,
        };
        set({ exporting: false, exportProgress: null, lastExport: result });
        get().announce(attached ? 'editor.announce.exportedAttached' : 'editor.announce.exported', { name: saved.value.media.fileName });
        return result;
      } catch (error) {
        const outpost = (error as { outpost?: OutpostError }).outpost;
        set({ exporting: false, exportProgress: null, problem: outpost ? { reason: outpost.reason ?? outpost.code, error: outpost } : problemOf(error) });
        return null;
      }
    },

    saveTemplate: async (name, id) => {
      const d = get().design;
      if (!d) return null;
      const saved = await invoke('editor.saveTemplate', { name, design: d, ...(id ? { id } : {}) });
      if (!saved.ok) {
        set({ problem: { reason: saved.error.reason ?? saved.error.code, error: saved.error } });
        return null;
      }
      get().announce('editor.announce.templateSaved', { name: saved.value.name });
      return saved.value;
    },

    setScene: (scene) => set({ scene }),
    dismissProblem: () => set({ problem: null }),
    announce: (key, params) => set({ announcement: { key, ...(params ? { params } : {}), at: Date.now() } }),
  };
});

/** Opens a library image in the editor from any page (the composer's "Edit", the library). */
export function openInEditor(mediaId: string, replaces: string | null = null): void {
  useEditor.setState({ pending: { mediaId, replaces } });
  useNavigation.getState().go('editor');
}

/** The problems a design's shape has for a set of networks (only a crop fixes them). */
export function shapeWarnings(design: Design, networks: readonly NetworkId[]) {
  return shapeProblems(design.width, design.height, limitsFor(networks));
}
