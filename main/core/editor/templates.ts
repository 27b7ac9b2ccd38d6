import { noFilters, uprightPhoto, type Design, type ImageLayer, type TextLayer } from './design';
import { largestBox } from './geometry';

/**
 * Templates: a saved design whose photo, and whichever text and logo layers are marked as
 * placeholders, are replaced when it is applied to a new photo, in one step.
 */

export interface TemplatePlaceholders {
  /** The photo slot (every template with a photo, or a blank one taking a photo as background). */
  photo: boolean;
  texts: Pick<TextLayer, 'id' | 'name' | 'text'>[];
  images: Pick<ImageLayer, 'id' | 'name' | 'mediaId'>[];
}

export function placeholdersOf(design: Design): TemplatePlaceholders {
  return {
    photo: true,
    texts: design.layers.filter((l): l is TextLayer => l.type === 'text' && l.placeholder).map(({ id, name, text }) => ({ id, name, text })),
    images: design.layers
      .filter((l): l is ImageLayer => l.type === 'image' && l.placeholder)
      .map(({ id, name, mediaId }) => ({ id, name, mediaId })),
  };
}

export interface PhotoInput {
  mediaId: string;
  /** Upright size. */
  width: number;
  height: number;
}

export interface TemplateFill {
  photo: PhotoInput;
  /** New text per placeholder layer id; placeholders left out keep the template's text. */
  texts?: Record<string, string>;
  /** New library image per placeholder layer id; it fits the placeholder's box. */
  images?: Record<string, PhotoInput>;
}

/**
 * The template with its placeholders filled: the photo is cropped to the template's shape
 * around its centre (filters kept), text and images swapped in. The template stays untouched.
 */
export function applyTemplate(template: Design, fill: TemplateFill): Design {
  const { photo } = fill;
  const crop = largestBox(template.width / template.height, { x: 0, y: 0, width: photo.width, height: photo.height });
  const round = (v: number) => Math.round(v * 100) / 100;
  const nextPhoto = uprightPhoto(
    photo,
    { x: round(crop.x), y: round(crop.y), width: round(crop.width), height: round(crop.height) },
    template.photo?.filters ?? noFilters,
  );
  const layers = template.layers.map((layer) => {
    if (layer.type === 'text' && layer.placeholder && fill.texts?.[layer.id] !== undefined) {
      return { ...layer, text: fill.texts[layer.id] as string };
    }
    const image = layer.type === 'image' && layer.placeholder ? fill.images?.[layer.id] : undefined;
    if (layer.type === 'image' && image) {
      // Same on-canvas width as the placeholder, the new image's own shape.
      const shown = layer.width * layer.scaleX;
      const scale = shown / image.width;
      return { ...layer, mediaId: image.mediaId, width: image.width, height: image.height, scaleX: scale, scaleY: scale };
    }
    return layer;
  });
  return { ...template, photo: nextPhoto, layers };
}
