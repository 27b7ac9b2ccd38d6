import { z } from 'zod';
import { designSchema } from '../editor/design';
import { MAX_IMAGE_BYTES } from '../media';
import { id, type RequestSpec } from './common';
import { mediaSchema } from './media';

/**
 * The image editor's requests: open a library image (with the design saved beside it, if any),
 * fetch a working copy of a photo's pixels, save an export as a new library image with its
 * design, and keep templates. The editor itself runs in the renderer; main stores and decodes.
 */

/** Why a saved design was not used; the image then opens as a plain photo. */
export const designProblems = ['design_invalid', 'design_too_new', 'original_missing'] as const;

export const EXPORT_MIMES = ['image/jpeg', 'image/png', 'image/webp'] as const;

/** Images above this open as a smaller working copy, with a notice. */
export const EDITOR_MAX_SOURCE_PIXELS = 100_000_000;
/** The working copy of such an image: its longest side and pixel count at most these. */
export const EDITOR_WORKING_COPY_EDGE = 8192;
export const EDITOR_WORKING_COPY_PIXELS = 48_000_000;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

export const editorPhotoSchema = z.object({
  /** The library image the design's photo is. */
  mediaId: id,
  mime: z.string(),
  /** Upright size of the library file. */
  width: z.number(),
  height: z.number(),
  /** Set when the file is over EDITOR_MAX_SOURCE_PIXELS: the editor works on, and exports from, a copy this size. */
  workingCopy: z.object({ width: z.number(), height: z.number() }).nullable(),
});
export type EditorPhoto = z.infer<typeof editorPhotoSchema>;

export const templateSchema = z.object({
  id,
  name: z.string(),
  design: designSchema,
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type DesignTemplate = z.infer<typeof templateSchema>;

export const TEMPLATE_NAME_MAX = 80;

export const editorRequests = {
  'editor.open': {
    args: z.object({ mediaId: id }).strict(),
    result: z.object({
      /** The image asked for. */
      media: mediaSchema,
      /** Its saved design, brought up to date; null for an image the editor did not make. */
      design: designSchema.nullable(),
      /** The version the design was saved as, when an older Outpost saved it. */
      migratedFrom: z.number().nullable(),
      /** Why a saved design could not be reopened (the image then opens as a plain photo). */
      designProblem: z.enum(designProblems).nullable(),
      /** The photo to edit: the original behind a saved design, or the image itself. */
      photo: editorPhotoSchema,
    }),
  },
  /** The pixels of a library image, upright, at most `maxEdge` on its longest side (and `maxPixels`), as an encoded file. */
  'editor.image': {
    args: z
      .object({
        mediaId: id,
        maxEdge: z.number().int().min(16).max(16_384),
        maxPixels: z.number().int().min(256).max(EDITOR_MAX_SOURCE_PIXELS).optional(),
      })
      .strict(),
    result: z.object({
      mime: z.string(),
      width: z.number(),
      height: z.number(),
      /** The file's bytes in base64: the same in Electron's IPC and the browser host's JSON. */
      data: z.string(),
      /** True when smaller than the library file. */
      downscaled: z.boolean(),
    }),
  },
  /**
   * Saves an exported image into the library with its design, as a new image derived from
   * `parentMediaId` (the photo; null for a blank design). The photo's file is never touched.
   */
  'editor.export': {
    args: z
      .object({
        /** Electron sends the bytes; the browser host first streams them to /api/upload. */
        file: z.union([
          z.object({ data: base64.max(Math.ceil(MAX_IMAGE_BYTES / 3) * 4 + 4) }).strict(),
          z.object({ uploadId: z.uuid() }).strict(),
        ]),
        mime: z.enum(EXPORT_MIMES),
        fileName: z.string().min(1).max(255),
        design: designSchema,
        parentMediaId: id.nullable(),
        /** The library a design without a photo joins (null or none: shared); an edited photo's copy joins the photo's library. */
        projectId: id.nullable().optional(),
      })
      .strict(),
    result: z.object({ media: mediaSchema, duplicate: z.boolean() }),
  },
  'editor.templates': {
    args: z.object({}).strict(),
    /** Most recently changed first. */
    result: z.array(templateSchema),
  },
  'editor.saveTemplate': {
    /** Without `id` a new template; with it, that template replaced. */
    args: z.object({ id: id.optional(), name: z.string().max(1000), design: designSchema }).strict(),
    result: templateSchema,
  },
  'editor.deleteTemplate': {
    args: z.object({ id }).strict(),
    result: z.object({ id }),
  },
} as const satisfies Record<string, RequestSpec>;

export const editorEvents = {
  'editor.templatesChanged': z.object({ ids: z.array(id) }),
} as const satisfies Record<string, z.ZodType>;
