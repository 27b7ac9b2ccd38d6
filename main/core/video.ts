/**
 * Video codecs as the library, the composer and the networks' rules name them. Pure: the
 * renderer reads the facts with WebCodecs (mediabunny), main reads the MP4 sample entry.
 */

export const videoCodecs = ['avc', 'hevc', 'vp8', 'vp9', 'av1'] as const;
export type VideoCodec = (typeof videoCodecs)[number];

export const audioCodecs = ['aac', 'opus', 'mp3', 'vorbis', 'flac', 'pcm', 'ac3', 'eac3'] as const;
export type AudioCodec = (typeof audioCodecs)[number];

/** MP4/MOV sample entry types (ISO/IEC 14496-15, VP9/AV1 ISOBMFF bindings) of the codecs some Chromium decodes. */
const sampleEntries: Record<string, VideoCodec> = {
  avc1: 'avc',
  avc3: 'avc',
  hvc1: 'hevc',
  hev1: 'hevc',
  vp08: 'vp8',
  vp09: 'vp9',
  av01: 'av1',
};

/** The codec an MP4 sample entry names, or null for one no Chromium decodes (mp4v, ProRes, MJPEG…). */
export function codecOfSampleEntry(fourcc: string): VideoCodec | null {
  return sampleEntries[fourcc] ?? null;
}

/** What the renderer reads from a video file with WebCodecs, for the library page and the composer's checks. */
export interface VideoFacts {
  durationMs: number;
  /** Upright display size, the rotation already applied. */
  width: number;
  height: number;
  /** Average frames per second, from the first packets' timestamps. */
  frameRate: number;
  videoCodec: VideoCodec | null;
  /** The RFC 6381 codec string, e.g. avc1.640028, for WebCodecs and the details shown. */
  videoCodecString: string | null;
  /** Clockwise degrees the container asks the player to turn the frames. */
  rotation: 0 | 90 | 180 | 270;
  /** null: no audio track. */
  audioCodec: AudioCodec | null;
  hasAudio: boolean;
  audioChannels: number | null;
  audioSampleRate: number | null;
  /** Average bits per second over the whole file, from its size and duration. */
  bitrate: number | null;
}

/** What the networks' rules read of a video beyond the library's row (read in the window; main has no decoder). */
export interface VideoStreamFacts {
  frameRate: number;
  videoCodec: string | null;
  /** null: no sound. */
  audioCodec: string | null;
}
