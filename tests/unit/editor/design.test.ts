import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blankDesign, DESIGN_VERSION, designSchema, mediaUsedBy, photoDesign, type Design } from '../../../main/core/editor/design';
import { designMigrations, readDesign } from '../../../main/core/editor/design-migrations';

const v1 = JSON.parse(readFileSync(join(__dirname, 'fixtures/design-v1.json'), 'utf8')) as unknown;

describe('design files', () => {
  it('every version below the current one has an up-migration', () => {
    for (let v = 1; v < DESIGN_VERSION; v++) expect(designMigrations[v], `migration from v${v}`).toBeTypeOf('function');
  });

  it('opens a version 1 design, as an older Outpost saved it, after the upgrade', () => {
    const read = readDesign(v1);
    if (!read.ok) throw new Error(read.message);
    expect(read.migratedFrom).toBe(1);
    const d = read.design;
    expect(d.version).toBe(DESIGN_VERSION);
    expect([d.width, d.height, d.background]).toEqual([1080, 1350, '#ffffff']);
    expect(d.photo).toMatchObject({
      mediaId: '7d1c2f3e-0b4a-4c5d-8e6f-9a0b1c2d3e4f',
      width: 6000,
      height: 4000,
      rotation: 0,
      flipX: true,
      flipY: false,
      crop: { x: 1400, y: 0, width: 3200, height: 4000 },
      filters: { brightness: 15, contrast: -10, saturation: 0, blur: 0, greyscale: 0, sepia: 100 },
    });
    expect(d.layers.map((l) => [l.type, l.id])).toEqual([
      ['text', 'headline'],
      ['text', 'hebrew'],
      ['rect', 'band'],
      ['image', 'logo'],
    ]);
    const [headline, hebrew, band, logo] = d.layers;
    // Top-left corners become centres.
    expect(headline).toMatchObject({ x: 540, fontWeight: 700, color: '#ffffff', align: 'start', shadow: { blur: 8 } });
    expect(headline?.y).toBeCloseTo(100 + (96 * 1.16) / 2);
    // v1 stored the side the text sat on; a right-aligned Hebrew line is aligned to its start.
    expect(hebrew).toMatchObject({ align: 'start', angle: -5, opacity: 0.9, fontWeight: 400, outline: { color: '#000000', width: 3 } });
    expect(band).toMatchObject({ x: 540, y: 1200, width: 1080, height: 300, cornerRadius: 0, fill: '#000000', stroke: null });
    expect(logo).toMatchObject({ x: 960, y: 80, locked: true, hidden: false, placeholder: false });
    expect(mediaUsedBy(d)).toEqual(['7d1c2f3e-0b4a-4c5d-8e6f-9a0b1c2d3e4f', '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0']);
  });

  it('reads the saved JSON text as stored in the media row', () => {
    const read = readDesign(JSON.stringify(v1));
    expect(read.ok).toBe(true);
  });

  it('passes a current design through unchanged', () => {
    const design: Design = photoDesign({ mediaId: 'm1', width: 4000, height: 3000 });
    const read = readDesign(JSON.parse(JSON.stringify(design)));
    expect(read).toEqual({ ok: true, design, migratedFrom: null });
  });

  it('refuses a design from a newer Outpost, saying so, instead of guessing', () => {
    const read = readDesign({ ...blankDesign(100, 100), version: DESIGN_VERSION + 1 });
    expect(read).toMatchObject({ ok: false, reason: 'design_too_new' });
  });

  it.each([
    ['not JSON', '{"version": 1,'],
    ['no version', { width: 10 }],
    ['a damaged v1 object', { ...(v1 as object), objects: [{ kind: 'hologram', id: 'x', left: 0, top: 0 }] }],
    ['a bad colour', { ...blankDesign(10, 10), background: 'red' }],
    ['two layers with one id', { ...blankDesign(10, 10), layers: [{ id: 'a' }, { id: 'a' }] }],
  ])('refuses %s as damaged, never throwing', (_name, saved) => {
    expect(readDesign(saved)).toMatchObject({ ok: false, reason: 'design_invalid' });
  });

  it('refuses layers sharing an id', () => {
    const layer = { id: 'a', name: '', locked: false, hidden: false, x: 1, y: 1, angle: 0, scaleX: 1, scaleY: 1, opacity: 1, type: 'sticker', emoji: '🎉', size: 10 };
    expect(designSchema.safeParse({ ...blankDesign(10, 10), layers: [layer, layer] }).success).toBe(false);
    expect(designSchema.safeParse({ ...blankDesign(10, 10), layers: [layer] }).success).toBe(true);
  });
});
