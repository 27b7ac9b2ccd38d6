import type { DesignTemplate, EditorPhoto, Media } from '../../../../../main/core/contract';
import type { Design, Layer } from '../../../../../main/core/editor/design';
import type { ExportMime } from '../../../../../main/core/editor/fit';
import type { CropRatioId, SizePresetId } from '../../../../../main/core/editor/presets';
import type { TemplateFill } from '../../../../../main/core/editor/templates';
import type { NetworkId } from '../../../../../main/core/networks/ids';
import type { OutpostError } from '../../../../../main/core/errors';
import type { EditorErrorReason } from '../image-io';
import type { History } from '../model/history';
import type { ShapeKind } from '../model/layers';
import type { CropEvent, CropState, DrawOutcome } from '../model/tools';
import type { PhotoPixels } from '../photo-render';
import type { ImageSource } from '../scene/objects';
import type { Tool } from '../scene/scene';

/** The editor's state, one store made of slices by responsibility; each slice's file holds its actions. */

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

export interface OpenDoc {
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

/** The open document, its undo history and the pixels it shows (store/document.ts). */
export interface DocumentSlice {
  phase: 'start' | 'loading' | 'ready';
  doc: OpenDoc | null;
  history: History<Design> | null;
  design: Design | null;
  /** The photo's decoded pixels shown on screen (a preview, later the full image). */
  pixels: PhotoPixels | null;
  /** The full-size (or working-copy) pixels, loaded after opening, for exports that need them. */
  fullPixels: PhotoPixels | null;
  fullState: 'none' | 'loading' | 'ready' | 'failed';
  images: ReadonlyMap<string, ImageSource>;
  notices: Notice[];
  /** Why the last open or action failed. */
  problem: Problem | null;

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
  markRendered(): void;
  /** The full-size pixels, fetched once per document; exports that need them wait for them. */
  loadFull(): Promise<PhotoPixels | null>;
  dismissProblem(): void;
}

/** What is selected and what acts on it: adding layers, deleting, copying, pasting, nudging (store/selection.ts). */
export interface SelectionSlice {
  selection: string[];
  clipboard: Layer[];
  select(ids: string[]): void;
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
}

/** The tool in hand, cropping and the whole-design transforms (store/crop.ts). */
export interface CropSlice {
  tool: Tool;
  crop: CropState;
  cropRatio: CropRatioId;
  setTool(tool: Tool): void;
  setCropRatio(ratio: CropRatioId): void;
  cropEvent(event: CropEvent): void;
  applyCrop(): void;
  rotate(direction: 'cw' | 'ccw'): void;
  flip(axis: 'horizontal' | 'vertical'): void;
  resize(width: number, height: number): void;
}

/** Exporting the design to the library (and the post), and saving it as a template (store/exporting.ts). */
export interface ExportSlice {
  exporting: boolean;
  exportProgress: string | null;
  lastExport: ExportResult | null;
  exportImage(settings: ExportSettings): Promise<ExportResult | null>;
  saveTemplate(name: string, id?: string): Promise<DesignTemplate | null>;
}

/** The view: zoom, the canvas glue, announcements, and an image another page asked to edit (editor-store.ts). */
export interface ViewSlice {
  zoom: number;
  /** Polite announcements for screen readers (undo, redo, saved). */
  announcement: { key: string; params?: Record<string, string | number>; at: number } | null;
  scene: SceneApi | null;
  /** An image another page asked to edit, opened when the editor shows. */
  pending: { mediaId: string; replaces: string | null } | null;
  /** The post the editor was opened from in the composer: "Back to the post" returns to it. */
  returnTo: string | null;
  backToPost(): void;
  setZoom(zoom: number): void;
  setScene(scene: SceneApi | null): void;
  announce(key: string, params?: Record<string, string | number>): void;
}

export type EditorState = DocumentSlice & SelectionSlice & CropSlice & ExportSlice & ViewSlice;
