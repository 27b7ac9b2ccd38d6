import { z } from 'zod';
import { MAX_ALT_TEXT, supportedMimes } from '../media';
import { id, type RequestSpec } from './common';

export const mediaKindSchema = z.enum(['image', 'video']);

/** One file in the library: content-addressed, so the same bytes are stored once. */
export const mediaSchema = z.object({
  id,
  kind: mediaKindSchema,
  mime: z.enum(supportedMimes),
  sha256: z.string(),
  bytes: z.number(),
  /** Upright size: EXIF orientation (images) or the track's rotation (videos) already applied. */
  width: z.number().nullable(),
  height: z.number().nullable(),
  durationMs: z.number().nullable(),
  fileName: z.string(),
  altText: z.string(),
  createdAt: z.number(),
  /** How many posts use it. */
  usageCount: z.number(),
});
export type Media = z.infer<typeof mediaSchema>;

/** Why a file was not imported; the UI words each one, naming the file. */
export const importFailureReasons = [
  'file_unreadable',
  'empty_file',
  'too_large',
  'unsupported_format',
  'not_media',
  'image_corrupt',
  'too_many_pixels',
  'video_unreadable',
  'upload_missing',
  'storage_full',
  'not_saved',
] as const;
export type ImportFailureReason = (typeof importFailureReasons)[number];

/** Numbers and names the message needs, e.g. the limit that was exceeded or the format found. */
export const importDetailsSchema = z.record(z.string(), z.union([z.string(), z.number()]));

export const importOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), fileName: z.string(), media: mediaSchema, duplicate: z.boolean() }),
  z.object({
    ok: z.literal(false),
    fileName: z.string(),
    reason: z.enum(importFailureReasons),
    /** English, for logs; the UI words the reason itself. */
    message: z.string(),
    details: importDetailsSchema.optional(),
  }),
]);
export type ImportOutcome = z.infer<typeof importOutcomeSchema>;
export type ImportFailure = Extract<ImportOutcome, { ok: false }>;

const fileName = z.string().max(1000);

/**
 * Where a file to import is: a path on this computer (Electron, from `pathForFile`), or an
 * upload the browser host received on POST /api/upload.
 */
export const importSourceSchema = z.union([
  z.object({ path: z.string().min(1).max(4096), fileName: fileName.optional() }).strict(),
  z.object({ uploadId: z.uuid(), fileName }).strict(),
]);
export type ImportSource = z.infer<typeof importSourceSchema>;

export const mediaRequests = {
  'media.list': {
    args: z
      .object({
        /** Matches file names and alt text, ignoring case and accents. */
        query: z.string().max(200).optional(),
        kind: mediaKindSchema.optional(),
      })
      .strict(),
    result: z.array(mediaSchema),
  },
  'media.get': {
    args: z.object({ id }).strict(),
    result: mediaSchema,
  },
  'media.import': {
    args: z.object({ files: z.array(importSourceSchema).min(1).max(200) }).strict(),
    /** One outcome per file, in the order given: good files land even when others fail. */
    result: z.array(importOutcomeSchema),
  },
  'media.update': {
    args: z.object({ id, altText: z.string().max(MAX_ALT_TEXT) }).strict(),
    result: mediaSchema,
  },
  'media.usage': {
    args: z.object({ id }).strict(),
    result: z.object({ id, posts: z.number() }),
  },
  'media.delete': {
    /** A file used by posts is deleted only with `confirmInUse`; otherwise a `conflict` (`media_in_use`) says how many. */
    args: z.object({ id, confirmInUse: z.boolean().optional() }).strict(),
    result: z.object({ id, removedFromPosts: z.number() }),
  },
} as const satisfies Record<string, RequestSpec>;

export const mediaEvents = {
  /** Files were added, changed or deleted. */
  'media.changed': z.object({ ids: z.array(id) }),
} as const satisfies Record<string, z.ZodType>;
