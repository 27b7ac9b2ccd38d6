import { orientedSize, type Box, type Design, type Layer, type Photo } from './design';

/** Pure crop, rotate, flip and resize arithmetic on designs; every function returns a new design. */

export interface Size {
  width: number;
  height: number;
}

export type Matrix = readonly [number, number, number, number, number, number];

/** The largest box of `ratio` (width/height) inside `bounds`, centred on `centre` as far as the bounds allow. */
export function largestBox(ratio: number, bounds: Box, centre?: { x: number; y: number }): Box {
  let width = bounds.width;
  let height = width / ratio;
  if (height > bounds.height) {
    height = bounds.height;
    width = height * ratio;
  }
  const cx = centre?.x ?? bounds.x + bounds.width / 2;
  const cy = centre?.y ?? bounds.y + bounds.height / 2;
  return clampBox({ x: cx - width / 2, y: cy - height / 2, width, height }, bounds);
}

/** Moves a box (never resizes it unless it is bigger than the bounds) so it lies inside `bounds`. */
export function clampBox(box: Box, bounds: Box): Box {
  const width = Math.min(box.width, bounds.width);
  const height = Math.min(box.height, bounds.height);
  const x = Math.min(Math.max(box.x, bounds.x), bounds.x + bounds.width - width);
  const y = Math.min(Math.max(box.y, bounds.y), bounds.y + bounds.height - height);
  return { x, y, width, height };
}

export type Handle = 'tl' | 't' | 'tr' | 'r' | 'br' | 'b' | 'bl' | 'l';

/**
 * A crop box dragged by one handle to `point`: the opposite corner (or edge) stays put, the box
 * keeps `ratio` when one is set, never leaves `bounds` and never gets smaller than `minSize`.
 */
export function resizeBox(start: Box, handle: Handle, point: { x: number; y: number }, ratio: number | null, bounds: Box, minSize = 1): Box {
  const left = start.x;
  const top = start.y;
  const right = start.x + start.width;
  const bottom = start.y + start.height;
  const movesLeft = handle.includes('l');
  const movesRight = handle.includes('r');
  const movesTop = handle.startsWith('t');
  const movesBottom = handle.startsWith('b');
  // The fixed side, and how far the box may grow from it inside the bounds.
  const ax = movesLeft ? right : movesRight ? left : (left + right) / 2;
  const ay = movesTop ? bottom : movesBottom ? top : (top + bottom) / 2;
  const roomX = movesLeft ? ax - bounds.x : movesRight ? bounds.x + bounds.width - ax : 2 * Math.min(ax - bounds.x, bounds.x + bounds.width - ax);
  const roomY = movesTop ? ay - bounds.y : movesBottom ? bounds.y + bounds.height - ay : 2 * Math.min(ay - bounds.y, bounds.y + bounds.height - ay);
  const px = Math.min(Math.max(point.x, bounds.x), bounds.x + bounds.width);
  const py = Math.min(Math.max(point.y, bounds.y), bounds.y + bounds.height);
  // Dragging a handle past the opposite side shrinks the box to its minimum; it never turns inside out.
  let width = movesLeft ? Math.max(0, ax - px) : movesRight ? Math.max(0, px - ax) : start.width;
  let height = movesTop ? Math.max(0, ay - py) : movesBottom ? Math.max(0, py - ay) : start.height;
  if (ratio !== null) {
    // A corner follows whichever direction the pointer moved further; an edge drives the other side.
    if ((movesLeft || movesRight) && (movesTop || movesBottom)) {
      if (width / ratio > height) height = width / ratio;
      else width = height * ratio;
    } else if (movesLeft || movesRight) height = width / ratio;
    else width = height * ratio;
    const grow = Math.max(1, minSize / Math.max(width, 1e-9), minSize / Math.max(height, 1e-9));
    width *= grow;
    height *= grow;
    // The bounds win over the minimum size: a box never leaves the photo.
    const fit = Math.min(1, roomX / width, roomY / height);
    width *= fit;
    height *= fit;
  } else {
    width = Math.min(Math.max(width, minSize), roomX);
    height = Math.min(Math.max(height, minSize), roomY);
  }
  const x = movesLeft ? ax - width : movesRight ? ax : ax - width / 2;
  const y = movesTop ? ay - height : movesBottom ? ay : ay - height / 2;
  return { x, y, width, height };
}

/** A box with a new ratio: the largest that fits the bounds around the old box's centre. */
export function reshapeBox(box: Box, ratio: number | null, bounds: Box): Box {
  if (ratio === null) return clampBox(box, bounds);
  return largestBox(ratio, bounds, { x: box.x + box.width / 2, y: box.y + box.height / 2 });
}

/** Where the whole turned photo lies in design pixels (it may reach far outside the canvas). */
export function photoBounds(design: Design): Box | null {
  const photo = design.photo;
  if (!photo) return null;
  const scale = design.width / photo.crop.width;
  const oriented = orientedSize(photo);
  return { x: -photo.crop.x * scale, y: -photo.crop.y * scale, width: oriented.width * scale, height: oriented.height * scale };
}

/** Where a crop box may go: over the photo for a photo design, inside the canvas for a blank one. */
export function cropBounds(design: Design): Box {
  return photoBounds(design) ?? { x: 0, y: 0, width: design.width, height: design.height };
}

function moveLayer(layer: Layer, dx: number, dy: number): Layer {
  return { ...layer, x: layer.x + dx, y: layer.y + dy };
}

/**
 * Crops a design to `box` (design pixels, inside cropBounds): the canvas becomes the box, the
 * photo's crop follows, and layers keep their place on the photo.
 */
export function cropDesign(design: Design, box: Box): Design {
  const width = Math.max(1, Math.round(box.width));
  const height = Math.max(1, Math.round(box.height));
  const layers = design.layers.map((l) => moveLayer(l, -box.x, -box.y));
  if (!design.photo) return { ...design, width, height, layers };
  const scale = design.photo.crop.width / design.width;
  const oriented = orientedSize(design.photo);
  const crop = clampBox(
    {
      x: design.photo.crop.x + box.x * scale,
      y: design.photo.crop.y + box.y * scale,
      width: box.width * scale,
      height: box.height * scale,
    },
    { x: 0, y: 0, width: oriented.width, height: oriented.height },
  );
  return { ...design, width, height, layers, photo: { ...design.photo, crop: roundBox(crop) } };
}

function roundBox(box: Box): Box {
  // Source pixels are whole; rounding to a hundredth keeps a JSON file tidy without visible shifts.
  const r = (v: number) => Math.round(v * 100) / 100;
  return { x: r(box.x), y: r(box.y), width: r(box.width), height: r(box.height) };
}

/** A quarter turn of the photo and the canvas; layers keep their place on the photo (and their own angle). */
export function rotateDesign(design: Design, direction: 'cw' | 'ccw'): Design {
  const { width: W, height: H } = design;
  const layers = design.layers.map((l) =>
    direction === 'cw' ? { ...l, x: H - l.y, y: l.x } : { ...l, x: l.y, y: W - l.x },
  );
  let photo: Photo | null = design.photo;
  if (photo) {
    const o = orientedSize(photo);
    const c = photo.crop;
    const crop =
      direction === 'cw'
        ? { x: o.height - c.y - c.height, y: c.x, width: c.height, height: c.width }
        : { x: c.y, y: o.width - c.x - c.width, width: c.height, height: c.width };
    const rotation = ((photo.rotation + (direction === 'cw' ? 90 : 270)) % 360) as Photo['rotation'];
    // Mirroring happens after turning, so a quarter turn swaps which axis a mirror was on.
    photo = { ...photo, rotation, crop, flipX: photo.flipY, flipY: photo.flipX };
  }
  return { ...design, width: H, height: W, layers, photo };
}

/** Mirrors the photo; the same part of it stays in view, and layers (text, logos) stay as they are. */
export function flipDesign(design: Design, axis: 'horizontal' | 'vertical'): Design {
  const photo = design.photo;
  if (!photo) return design;
  const o = orientedSize(photo);
  const c = photo.crop;
  const next =
    axis === 'horizontal'
      ? { ...photo, flipX: !photo.flipX, crop: { ...c, x: o.width - c.x - c.width } }
      : { ...photo, flipY: !photo.flipY, crop: { ...c, y: o.height - c.y - c.height } };
  return { ...design, photo: next };
}

function scaleLayer(layer: Layer, s: number): Layer {
  return { ...layer, x: layer.x * s, y: layer.y * s, scaleX: layer.scaleX * s, scaleY: layer.scaleY * s };
}

/**
 * Resizes the canvas to `width` × `height`. With the same shape everything scales; with another
 * shape the photo is cropped to it around its centre first (as a preset does), and layers scale
 * to the fit and stay centred.
 */
export function resizeDesign(design: Design, width: number, height: number): Design {
  const w = Math.max(1, Math.round(width));
  const h = Math.max(1, Math.round(height));
  let current = design;
  const sameShape = Math.abs(w / h - design.width / design.height) < 0.005;
  if (!sameShape) {
    const box = design.photo
      ? largestBox(w / h, { x: 0, y: 0, width: design.width, height: design.height })
      : { x: 0, y: 0, width: design.width, height: design.height };
    if (design.photo) current = cropDesign(design, box);
  }
  const s = Math.min(w / current.width, h / current.height);
  const dx = (w - current.width * s) / 2;
  const dy = (h - current.height * s) / 2;
  const layers = current.layers.map((l) => moveLayer(scaleLayer(l, s), dx, dy));
  return { ...current, width: w, height: h, layers };
}

/**
 * The transform that draws the upright source image (at `sourceScale` of its full size, for a
 * downscaled working copy) onto an output canvas of `out` pixels showing the photo's crop.
 * Row-major [a, b, c, d, e, f] as CanvasRenderingContext2D.setTransform takes it.
 */
export function photoMatrix(photo: Photo, out: Size, sourceScale = 1): Matrix {
  const W = photo.width;
  const H = photo.height;
  const o = orientedSize(photo);
  // Source → turned: (x, y) ↦ (a x + c y + e, b x + d y + f).
  let m: [number, number, number, number, number, number];
  switch (photo.rotation) {
    case 90:
      m = [0, 1, -1, 0, H, 0];
      break;
    case 180:
      m = [-1, 0, 0, -1, W, H];
      break;
    case 270:
      m = [0, -1, 1, 0, 0, W];
      break;
    default:
      m = [1, 0, 0, 1, 0, 0];
  }
  if (photo.flipX) m = [-m[0], m[1], -m[2], m[3], o.width - m[4], m[5]];
  if (photo.flipY) m = [m[0], -m[1], m[2], -m[3], m[4], o.height - m[5]];
  const sx = out.width / photo.crop.width;
  const sy = out.height / photo.crop.height;
  const k = 1 / sourceScale;
  return [
    m[0] * sx * k,
    m[1] * sy * k,
    m[2] * sx * k,
    m[3] * sy * k,
    (m[4] - photo.crop.x) * sx,
    (m[5] - photo.crop.y) * sy,
  ];
}

export function applyMatrix(m: Matrix, p: { x: number; y: number }): { x: number; y: number } {
  return { x: m[0] * p.x + m[2] * p.y + m[4], y: m[1] * p.x + m[3] * p.y + m[5] };
}

/** A CSS filter string for the photo, as CanvasRenderingContext2D.filter takes it. */
export function cssFilter(filters: Photo['filters'], outputShortSide: number): string {
  const parts: string[] = [];
  if (filters.brightness) parts.push(`brightness(${1 + filters.brightness / 100})`);
  if (filters.contrast) parts.push(`contrast(${1 + filters.contrast / 100})`);
  if (filters.saturation) parts.push(`saturate(${1 + filters.saturation / 100})`);
  if (filters.greyscale) parts.push(`grayscale(${filters.greyscale / 100})`);
  if (filters.sepia) parts.push(`sepia(${filters.sepia / 100})`);
  if (filters.blur) parts.push(`blur(${((filters.blur / 100) * 0.02 * outputShortSide).toFixed(2)}px)`);
  return parts.length ? parts.join(' ') : 'none';
}

/** The export size for a longest side or a width, keeping the design's shape. */
export function sizeForWidth(design: Size, width: number): Size {
  const w = Math.max(1, Math.round(width));
  return { width: w, height: Math.max(1, Math.round((w * design.height) / design.width)) };
}
