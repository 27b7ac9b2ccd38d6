import { ActiveSelection, Canvas, FabricImage, Point, Rect, type FabricObject, type TPointerEvent, type TPointerEventInfo } from 'fabric';
import type { Box, Design, Layer } from '../../../../../main/core/editor/design';
import { photoBounds, type Handle } from '../../../../../main/core/editor/geometry';
import { snapToCanvas, type Rect as BoxRect } from '../model/align';
import { idleDraw, stepDraw, type CropEvent, type CropGrip, type CropState, type DrawOutcome, type DrawState } from '../model/tools';
import { displaySize, renderPhoto, wholePhoto, type PhotoPixels } from '../photo-render';
import { canUpdate, createObject, objectInfo, readObject, updateObject, type ImageSource, type PaddedTextbox } from './objects';
import { unawaited } from '../../../platform/unawaited';

export type Tool = 'select' | 'hand' | 'crop' | 'text' | 'rect' | 'ellipse' | 'line' | 'arrow';
export const drawTools: readonly Tool[] = ['text', 'rect', 'ellipse', 'line', 'arrow'];

export interface SceneInput {
  design: Design;
  selection: readonly string[];
  tool: Tool;
  crop: CropState;
  photo: PhotoPixels | null;
  images: ReadonlyMap<string, ImageSource>;
}

export interface SceneCallbacks {
  /** Layers as a gesture (move, scale, turn, resize) left them. */
  commit(layers: Layer[]): void;
  select(ids: string[]): void;
  /** Text typed in place, keystroke by keystroke. */
  textInput(id: string, text: string): void;
  textDone(id: string): void;
  /** A drawing tool finished a gesture. */
  draw(tool: Tool, outcome: DrawOutcome): void;
  crop(event: CropEvent): void;
  zoomChanged(zoom: number): void;
}

export interface SceneColors {
  workspace: string;
  mask: string;
  guide: string;
  accent: string;
}

/** The editor's fabric canvas; `_renderOverlay` draws what is not a layer: mask, crop frame, guides, drag preview. */
class EditorCanvas extends Canvas {
  decorate: ((ctx: CanvasRenderingContext2D) => void) | null = null;

  override _renderOverlay(ctx: CanvasRenderingContext2D): void {
    super._renderOverlay(ctx);
    this.decorate?.(ctx);
  }
}

const MIN_ZOOM = 0.02;
const MAX_ZOOM = 16;
/** Screen pixels: how close an edge must come to snap, and how big crop handles are to grab. */
const SNAP_PX = 6;
const HANDLE_PX = 10;
/** Longest side the on-screen photo is drawn at: sharp on a 2× screen, cheap to redraw while a filter slider moves. */
const DISPLAY_EDGE = 2560;
const FIT_MARGIN = 32;
/** Room under the design for the zoom bar floating over the stage's bottom corner. */
const FIT_BOTTOM = 64;

const handles: readonly Handle[] = ['tl', 't', 'tr', 'r', 'br', 'b', 'bl', 'l'];

function handlePoint(box: Box, h: Handle): { x: number; y: number } {
  const x = h.includes('l') ? box.x : h.includes('r') ? box.x + box.width : box.x + box.width / 2;
  const y = h.startsWith('t') ? box.y : h.startsWith('b') ? box.y + box.height : box.y + box.height / 2;
  return { x, y };
}

const cursorFor: Record<CropGrip, string> = {
  tl: 'nwse-resize',
  br: 'nwse-resize',
  tr: 'nesw-resize',
  bl: 'nesw-resize',
  t: 'ns-resize',
  b: 'ns-resize',
  l: 'ew-resize',
  r: 'ew-resize',
  inside: 'move',
};

function bboxOf(obj: FabricObject): BoxRect {
  const pts = obj.getCoords();
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  const left = Math.min(...xs);
  const top = Math.min(...ys);
  return { left, top, width: Math.max(...xs) - left, height: Math.max(...ys) - top };
}

export class Scene {
  readonly canvas: EditorCanvas;
  private readonly entries = new Map<string, { obj: FabricObject; layer: Layer }>();
  private readonly artboard: Rect;
  private photoObj: FabricImage | null = null;
  private photoMemo: unknown[] = [];
  private input: SceneInput | null = null;
  private guides: { vertical: number[]; horizontal: number[] } = { vertical: [], horizontal: [] };
  private drawState: DrawState = idleDraw;
  private pan: { x: number; y: number } | null = null;
  private spaceHeld = false;
  private fitting = true;
  private size = { width: 300, height: 150 };
  private applyingSelection = false;

  constructor(
    element: HTMLCanvasElement,
    private readonly callbacks: SceneCallbacks,
    private colors: SceneColors,
  ) {
    this.canvas = new EditorCanvas(element, {
      preserveObjectStacking: true,
      controlsAboveOverlay: true,
      stopContextMenu: true,
      uniformScaling: true,
      backgroundColor: colors.workspace,
      selectionColor: 'rgba(37, 99, 235, 0.12)',
      selectionBorderColor: colors.accent,
      targetFindTolerance: 4,
    });
    this.canvas.decorate = (ctx) => this.decorate(ctx);
    this.artboard = new Rect({ left: 0, top: 0, width: 1, height: 1, selectable: false, evented: false, objectCaching: false, hoverCursor: 'default' });
    this.canvas.add(this.artboard);
    this.listen();
  }

  setColors(colors: SceneColors): void {
    this.colors = colors;
    this.canvas.backgroundColor = colors.workspace;
    this.canvas.requestRenderAll();
  }

  dispose(): void {
    unawaited(this.canvas.dispose(), 'dispose');
  }

  /** The canvas element's CSS size changed. */
  resize(width: number, height: number): void {
    if (width < 1 || height < 1) return;
    this.size = { width, height };
    this.canvas.setDimensions({ width, height });
    if (this.fitting) this.fit();
    else this.canvas.requestRenderAll();
  }

  get zoom(): number {
    return this.canvas.getZoom();
  }

  fit(): void {
    const design = this.input?.design;
    if (!design) return;
    this.fitting = true;
    const frame = this.input?.crop.mode === 'framing' ? this.input.crop.bounds : { x: 0, y: 0, width: design.width, height: design.height };
    const room = { width: this.size.width - FIT_MARGIN * 2, height: this.size.height - FIT_MARGIN - FIT_BOTTOM };
    const zoom = Math.min(room.width / frame.width, room.height / frame.height);
    const z = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, zoom));
    const x = FIT_MARGIN + (room.width - frame.width * z) / 2 - frame.x * z;
    const y = FIT_MARGIN + (room.height - frame.height * z) / 2 - frame.y * z;
    this.canvas.setViewportTransform([z, 0, 0, z, x, y]);
    this.callbacks.zoomChanged(z);
  }

  /** Zooms by `factor` around a screen point (the middle by default). */
  zoomBy(factor: number, around?: { x: number; y: number }): void {
    this.zoomTo(this.zoom * factor, around);
  }

  zoomTo(zoom: number, around?: { x: number; y: number }): void {
    this.fitting = false;
    const z = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, zoom));
    const point = new Point(around?.x ?? this.size.width / 2, around?.y ?? this.size.height / 2);
    this.canvas.zoomToPoint(point, z);
    this.callbacks.zoomChanged(z);
  }

  panBy(dx: number, dy: number): void {
    this.fitting = false;
    this.canvas.relativePan(new Point(dx, dy));
  }

  setSpaceHeld(held: boolean): void {
    this.spaceHeld = held;
    this.applyMode();
  }

  /** Brings fabric in line with the editor's state; only what changed is touched. */
  update(input: SceneInput, options: { force?: boolean } = {}): void {
    const previous = this.input;
    this.input = input;
    const { design } = input;
    const modeChanged = previous?.tool !== input.tool || previous?.crop.mode !== input.crop.mode;
    if (previous?.design.width !== design.width || previous?.design.height !== design.height) {
      this.artboard.set({ left: design.width / 2, top: design.height / 2, width: design.width, height: design.height });
      this.artboard.setCoords();
    }
    if (this.artboard.fill !== design.background) this.artboard.set({ fill: design.background });
    this.updatePhoto(input);

    // An ActiveSelection holds its objects in its own frame: let go of it while layers change.
    const active = this.canvas.getActiveObject();
    const layersChanged = options.force || previous?.design.layers !== design.layers || previous?.images !== input.images;
    if (layersChanged && active instanceof ActiveSelection) this.withoutSelectionEvents(() => this.canvas.discardActiveObject());
    if (layersChanged) this.syncLayers(input);
    this.applyMode();
    this.applySelection(input.selection);
    if (modeChanged && (input.crop.mode === 'framing') !== (previous?.crop.mode === 'framing') && this.fitting) this.fit();
    this.canvas.requestRenderAll();
  }

  /** Renders now rather than at the next frame (undo timing, exports of the live view). */
  renderNow(): void {
    this.canvas.renderAll();
  }

  private updatePhoto(input: SceneInput): void {
    const { design, photo: pixels } = input;
    const cropping = input.crop.mode === 'framing';
    const memo = [design.photo, design.width, design.height, pixels, cropping];
    if (memo.every((v, i) => v === this.photoMemo[i])) return;
    this.photoMemo = memo;
    if (this.photoObj) {
      this.canvas.remove(this.photoObj);
      this.photoObj = null;
    }
    if (!design.photo || !pixels) return;
    const photo = cropping ? wholePhoto(design.photo) : design.photo;
    const frame = cropping ? (photoBounds(design) as Box) : { x: 0, y: 0, width: design.width, height: design.height };
    const frameDesign = { ...design, width: frame.width, height: frame.height };
    const size = displaySize(frameDesign, photo, pixels, DISPLAY_EDGE);
    const element = renderPhoto(photo, pixels, size.width, size.height);
    this.photoObj = new FabricImage(element, {
      left: frame.x + frame.width / 2,
      top: frame.y + frame.height / 2,
      scaleX: frame.width / size.width,
      scaleY: frame.height / size.height,
      selectable: false,
      evented: false,
      objectCaching: false,
      hoverCursor: 'default',
    });
    this.canvas.insertAt(1, this.photoObj);
  }

  private syncLayers(input: SceneInput): void {
    const seen = new Set<string>();
    for (const layer of input.design.layers) {
      seen.add(layer.id);
      const entry = this.entries.get(layer.id);
      const image = layer.type === 'image' ? (input.images.get(layer.mediaId) ?? null) : null;
      if (entry && entry.layer === layer && (layer.type !== 'image' || canUpdate(entry.obj, entry.layer, layer, image))) continue;
      if (entry && canUpdate(entry.obj, entry.layer, layer, image)) {
        updateObject(entry.obj, layer);
        entry.layer = layer;
        continue;
      }
      if (entry) this.canvas.remove(entry.obj);
      const obj = createObject(layer, image);
      this.entries.set(layer.id, { obj, layer });
      this.canvas.add(obj);
    }
    for (const [id, entry] of this.entries) {
      if (seen.has(id)) continue;
      this.canvas.remove(entry.obj);
      this.entries.delete(id);
    }
    // Stacking: artboard, photo, then the layers bottom to top.
    const wanted: FabricObject[] = [this.artboard, ...(this.photoObj ? [this.photoObj] : [])];
    for (const layer of input.design.layers) wanted.push((this.entries.get(layer.id) as { obj: FabricObject }).obj);
    const current = this.canvas.getObjects();
    if (wanted.some((obj, i) => current[i] !== obj)) wanted.forEach((obj, i) => this.canvas.moveObjectTo(obj, i));
  }

  private applyMode(): void {
    const input = this.input;
    if (!input) return;
    const cropping = input.crop.mode === 'framing';
    const panning = input.tool === 'hand' || this.spaceHeld;
    const drawing = drawTools.includes(input.tool);
    const interactive = !cropping && !panning && !drawing;
    this.canvas.selection = interactive;
    this.canvas.skipTargetFind = !interactive;
    this.canvas.defaultCursor = panning ? 'grab' : drawing ? 'crosshair' : 'default';
    if (!interactive && this.canvas.getActiveObject()) this.withoutSelectionEvents(() => this.canvas.discardActiveObject());
  }

  private withoutSelectionEvents(fn: () => void): void {
    this.applyingSelection = true;
    try {
      fn();
    } finally {
      this.applyingSelection = false;
    }
  }

  private applySelection(ids: readonly string[]): void {
    const current = this.selectedIds();
    if (current.length === ids.length && current.every((id, i) => id === ids[i])) return;
    const objects = ids.flatMap((id) => {
      const entry = this.entries.get(id);
      return entry && entry.obj.selectable && entry.obj.visible ? [entry.obj] : [];
    });
    this.withoutSelectionEvents(() => {
      this.canvas.discardActiveObject();
      if (objects.length === 1) this.canvas.setActiveObject(objects[0] as FabricObject);
      else if (objects.length > 1) this.canvas.setActiveObject(new ActiveSelection(objects, { canvas: this.canvas }));
    });
  }

  private selectedIds(): string[] {
    return this.canvas.getActiveObjects().flatMap((obj) => {
      const meta = objectInfo(obj);
      return meta ? [meta.id] : [];
    });
  }

  private layerOf(obj: FabricObject): Layer | undefined {
    const meta = objectInfo(obj);
    return meta ? this.entries.get(meta.id)?.layer : undefined;
  }

  private listen(): void {
    const c = this.canvas;
    const selectionChanged = () => {
      if (!this.applyingSelection) this.callbacks.select(this.selectedIds());
    };
    c.on('selection:created', selectionChanged);
    c.on('selection:updated', selectionChanged);
    c.on('selection:cleared', selectionChanged);

    c.on('object:moving', ({ target }) => this.snap(target));
    c.on('object:modified', ({ target }) => {
      this.guides = { vertical: [], horizontal: [] };
      const objects = target instanceof ActiveSelection ? target.getObjects() : [target];
      const changed = objects.flatMap((obj) => {
        const layer = this.layerOf(obj);
        return layer ? [readObject(obj, layer)] : [];
      });
      if (changed.length) this.callbacks.commit(changed);
    });
    c.on('text:changed', ({ target }) => {
      const meta = objectInfo(target);
      if (meta) this.callbacks.textInput(meta.id, (target as PaddedTextbox).text);
    });
    c.on('text:editing:exited', ({ target }) => {
      const meta = objectInfo(target);
      if (meta) this.callbacks.textDone(meta.id);
    });

    c.on('mouse:down', (info) => this.pointerDown(info));
    c.on('mouse:move', (info) => this.pointerMove(info));
    c.on('mouse:up', (info) => this.pointerUp(info));
    c.on('mouse:wheel', ({ e }) => {
      const wheel = e as WheelEvent;
      wheel.preventDefault();
      if (wheel.ctrlKey || wheel.metaKey) {
        const rect = c.upperCanvasEl.getBoundingClientRect();
        this.zoomBy(Math.pow(0.998, wheel.deltaY), { x: wheel.clientX - rect.left, y: wheel.clientY - rect.top });
      } else this.panBy(-wheel.deltaX, -wheel.deltaY);
    });
  }

  /** Pulls a dragged object onto the canvas's edges and centre lines when close. */
  private snap(target: FabricObject): void {
    const design = this.input?.design;
    if (!design) return;
    // fabric leaves the corner coordinates as they were at the start of the drag.
    target.setCoords();
    const box = bboxOf(target);
    const s = snapToCanvas(box, design, SNAP_PX / this.zoom);
    if (s.dx || s.dy) {
      target.set({ left: target.left + s.dx, top: target.top + s.dy });
      target.setCoords();
    }
    this.guides = { vertical: s.vertical, horizontal: s.horizontal };
  }

  private scenePoint(e: TPointerEvent): { x: number; y: number } {
    const p = this.canvas.getScenePoint(e);
    return { x: p.x, y: p.y };
  }

  private cropGripAt(point: { x: number; y: number }): CropGrip | null {
    const crop = this.input?.crop;
    if (crop?.mode !== 'framing') return null;
    const tolerance = HANDLE_PX / this.zoom;
    for (const h of handles) {
      const p = handlePoint(crop.box, h);
      if (Math.abs(p.x - point.x) <= tolerance && Math.abs(p.y - point.y) <= tolerance) return h;
    }
    const b = crop.box;
    return point.x >= b.x && point.x <= b.x + b.width && point.y >= b.y && point.y <= b.y + b.height ? 'inside' : null;
  }

  private pointerDown({ e }: TPointerEventInfo): void {
    const input = this.input;
    if (!input) return;
    const mouse = e as MouseEvent;
    if (input.tool === 'hand' || this.spaceHeld || mouse.button === 1) {
      this.pan = { x: mouse.clientX, y: mouse.clientY };
      this.canvas.setCursor('grabbing');
      return;
    }
    const point = this.scenePoint(e);
    if (input.crop.mode === 'framing') {
      const grip = this.cropGripAt(point);
      if (grip) this.callbacks.crop({ type: 'grab', grip, point });
      return;
    }
    if (drawTools.includes(input.tool)) this.drawState = stepDraw(this.drawState, { type: 'down', point }, 4 / this.zoom).state;
  }

  private pointerMove({ e }: TPointerEventInfo): void {
    const input = this.input;
    if (!input) return;
    const mouse = e as MouseEvent;
    if (this.pan) {
      this.panBy(mouse.clientX - this.pan.x, mouse.clientY - this.pan.y);
      this.pan = { x: mouse.clientX, y: mouse.clientY };
      return;
    }
    const point = this.scenePoint(e);
    if (input.crop.mode === 'framing') {
      if (input.crop.grab) this.callbacks.crop({ type: 'drag', point });
      else {
        const grip = this.cropGripAt(point);
        this.canvas.setCursor(grip ? cursorFor[grip] : 'default');
      }
      return;
    }
    if (this.drawState.mode !== 'idle') {
      this.drawState = stepDraw(this.drawState, { type: 'move', point }, 4 / this.zoom).state;
      this.canvas.requestRenderAll();
    }
  }

  private pointerUp({ e }: TPointerEventInfo): void {
    const input = this.input;
    if (this.pan) {
      this.pan = null;
      this.canvas.setCursor(input?.tool === 'hand' || this.spaceHeld ? 'grab' : 'default');
      return;
    }
    if (!input) return;
    if (this.guides.vertical.length || this.guides.horizontal.length) {
      this.guides = { vertical: [], horizontal: [] };
      this.canvas.requestRenderAll();
    }
    if (input.crop.mode === 'framing') {
      if (input.crop.grab) this.callbacks.crop({ type: 'release' });
      return;
    }
    if (this.drawState.mode === 'idle') return;
    const step = stepDraw(this.drawState, { type: 'up', point: this.scenePoint(e) }, 4 / this.zoom);
    this.drawState = step.state;
    if (step.outcome) this.callbacks.draw(input.tool, step.outcome);
    this.canvas.requestRenderAll();
  }

  /** Cancels a drag in progress (Escape). */
  cancelGesture(): void {
    this.drawState = stepDraw(this.drawState, { type: 'cancel' }, 0).state;
    this.canvas.requestRenderAll();
  }

  /** Starts editing a text layer in place, all of it selected. */
  editText(id: string): void {
    const entry = this.entries.get(id);
    if (!entry || entry.layer.type !== 'text') return;
    const text = entry.obj as PaddedTextbox;
    this.canvas.setActiveObject(text);
    text.enterEditing();
    text.selectAll();
    this.canvas.requestRenderAll();
  }

  stopEditing(): void {
    const active = this.canvas.getActiveObject() as PaddedTextbox | undefined;
    if (active?.isEditing) active.exitEditing();
  }

  isEditingText(): boolean {
    return Boolean((this.canvas.getActiveObject() as PaddedTextbox | undefined)?.isEditing);
  }

  /** Axis-aligned bounds of layers, in design pixels, as drawn (text measured by fabric). */
  boundsOf(ids: readonly string[]): Map<string, BoxRect> {
    const out = new Map<string, BoxRect>();
    for (const id of ids) {
      const entry = this.entries.get(id);
      if (entry) out.set(id, bboxOf(entry.obj));
    }
    return out;
  }

  private decorate(ctx: CanvasRenderingContext2D): void {
    const input = this.input;
    if (!input) return;
    const { design } = input;
    const v = this.canvas.viewportTransform;
    const z = this.zoom;
    const cropping = input.crop.mode === 'framing';
    const frame = cropping && input.crop.mode === 'framing' ? input.crop.box : { x: 0, y: 0, width: design.width, height: design.height };
    ctx.save();
    ctx.transform(v[0], v[1], v[2], v[3], v[4], v[5]);
    // Dim everything outside the frame: what will not be in the image.
    const far = 1e6;
    ctx.beginPath();
    ctx.rect(-far, -far, far * 2, far * 2);
    ctx.rect(frame.x, frame.y, frame.width, frame.height);
    ctx.fillStyle = cropping ? 'rgba(0, 0, 0, 0.55)' : this.colors.mask;
    ctx.fill('evenodd');

    if (cropping) {
      ctx.lineWidth = 1 / z;
      ctx.strokeStyle = 'rgba(255, 255, 255, 0.6)';
      ctx.beginPath();
      for (const t of [1 / 3, 2 / 3]) {
        ctx.moveTo(frame.x + frame.width * t, frame.y);
        ctx.lineTo(frame.x + frame.width * t, frame.y + frame.height);
        ctx.moveTo(frame.x, frame.y + frame.height * t);
        ctx.lineTo(frame.x + frame.width, frame.y + frame.height * t);
      }
      ctx.stroke();
      ctx.lineWidth = 2 / z;
      ctx.strokeStyle = '#ffffff';
      ctx.strokeRect(frame.x, frame.y, frame.width, frame.height);
      const size = HANDLE_PX / z;
      for (const h of handles) {
        const p = handlePoint(frame, h);
        ctx.fillStyle = '#ffffff';
        ctx.fillRect(p.x - size / 2, p.y - size / 2, size, size);
        ctx.strokeStyle = this.colors.accent;
        ctx.lineWidth = 1 / z;
        ctx.strokeRect(p.x - size / 2, p.y - size / 2, size, size);
      }
    }

    ctx.strokeStyle = this.colors.guide;
    ctx.lineWidth = 1 / z;
    ctx.setLineDash([4 / z, 4 / z]);
    ctx.beginPath();
    for (const x of this.guides.vertical) {
      ctx.moveTo(x, 0);
      ctx.lineTo(x, design.height);
    }
    for (const y of this.guides.horizontal) {
      ctx.moveTo(0, y);
      ctx.lineTo(design.width, y);
    }
    ctx.stroke();

    if (this.drawState.mode === 'dragging') {
      const { origin, current } = this.drawState;
      ctx.strokeStyle = this.colors.accent;
      ctx.beginPath();
      if (input.tool === 'line' || input.tool === 'arrow') {
        ctx.moveTo(origin.x, origin.y);
        ctx.lineTo(current.x, current.y);
      } else if (input.tool === 'ellipse') {
        ctx.ellipse((origin.x + current.x) / 2, (origin.y + current.y) / 2, Math.abs(current.x - origin.x) / 2, Math.abs(current.y - origin.y) / 2, 0, 0, Math.PI * 2);
      } else ctx.rect(Math.min(origin.x, current.x), Math.min(origin.y, current.y), Math.abs(current.x - origin.x), Math.abs(current.y - origin.y));
      ctx.stroke();
    }
    ctx.restore();
  }
}
