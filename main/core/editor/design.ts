import { z } from 'zod';

/**
 * A design: what the image editor saves beside every image it exports, so reopening the image
 * reopens the design. Versioned JSON; older versions are brought up to date by the numbered
 * up-migrations in design-migrations.ts before this schema checks them.
 *
 * Coordinates are design pixels: the canvas is `width` × `height`, and a layer's `x`/`y` is its
 * centre. The photo (if any) always fills the whole canvas: `photo.crop` says which part of it.
 */
export const DESIGN_VERSION = 2;

/** Largest side of a design, in design pixels; exports may be larger or smaller. */
export const MAX_DESIGN_SIDE = 16_384;
export const MAX_LAYERS = 500;
export const MAX_TEXT_LENGTH = 5_000;

const finite = z.number().finite();
const positive = z.number().finite().positive();
/** #rrggbb, or #rrggbbaa for see-through colours. */
export const colorSchema = z.string().regex(/^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/, 'a colour like #ffffff');
const id = z.string().min(1).max(64);
const side = z.number().int().min(1).max(MAX_DESIGN_SIDE);

export const boxSchema = z.object({ x: finite, y: finite, width: positive, height: positive }).strict();
export type Box = z.infer<typeof boxSchema>;

/** Photo adjustments as the sliders show them; 0 is "unchanged" for every one. */
export const filtersSchema = z
  .object({
    brightness: z.number().min(-100).max(100),
    contrast: z.number().min(-100).max(100),
    saturation: z.number().min(-100).max(100),
    /** 100 blurs by 2% of the canvas's shorter side, whatever size it is exported at. */
    blur: z.number().min(0).max(100),
    greyscale: z.number().min(0).max(100),
    sepia: z.number().min(0).max(100),
  })
  .strict();
export type Filters = z.infer<typeof filtersSchema>;

export const noFilters: Filters = Object.freeze({ brightness: 0, contrast: 0, saturation: 0, blur: 0, greyscale: 0, sepia: 0 });

export const rotationSchema = z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]);
export type Rotation = z.infer<typeof rotationSchema>;

export const photoSchema = z
  .object({
    /** The library image; it is never changed, only read. */
    mediaId: id,
    /** Its upright size (EXIF orientation applied), in source pixels. */
    width: side,
    height: side,
    /** Turned clockwise, then mirrored in the turned frame. */
    rotation: rotationSchema,
    flipX: z.boolean(),
    flipY: z.boolean(),
    /** The part shown, in pixels of the turned and mirrored photo. */
    crop: boxSchema,
    filters: filtersSchema,
  })
  .strict();
export type Photo = z.infer<typeof photoSchema>;

const layerBase = {
  id,
  name: z.string().max(100),
  locked: z.boolean(),
  hidden: z.boolean(),
  /** Centre, in design pixels. */
  x: finite,
  y: finite,
  /** Degrees clockwise. */
  angle: finite,
  scaleX: positive,
  scaleY: positive,
  opacity: z.number().min(0).max(1),
};

export const textAlignSchema = z.enum(['start', 'center', 'end']);
export type TextAlign = z.infer<typeof textAlignSchema>;
export const fontWeights = [300, 400, 700] as const;

export const textLayerSchema = z
  .object({
    ...layerBase,
    type: z.literal('text'),
    text: z.string().max(MAX_TEXT_LENGTH),
    /** Wrapping width, in design pixels. */
    width: positive,
    fontSize: z.number().min(1).max(2000),
    fontWeight: z.union([z.literal(300), z.literal(400), z.literal(700)]),
    color: colorSchema,
    /** Logical: "start" is the left of Latin text and the right of Hebrew or Arabic text. */
    align: textAlignSchema,
    lineHeight: z.number().min(0.5).max(4),
    outline: z.object({ color: colorSchema, width: z.number().min(0).max(200) }).strict().nullable(),
    shadow: z
      .object({ color: colorSchema, blur: z.number().min(0).max(200), offsetX: finite, offsetY: finite })
      .strict()
      .nullable(),
    /** A box behind the text. */
    background: z.object({ color: colorSchema, padding: z.number().min(0).max(500) }).strict().nullable(),
    /** A template's replaceable text. */
    placeholder: z.boolean(),
  })
  .strict();

const paint = {
  fill: colorSchema.nullable(),
  stroke: colorSchema.nullable(),
  strokeWidth: z.number().min(0).max(500),
};

export const rectLayerSchema = z
  .object({ ...layerBase, type: z.literal('rect'), width: positive, height: positive, cornerRadius: z.number().min(0).max(10_000), ...paint })
  .strict();
export const ellipseLayerSchema = z.object({ ...layerBase, type: z.literal('ellipse'), width: positive, height: positive, ...paint }).strict();
/** A line or an arrow: horizontal of `length` before `angle` turns it; an arrow points to its end. */
export const lineLayerSchema = z
  .object({ ...layerBase, type: z.enum(['line', 'arrow']), length: positive, stroke: colorSchema, strokeWidth: z.number().min(0.5).max(500) })
  .strict();
export const stickerLayerSchema = z
  .object({ ...layerBase, type: z.literal('sticker'), emoji: z.string().min(1).max(32), size: z.number().min(1).max(5000) })
  .strict();
/** A logo or watermark from the library. */
export const imageLayerSchema = z
  .object({ ...layerBase, type: z.literal('image'), mediaId: id, width: positive, height: positive, placeholder: z.boolean() })
  .strict();

export const layerSchema = z.discriminatedUnion('type', [
  textLayerSchema,
  rectLayerSchema,
  ellipseLayerSchema,
  lineLayerSchema,
  stickerLayerSchema,
  imageLayerSchema,
]);
export type Layer = z.infer<typeof layerSchema>;
export type LayerType = Layer['type'];
export type TextLayer = z.infer<typeof textLayerSchema>;
export type RectLayer = z.infer<typeof rectLayerSchema>;
export type EllipseLayer = z.infer<typeof ellipseLayerSchema>;
export type LineLayer = z.infer<typeof lineLayerSchema>;
export type StickerLayer = z.infer<typeof stickerLayerSchema>;
export type ImageLayer = z.infer<typeof imageLayerSchema>;

export const designSchema = z
  .object({
    version: z.literal(DESIGN_VERSION),
    width: side,
    height: side,
    /** Shows where no photo covers the canvas (a blank design). */
    background: colorSchema,
    photo: photoSchema.nullable(),
    /** Bottom first: the last layer is drawn on top. */
    layers: z.array(layerSchema).max(MAX_LAYERS),
  })
  .strict()
  .superRefine((design, ctx) => {
    const seen = new Set<string>();
    for (const layer of design.layers) {
      if (seen.has(layer.id)) ctx.addIssue({ code: 'custom', message: `Two layers share the id ${layer.id}.`, path: ['layers'] });
      seen.add(layer.id);
    }
  });
export type Design = z.infer<typeof designSchema>;

/** The photo's size after turning: a quarter turn swaps width and height. */
export function orientedSize(photo: Pick<Photo, 'width' | 'height' | 'rotation'>): { width: number; height: number } {
  return photo.rotation % 180 === 0 ? { width: photo.width, height: photo.height } : { width: photo.height, height: photo.width };
}

/** A new design showing the whole of a photo at its own size. */
/** A library photo placed unrotated and unflipped, showing `crop`. */
export function uprightPhoto(photo: { mediaId: string; width: number; height: number }, crop: Photo['crop'], filters: Photo['filters']): Photo {
  const { mediaId, width, height } = photo;
  return { mediaId, width, height, rotation: 0, flipX: false, flipY: false, crop, filters: { ...filters } };
}

export function photoDesign(photo: { mediaId: string; width: number; height: number }): Design {
  return {
    version: DESIGN_VERSION,
    width: photo.width,
    height: photo.height,
    background: '#ffffff',
    photo: uprightPhoto(photo, { x: 0, y: 0, width: photo.width, height: photo.height }, noFilters),
    layers: [],
  };
}

export function blankDesign(width: number, height: number, background = '#ffffff'): Design {
  return { version: DESIGN_VERSION, width, height, background, photo: null, layers: [] };
}

/** Library images a design shows: its photo and any logos. */
export function mediaUsedBy(design: Design): string[] {
  const ids = new Set<string>();
  if (design.photo) ids.add(design.photo.mediaId);
  for (const layer of design.layers) if (layer.type === 'image') ids.add(layer.mediaId);
  return [...ids];
}
