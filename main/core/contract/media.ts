import { z } from 'zod';
import { MAX_ALT_TEXT, MAX_IMAGE_BYTES, MAX_VIDEO_BYTES, supportedMimes } from '../media';
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
  /** The project whose library holds it; null for the shared library, offered to every project's posts. */
  projectId: id.nullable(),
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
  /** The video's codec is one no supported platform decodes (details.codec), or this computer cannot decode it (details.here = 1). */
  'video_codec_unsupported',
  /** The file's header reads, but its frames do not decode (details.codec): damaged after the header. */
  'video_corrupt',
  'upload_missing',
  'storage_full',
  'not_saved',
] as const;
export type ImportFailureReason = (typeof importFailureReasons)[number];

/** Numbers and names the message needs, e.g. the limit that was exceeded or the format found. */
export const importDetailsSchema = z.record(z.string(), z.union([z.string(), z.number()]));

export const importOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    fileName: z.string(),
    media: mediaSchema,
    duplicate: z.boolean(),
    /** The same file was already in another project's library: being wanted by two projects, it is now shared. */
    movedToShared: z.boolean().optional(),
  }),
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

/** Which library `media.list` reads: one project's own files, or the shared library. */
export const libraryShelves = ['project', 'shared'] as const;
export type LibraryShelf = (typeof libraryShelves)[number];

export const mediaRequests = {
  'media.list': {
    /**
     * With `projectId` alone: what a post of that project is offered (its own files and the shared
     * ones); `only` narrows to one of the two. Without either: every file.
     */
    args: z
      .object({
        /** Matches file names and alt text, ignoring case and accents. */
        query: z.string().max(200).optional(),
        kind: mediaKindSchema.optional(),
        projectId: id.optional(),
        only: z.enum(libraryShelves).optional(),
      })
      .strict()
      .refine((a) => a.only !== 'project' || a.projectId !== undefined, { message: 'only: "project" needs a projectId', path: ['projectId'] }),
    result: z.array(mediaSchema),
  },
  'media.get': {
    args: z.object({ id }).strict(),
    result: mediaSchema,
  },
  'media.import': {
    args: z
      .object({
        files: z.array(importSourceSchema).min(1).max(200),
        /** The library new files join: a project's, or null (or none) for the shared one. */
        projectId: id.nullable().optional(),
      })
      .strict(),
    /** One outcome per file, in the order given: good files land even when others fail. */
    result: z.array(importOutcomeSchema),
  },
  'media.update': {
    args: z.object({ id, altText: z.string().max(MAX_ALT_TEXT) }).strict(),
    result: mediaSchema,
  },
  /**
   * Moves a file to a project's library or (null) to the shared one. Into a project only when no
   * other project's post uses it; otherwise a `conflict` (`media_used_elsewhere`) says how many posts do.
   */
  'media.move': {
    args: z.object({ id, projectId: id.nullable() }).strict(),
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
  /** The cover frame picked for a video, or null when none was picked (the first frame is shown then). */
  'media.videoCover': {
    args: z.object({ id }).strict(),
    result: z.object({ media: mediaSchema, atMs: z.number() }).nullable(),
  },
  /**
   * Keeps a frame the window drew from the video (a JPEG) as the video's cover: a library image
   * derived from the video, sent as its thumbnail where a network takes one. The video is untouched.
   */
  'media.setVideoCover': {
    args: z
      .object({
        id,
        /** Where in the video the frame is, in milliseconds. */
        atMs: z.number().int().min(0),
        /** Electron sends the bytes; the browser host first streams them to /api/upload. */
        file: z.union([
          z.object({ data: z.base64().max(Math.ceil(MAX_IMAGE_BYTES / 3) * 4 + 4) }).strict(),
          z.object({ uploadId: z.uuid() }).strict(),
        ]),
      })
      .strict(),
    result: z.object({ media: mediaSchema, atMs: z.number() }),
  },
  /**
   * Keeps a video the window converted to fit a network (trimmed, scaled, cropped, re-encoded) as
   * a new library video derived from `parentMediaId`; the original is untouched.
   */
  'media.saveFittedVideo': {
    args: z
      .object({
        parentMediaId: id,
        /** Electron sends the bytes; the browser host first streams them to /api/upload. */
        file: z.union([
          z.object({ data: z.base64().max(Math.ceil(MAX_VIDEO_BYTES / 3) * 4 + 4) }).strict(),
          z.object({ uploadId: z.uuid() }).strict(),
        ]),
        /** The network it was made for and what was done, kept beside it as its design JSON. */
        network: z.string().min(1).max(40),
        changes: z.array(z.enum(['trim', 'crop', 'resize', 'reencode', 'reencode_audio'])).max(10),
      })
      .strict(),
    result: z.object({ media: mediaSchema }),
  },
} as const satisfies Record<string, RequestSpec>;

export const mediaEvents = {
  /** Files were added, changed or deleted. */
  'media.changed': z.object({ ids: z.array(id) }),
} as const satisfies Record<string, z.ZodType>;
