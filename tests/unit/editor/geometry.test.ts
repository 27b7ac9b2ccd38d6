import { describe, expect, it } from 'vitest';
import { blankDesign, orientedSize, photoDesign, type Design, type Photo } from '../../../main/core/editor/design';
import {
  applyMatrix,
  cropBounds,
  cropDesign,
  cssFilter,
  flipDesign,
  largestBox,
  photoMatrix,
  resizeBox,
  resizeDesign,
  rotateDesign,
} from '../../../main/core/editor/geometry';
import { cropRatioValue, networksForRatio, sizePresets } from '../../../main/core/editor/presets';

const photo = (): Design => photoDesign({ mediaId: 'm', width: 6000, height: 4000 });
const withText = (d: Design): Design => ({
  ...d,
  layers: [
    { id: 't', name: '', locked: false, hidden: false, x: 3000, y: 500, angle: 0, scaleX: 1, scaleY: 1, opacity: 1, type: 'sticker', emoji: '🎉', size: 200 },
  ],
});

describe('presets', () => {
  it('offers the sizes the issue names, each its ratio (within 0.5%, as the networks publish them)', () => {
    const byId = Object.fromEntries(sizePresets.map((p) => [p.id, p]));
    expect(byId['instagram-square']).toMatchObject({ width: 1080, height: 1080 });
    expect(byId['instagram-portrait']).toMatchObject({ width: 1080, height: 1350 });
    expect(byId.story).toMatchObject({ width: 1080, height: 1920 });
    expect(byId.pinterest).toMatchObject({ width: 1000, height: 1500 });
    for (const p of sizePresets) {
      expect(Math.abs(p.width / p.height / (p.ratio.width / p.ratio.height) - 1), p.id).toBeLessThanOrEqual(0.005);
    }
    expect(sizePresets.map((p) => p.id)).toEqual(expect.arrayContaining(['x', 'linkedin', 'facebook', 'telegram', 'vk', 'bluesky', 'instagram-landscape']));
  });

  it('gives crop ratios as width over height, and the networks using them', () => {
    expect(cropRatioValue('4:5', { width: 1, height: 1 })).toBe(0.8);
    expect(cropRatioValue('free', { width: 1, height: 1 })).toBeNull();
    expect(cropRatioValue('original', { width: 6000, height: 4000 })).toBe(1.5);
    expect(networksForRatio('1.91:1')).toEqual(expect.arrayContaining(['instagram', 'linkedin', 'facebook']));
  });
});

describe('crop box', () => {
  const bounds = { x: 0, y: 0, width: 6000, height: 4000 };

  it('starts as the largest box of the ratio, centred', () => {
    expect(largestBox(4 / 5, bounds)).toEqual({ x: 1400, y: 0, width: 3200, height: 4000 });
    expect(largestBox(16 / 9, bounds)).toEqual({ x: 0, y: 312.5, width: 6000, height: 3375 });
  });

  it('keeps the ratio and the opposite corner while a corner is dragged, and stays on the photo', () => {
    const start = { x: 1400, y: 0, width: 3200, height: 4000 };
    const box = resizeBox(start, 'br', { x: 3000, y: 3000 }, 0.8, bounds);
    expect(box.x).toBe(1400);
    expect(box.y).toBe(0);
    expect(box.width / box.height).toBeCloseTo(0.8);
    // Dragged far outside: the box grows only as far as the photo allows.
    const big = resizeBox(start, 'tl', { x: -5000, y: -5000 }, 0.8, bounds);
    expect(big.x).toBeGreaterThanOrEqual(0);
    expect(big.y).toBeGreaterThanOrEqual(0);
    expect(big.x + big.width).toBeCloseTo(4600);
    expect(big.width / big.height).toBeCloseTo(0.8);
  });

  it('resizes freely without a ratio, never below the minimum size', () => {
    const box = resizeBox({ x: 100, y: 100, width: 500, height: 500 }, 'r', { x: 50, y: 900 }, null, bounds, 8);
    expect(box).toEqual({ x: 100, y: 100, width: 8, height: 500 });
  });
});

describe('design geometry', () => {
  it('crops to 4:5: the canvas becomes the box, the photo crop follows, layers stay on the photo', () => {
    const d = withText(photo());
    const box = largestBox(0.8, cropBounds(d));
    const cropped = cropDesign(d, box);
    expect([cropped.width, cropped.height]).toEqual([3200, 4000]);
    expect(cropped.photo?.crop).toEqual({ x: 1400, y: 0, width: 3200, height: 4000 });
    expect(cropped.layers[0]).toMatchObject({ x: 1600, y: 500 });
    // Cropping again works in the new canvas's pixels, including back outward over the photo.
    const wider = cropDesign(cropped, { x: -1400, y: 0, width: 6000, height: 4000 });
    expect(wider.photo?.crop).toEqual({ x: 0, y: 0, width: 6000, height: 4000 });
    expect(wider.layers[0]).toMatchObject({ x: 3000, y: 500 });
  });

  it('turns a quarter at a time: four turns, or one each way, give the design back', () => {
    const d = cropDesign(withText(photo()), { x: 100, y: 200, width: 3000, height: 2000 });
    const cw = rotateDesign(d, 'cw');
    expect([cw.width, cw.height]).toEqual([2000, 3000]);
    expect(cw.photo?.rotation).toBe(90);
    expect(rotateDesign(cw, 'ccw')).toEqual(d);
    expect(rotateDesign(rotateDesign(rotateDesign(cw, 'cw'), 'cw'), 'cw')).toEqual(d);
  });

  it('mirrors the photo and keeps the same part of it in view', () => {
    const d = cropDesign(photo(), { x: 0, y: 0, width: 1000, height: 1000 });
    const flipped = flipDesign(d, 'horizontal');
    expect(flipped.photo).toMatchObject({ flipX: true, crop: { x: 5000, y: 0, width: 1000, height: 1000 } });
    expect(flipDesign(flipped, 'horizontal')).toEqual(d);
    expect(flipDesign(blankDesign(10, 10), 'vertical')).toEqual(blankDesign(10, 10));
  });

  it('resizes with the same shape by scaling everything', () => {
    const d = cropDesign(withText(photo()), { x: 1400, y: 0, width: 3200, height: 4000 });
    const small = resizeDesign(d, 1080, 1350);
    expect([small.width, small.height]).toEqual([1080, 1350]);
    expect(small.photo?.crop).toEqual(d.photo?.crop);
    expect(small.layers[0]).toMatchObject({ x: 1600 * 0.3375, y: 500 * 0.3375, scaleX: 0.3375 });
  });

  it('resizes a photo to another shape by cropping it around the centre first', () => {
    const square = resizeDesign(photo(), 1080, 1080);
    expect(square.photo?.crop).toEqual({ x: 1000, y: 0, width: 4000, height: 4000 });
    expect([square.width, square.height]).toEqual([1080, 1080]);
  });
});

describe('photo matrix', () => {
  // Each corner of the crop, found in the source by undoing the turn and mirror, lands on the matching output corner.
  const cases: Photo[] = [];
  for (const rotation of [0, 90, 180, 270] as const) {
    for (const flipX of [false, true]) {
      for (const flipY of [false, true]) {
        cases.push({ mediaId: 'm', width: 600, height: 400, rotation, flipX, flipY, crop: { x: 50, y: 30, width: 200, height: 100 }, filters: photoDesign({ mediaId: 'm', width: 1, height: 1 }).photo!.filters });
      }
    }
  }

  /** Oriented → source, the long way round, to check the matrix against. */
  function toSource(p: Photo, x: number, y: number): { x: number; y: number } {
    const o = orientedSize(p);
    let ox = p.flipX ? o.width - x : x;
    let oy = p.flipY ? o.height - y : y;
    for (let r = p.rotation; r > 0; r -= 90) {
      // Undo one clockwise quarter turn in a frame of (w, h) = current oriented size.
      const w = r % 180 === 0 ? p.width : p.height;
      [ox, oy] = [oy, w - ox];
    }
    return { x: ox, y: oy };
  }

  it.each(cases.map((c) => [`${c.rotation}° ${c.flipX ? 'flipX' : ''} ${c.flipY ? 'flipY' : ''}`, c] as const))('maps the crop onto the output (%s)', (_n, p) => {
    const out = { width: 400, height: 200 };
    const m = photoMatrix(p, out);
    const corners = [
      [p.crop.x, p.crop.y, 0, 0],
      [p.crop.x + p.crop.width, p.crop.y, 400, 0],
      [p.crop.x, p.crop.y + p.crop.height, 0, 200],
    ] as const;
    for (const [x, y, ex, ey] of corners) {
      const mapped = applyMatrix(m, toSource(p, x, y));
      expect(mapped.x).toBeCloseTo(ex);
      expect(mapped.y).toBeCloseTo(ey);
    }
    // From a half-size working copy, the same source point lands on the same output pixel.
    const half = photoMatrix(p, out, 0.5);
    const s = toSource(p, p.crop.x, p.crop.y);
    const mapped = applyMatrix(half, { x: s.x * 0.5, y: s.y * 0.5 });
    expect(mapped.x).toBeCloseTo(0);
    expect(mapped.y).toBeCloseTo(0);
  });

  it('writes filters as a CSS filter, blur relative to the output size', () => {
    const f = { brightness: 20, contrast: -10, saturation: 0, blur: 50, greyscale: 100, sepia: 0 };
    expect(cssFilter(f, 1000)).toBe('brightness(1.2) contrast(0.9) grayscale(1) blur(10.00px)');
    expect(cssFilter(f, 500)).toContain('blur(5.00px)');
    expect(cssFilter({ brightness: 0, contrast: 0, saturation: 0, blur: 0, greyscale: 0, sepia: 0 }, 10)).toBe('none');
  });
});
