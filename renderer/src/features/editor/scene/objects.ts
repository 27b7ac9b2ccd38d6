import { Ellipse, FabricImage, FabricText, Path, Rect, Shadow, Textbox, util, type FabricObject } from 'fabric';
import type { ImageLayer, Layer, LineLayer, TextLayer } from '../../../../../main/core/editor/design';
import { EMOJI_FONT_STACK, TEXT_FONT_STACK, physicalAlign, textDirection } from '../../../../../main/core/editor/text';
import { keepTrailingEmojiWithWord } from '../model/wrap';
import { stickerImage } from '../stickers';

/**
 * Layers to fabric objects and back. Each object remembers its layer id and the factor between
 * the layer's scale and fabric's (an image drawn from a smaller decoded copy is scaled up by it).
 */

export interface ObjectInfo {
  id: string;
  type: Layer['type'];
  /** fabric scale = layer scale × unit. */
  unitX: number;
  unitY: number;
}

const info = new WeakMap<FabricObject, ObjectInfo>();

export function objectInfo(obj: FabricObject): ObjectInfo | undefined {
  return info.get(obj);
}

/**
 * A text box whose background is a box with padding and rounded corners around the text, not its
 * bare bounds, and whose lines never end by sending an emoji alone to the next line.
 */
export class PaddedTextbox extends Textbox {
  boxPadding = 0;

  override wordSplit(value: string): string[] {
    return keepTrailingEmojiWithWord(super.wordSplit(value));
  }

  override _renderBackground(ctx: CanvasRenderingContext2D): void {
    if (!this.backgroundColor) return;
    const p = this.boxPadding;
    const w = this.width + p * 2;
    const h = this.height + p * 2;
    ctx.fillStyle = this.backgroundColor;
    ctx.beginPath();
    ctx.roundRect(-w / 2, -h / 2, w, h, Math.min(p * 0.6, h / 2));
    ctx.fill();
    this._removeShadow(ctx);
  }
}

/** Element drawn in place of an overlay image until its pixels arrive. */
function placeholderElement(): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = 1;
  c.height = 1;
  return c;
}

export type ImageSource = { element: CanvasImageSource & { width: number; height: number } } | null;

/** Selection handles in the app's accent, drawn the same for every kind of layer. */
export const controlStyle = {
  borderColor: '#2563eb',
  cornerColor: '#ffffff',
  cornerStrokeColor: '#2563eb',
  cornerStyle: 'circle' as const,
  cornerSize: 11,
  transparentCorners: false,
  borderScaleFactor: 1.5,
  padding: 2,
};

const common = (layer: Layer) => ({
  ...controlStyle,
  left: layer.x,
  top: layer.y,
  angle: layer.angle,
  opacity: layer.opacity,
  visible: !layer.hidden,
  selectable: !layer.locked,
  evented: !layer.locked && !layer.hidden,
  lockScalingFlip: true,
  // Text is re-laid-out on every change, and big caches of many objects cost more than they save here.
  objectCaching: false,
});

function arrowPath(length: number, strokeWidth: number, arrow: boolean): string {
  const half = length / 2;
  if (!arrow) return `M ${-half} 0 L ${half} 0`;
  const head = Math.min(length * 0.45, Math.max(strokeWidth * 3.5, 12));
  return `M ${-half} 0 L ${half} 0 M ${half - head} ${-head * 0.6} L ${half} 0 L ${half - head} ${head * 0.6}`;
}

function shadowOf(layer: TextLayer): Shadow | null {
  return layer.shadow ? new Shadow({ color: layer.shadow.color, blur: layer.shadow.blur, offsetX: layer.shadow.offsetX, offsetY: layer.shadow.offsetY }) : null;
}

function textProps(layer: TextLayer) {
  const direction = textDirection(layer.text);
  return {
    text: layer.text,
    width: layer.width,
    fontSize: layer.fontSize,
    fontWeight: layer.fontWeight,
    fontFamily: TEXT_FONT_STACK,
    fill: layer.color,
    direction,
    textAlign: physicalAlign(layer.align, direction),
    lineHeight: layer.lineHeight,
    stroke: layer.outline && layer.outline.width > 0 ? layer.outline.color : null,
    strokeWidth: layer.outline?.width ?? 0,
    paintFirst: 'stroke' as const,
    strokeLineJoin: 'round' as const,
    backgroundColor: layer.background?.color ?? '',
    splitByGrapheme: false,
  };
}

/** A new fabric object showing `layer`. */
export function createObject(layer: Layer, image: ImageSource): FabricObject {
  let obj: FabricObject;
  let unitX = 1;
  let unitY = 1;
  switch (layer.type) {
    case 'text': {
      const t = new PaddedTextbox(layer.text, { ...common(layer), ...textProps(layer), scaleX: layer.scaleX, scaleY: layer.scaleY, shadow: shadowOf(layer) });
      t.boxPadding = layer.background?.padding ?? 0;
      obj = t;
      break;
    }
    case 'rect':
      obj = new Rect({
        ...common(layer),
        width: layer.width,
        height: layer.height,
        rx: layer.cornerRadius,
        ry: layer.cornerRadius,
        fill: layer.fill ?? '',
        stroke: layer.stroke,
        strokeWidth: layer.stroke ? layer.strokeWidth : 0,
        strokeUniform: true,
        scaleX: layer.scaleX,
        scaleY: layer.scaleY,
      });
      break;
    case 'ellipse':
      obj = new Ellipse({
        ...common(layer),
        rx: layer.width / 2,
        ry: layer.height / 2,
        fill: layer.fill ?? '',
        stroke: layer.stroke,
        strokeWidth: layer.stroke ? layer.strokeWidth : 0,
        strokeUniform: true,
        scaleX: layer.scaleX,
        scaleY: layer.scaleY,
      });
      break;
    case 'line':
    case 'arrow':
      obj = lineObject(layer);
      break;
    case 'sticker': {
      const picture = stickerImage(layer.emoji);
      if (picture) {
        unitX = layer.size / picture.width;
        unitY = layer.size / picture.height;
        obj = new FabricImage(picture, { ...common(layer), scaleX: layer.scaleX * unitX, scaleY: layer.scaleY * unitY });
      } else {
        obj = new FabricText(layer.emoji, { ...common(layer), fontFamily: EMOJI_FONT_STACK, fontSize: layer.size, scaleX: layer.scaleX, scaleY: layer.scaleY });
      }
      break;
    }
    case 'image': {
      const element = image?.element ?? placeholderElement();
      unitX = layer.width / element.width;
      unitY = layer.height / element.height;
      obj = new FabricImage(element as HTMLCanvasElement, { ...common(layer), scaleX: layer.scaleX * unitX, scaleY: layer.scaleY * unitY });
      break;
    }
  }
  if (layer.type === 'line' || layer.type === 'arrow') obj.setControlsVisibility({ mt: false, mb: false, tl: false, tr: false, bl: false, br: false });
  info.set(obj, { id: layer.id, type: layer.type, unitX, unitY });
  obj.setCoords();
  return obj;
}

function lineObject(layer: LineLayer): FabricObject {
  const path = new Path(arrowPath(layer.length, layer.strokeWidth, layer.type === 'arrow'), {
    ...common(layer),
    fill: '',
    stroke: layer.stroke,
    strokeWidth: layer.strokeWidth,
    strokeLineCap: 'round',
    strokeLineJoin: 'round',
    strokeUniform: true,
    scaleX: layer.scaleX,
    scaleY: layer.scaleY,
    lockScalingY: true,
  });
  return path;
}

/** Whether `obj` can show `layer` by changing properties, or must be replaced. */
export function canUpdate(obj: FabricObject, previous: Layer, layer: Layer, image: ImageSource): boolean {
  if (previous.type !== layer.type) return false;
  // A path's geometry is fixed at creation.
  if ((layer.type === 'line' || layer.type === 'arrow') && previous.type === layer.type) {
    return previous.length === layer.length && previous.strokeWidth === layer.strokeWidth;
  }
  if (layer.type === 'sticker' && previous.type === 'sticker') {
    // A sticker is a picture or, without one, text: a different emoji may need the other kind.
    return previous.emoji === layer.emoji && (obj instanceof FabricImage) === Boolean(stickerImage(layer.emoji));
  }
  if (layer.type === 'image' && previous.type === 'image') {
    return previous.mediaId === layer.mediaId && (obj as FabricImage).getElement() === (image?.element ?? (obj as FabricImage).getElement());
  }
  return true;
}

/** Sets only what differs, so an object being edited in place keeps its caret. */
export function updateObject(obj: FabricObject, layer: Layer): void {
  const meta = info.get(obj) as ObjectInfo;
  const props: Record<string, unknown> = {
    ...common(layer),
    scaleX: layer.scaleX * meta.unitX,
    scaleY: layer.scaleY * meta.unitY,
  };
  switch (layer.type) {
    case 'text':
      Object.assign(props, textProps(layer));
      (obj as PaddedTextbox).boxPadding = layer.background?.padding ?? 0;
      obj.shadow = shadowOf(layer);
      break;
    case 'rect':
      Object.assign(props, {
        width: layer.width,
        height: layer.height,
        rx: layer.cornerRadius,
        ry: layer.cornerRadius,
        fill: layer.fill ?? '',
        stroke: layer.stroke,
        strokeWidth: layer.stroke ? layer.strokeWidth : 0,
      });
      break;
    case 'ellipse':
      Object.assign(props, { rx: layer.width / 2, ry: layer.height / 2, fill: layer.fill ?? '', stroke: layer.stroke, strokeWidth: layer.stroke ? layer.strokeWidth : 0 });
      break;
    case 'line':
    case 'arrow':
      props.stroke = layer.stroke;
      break;
    case 'sticker':
      if (!(obj instanceof FabricImage)) Object.assign(props, { text: layer.emoji, fontSize: layer.size });
      else {
        // The picture's scale carries the size: size / natural width.
        const picture = (obj as FabricImage).getElement() as HTMLImageElement;
        meta.unitX = layer.size / picture.width;
        meta.unitY = layer.size / picture.height;
        props.scaleX = layer.scaleX * meta.unitX;
        props.scaleY = layer.scaleY * meta.unitY;
      }
      break;
    case 'image':
      break;
  }
  const changed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) {
    if ((obj as unknown as Record<string, unknown>)[key] !== value) changed[key] = value;
  }
  if (Object.keys(changed).length > 0) obj.set(changed);
  obj.setCoords();
}

/**
 * The layer as the user left the object after moving, scaling, turning or resizing it. Scales
 * are folded into sizes (font size, box size, line length) so the panel's numbers stay true;
 * only images keep a scale.
 */
export function readObject(obj: FabricObject, layer: Layer): Layer {
  const meta = info.get(obj) as ObjectInfo;
  const d = util.qrDecompose(obj.calcTransformMatrix());
  const sx = d.scaleX / meta.unitX;
  const sy = d.scaleY / meta.unitY;
  const round = (v: number) => Math.round(v * 100) / 100;
  const placed = { ...layer, x: round(d.translateX), y: round(d.translateY), angle: round(((d.angle % 360) + 360) % 360) };
  switch (layer.type) {
    case 'text': {
      const s = Math.sqrt(sx * sy);
      const width = (obj as Textbox).width;
      return {
        ...(placed as TextLayer),
        width: round(width * sx),
        fontSize: round(Math.max(1, layer.fontSize * s)),
        outline: layer.outline ? { ...layer.outline, width: round(layer.outline.width * s) } : null,
        scaleX: 1,
        scaleY: 1,
      };
    }
    case 'rect':
    case 'ellipse':
      return { ...placed, width: round(layer.width * sx), height: round(layer.height * sy), scaleX: 1, scaleY: 1 } as Layer;
    case 'line':
    case 'arrow':
      return { ...(placed as LineLayer), length: round(layer.length * sx), scaleX: 1, scaleY: 1 };
    case 'sticker':
      return { ...placed, size: round(layer.size * Math.sqrt(sx * sy)), scaleX: 1, scaleY: 1 } as Layer;
    case 'image':
      return { ...(placed as ImageLayer), scaleX: sx, scaleY: sy };
  }
}

/** Equal but for float noise: fabric reports a layer it merely re-laid-out (leaving text editing) as modified. */
export function sameLayer(a: Layer, b: Layer): boolean {
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
    const x = ra[key];
    const y = rb[key];
    if (typeof x === 'number' && typeof y === 'number') {
      if (Math.abs(x - y) > 0.01) return false;
    } else if (x !== y && JSON.stringify(x) !== JSON.stringify(y)) return false;
  }
  return true;
}
