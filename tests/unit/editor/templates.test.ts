import { describe, expect, it } from 'vitest';
import { photoDesign, type Design, type ImageLayer, type TextLayer } from '../../../main/core/editor/design';
import { cropDesign } from '../../../main/core/editor/geometry';
import { applyTemplate, placeholdersOf } from '../../../main/core/editor/templates';
import { newImage, newText } from '../../../renderer/src/features/editor/model/layers';

function template(): Design {
  const base = cropDesign(photoDesign({ mediaId: 'old-photo', width: 6000, height: 4000 }), { x: 1400, y: 0, width: 3200, height: 4000 });
  const withFilters = { ...base, photo: { ...base.photo!, filters: { ...base.photo!.filters, contrast: 20 } } };
  const title: TextLayer = { ...newText(withFilters, 'title', 'Your headline'), placeholder: true, name: 'Headline' };
  const fixed: TextLayer = newText(withFilters, 'brand', '@acme');
  const logo: ImageLayer = { ...newImage(withFilters, 'logo', { mediaId: 'logo-1', width: 400, height: 200 }), placeholder: true };
  return { ...withFilters, layers: [title, fixed, logo] };
}

describe('templates', () => {
  it('lists the replaceable text and images', () => {
    const p = placeholdersOf(template());
    expect(p.photo).toBe(true);
    expect(p.texts).toEqual([{ id: 'title', name: 'Headline', text: 'Your headline' }]);
    expect(p.images).toEqual([{ id: 'logo', name: '', mediaId: 'logo-1' }]);
  });

  it('applies to a new photo in one step: cropped to the template’s shape, text and logo swapped, the rest kept', () => {
    const t = template();
    const before = JSON.stringify(t);
    const design = applyTemplate(t, {
      photo: { mediaId: 'new-photo', width: 4000, height: 6000 },
      texts: { title: 'Grand opening', brand: 'ignored: not a placeholder' },
      images: { logo: { mediaId: 'logo-2', width: 300, height: 300 } },
    });
    expect([design.width, design.height]).toEqual([3200, 4000]);
    expect(design.photo).toMatchObject({ mediaId: 'new-photo', rotation: 0, flipX: false, crop: { x: 0, y: 500, width: 4000, height: 5000 } });
    expect(design.photo?.filters.contrast).toBe(20);
    const [title, brand, logo] = design.layers as [TextLayer, TextLayer, ImageLayer];
    expect(title.text).toBe('Grand opening');
    expect(brand.text).toBe('@acme');
    const oldLogo = t.layers[2] as ImageLayer;
    expect(logo.mediaId).toBe('logo-2');
    expect(logo.width * logo.scaleX).toBeCloseTo(oldLogo.width * oldLogo.scaleX);
    expect([logo.x, logo.y]).toEqual([oldLogo.x, oldLogo.y]);
    expect(JSON.stringify(t)).toBe(before);
  });
});
