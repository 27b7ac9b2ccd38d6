import { ALL_FORMATS, BlobSource, CanvasSink, Input, UrlSource, type InputVideoTrack } from 'mediabunny';
import type { ImportFailure } from '../../../../main/core/contract';
import { audioCodecs, videoCodecs, type AudioCodec, type VideoCodec, type VideoFacts } from '../../../../main/core/video';

/**
 * A video read in the window with WebCodecs (mediabunny): its facts, its frames as pictures, and
 * the check before import that this computer can decode it. A library file is read by range
 * from its URL, a picked file straight from the disk; neither is loaded whole.
 */

export type VideoSource = Blob | string;

export function openVideo(source: VideoSource): Input {
  return new Input({ formats: ALL_FORMATS, source: typeof source === 'string' ? new UrlSource(source) : new BlobSource(source) });
}

const asVideoCodec = (codec: string | null): VideoCodec | null => ((videoCodecs as readonly string[]).includes(codec ?? '') ? (codec as VideoCodec) : null);

function asAudioCodec(codec: string | null): AudioCodec | null {
  if (codec === null) return null;
  if (codec.startsWith('pcm-') || codec === 'ulaw' || codec === 'alaw') return 'pcm';
  return (audioCodecs as readonly string[]).includes(codec) ? (codec as AudioCodec) : null;
}

const rotations = [0, 90, 180, 270] as const;

async function primaryVideo(input: Input): Promise<InputVideoTrack> {
  const track = await input.getPrimaryVideoTrack();
  if (!track) throw new Error('The file has no video track.');
  return track;
}

/** Duration, upright size, frame rate (from the first 120 frames' timestamps), codecs, rotation and audio. */
export async function readVideoFacts(input: Input, bytes?: number): Promise<VideoFacts> {
  const video = await primaryVideo(input);
  const audio = await input.getPrimaryAudioTrack();
  const [seconds, width, height, rotation, codec, codecString, stats] = await Promise.all([
    input.computeDuration(),
    video.getDisplayWidth(),
    video.getDisplayHeight(),
    video.getRotation(),
    video.getCodec(),
    video.getCodecParameterString(),
    video.computePacketStats(120),
  ]);
  const durationMs = Math.round(seconds * 1000);
  return {
    durationMs,
    width,
    height,
    frameRate: Math.round(stats.averagePacketRate * 100) / 100,
    videoCodec: asVideoCodec(codec),
    videoCodecString: codecString,
    rotation: rotations.includes(rotation) ? rotation : 0,
    audioCodec: audio ? asAudioCodec(await audio.getCodec()) : null,
    hasAudio: audio !== null,
    audioChannels: audio ? await audio.getNumberOfChannels() : null,
    audioSampleRate: audio ? await audio.getSampleRate() : null,
    bitrate: bytes !== undefined && durationMs > 0 ? Math.round((bytes * 8 * 1000) / durationMs) : null,
  };
}

/** One frame, upright, `height` pixels high (the width follows the picture), at `atMs` (clamped into the video). */
export async function frameAt(input: Input, atMs: number, height?: number): Promise<HTMLCanvasElement | OffscreenCanvas | null> {
  const video = await primaryVideo(input);
  const sink = new CanvasSink(video, height ? { height, fit: 'contain', width: Math.round((height * (await video.getDisplayWidth())) / (await video.getDisplayHeight())) } : {});
  const first = await video.getFirstTimestamp();
  const wrapped = await sink.getCanvas(Math.max(first, atMs / 1000));
  return wrapped?.canvas ?? null;
}

/** `count` evenly spaced frames, `height` pixels high, as JPEG data URLs, with the time each shows. */
export async function frameStrip(input: Input, count: number, height: number): Promise<{ atMs: number; url: string }[]> {
  const video = await primaryVideo(input);
  const width = Math.round((height * (await video.getDisplayWidth())) / (await video.getDisplayHeight()));
  const sink = new CanvasSink(video, { width, height, fit: 'contain' });
  const first = await video.getFirstTimestamp();
  const end = await video.computeDuration();
  const span = Math.max(0, end - first);
  const times = Array.from({ length: count }, (_, i) => first + (span * (i + 0.5)) / count);
  const out: { atMs: number; url: string }[] = [];
  let i = 0;
  for await (const wrapped of sink.canvasesAtTimestamps(times)) {
    const atMs = Math.round((times[i++] as number) * 1000);
    if (wrapped) out.push({ atMs, url: await canvasToDataUrl(wrapped.canvas) });
  }
  return out;
}

export async function canvasToBlob(canvas: HTMLCanvasElement | OffscreenCanvas, quality = 0.9): Promise<Blob> {
  if ('convertToBlob' in canvas) return canvas.convertToBlob({ type: 'image/jpeg', quality });
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The frame could not be encoded.'))), 'image/jpeg', quality));
}

async function canvasToDataUrl(canvas: HTMLCanvasElement | OffscreenCanvas): Promise<string> {
  if (!('convertToBlob' in canvas)) return canvas.toDataURL('image/jpeg', 0.72);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.72 });
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.readAsDataURL(blob);
  });
}

const looksLikeVideo = (file: File) => file.type.startsWith('video/') || /\.(mp4|m4v|mov|webm)$/i.test(file.name);

const refusal = (file: File, reason: ImportFailure['reason'], message: string, details?: ImportFailure['details']): ImportFailure => ({
  ok: false,
  fileName: file.name,
  reason,
  message,
  ...(details ? { details } : {}),
});

/**
 * The window's check before a video is imported: a codec this computer cannot decode (HEVC on a
 * Chromium without it) or frames that do not decode are refused by name. Anything the window
 * cannot tell (not a video, no known codec, a cut-off header) is left to main's own checks.
 */
export async function checkVideoFile(file: File): Promise<ImportFailure | null> {
  if (!looksLikeVideo(file) || file.size === 0) return null;
  const input = openVideo(file);
  try {
    if (!(await input.canRead())) return null;
    const video = await input.getPrimaryVideoTrack();
    if (!video) return null;
    const codec = await video.getCodec();
    if (codec === null) return null;
    if (!(await video.canDecode())) {
      return refusal(file, 'video_codec_unsupported', `This computer cannot decode ${codec} video.`, { codec: codecLabel(codec), here: 1 });
    }
    let frame: Awaited<ReturnType<typeof frameAt>>;
    try {
      frame = await frameAt(input, 0, 32);
    } catch (error) {
      return refusal(file, 'video_corrupt', `The video's frames do not decode: ${(error as Error).message}`, { codec: codecLabel(codec) });
    }
    if (!frame) return refusal(file, 'video_corrupt', 'The video has no frame that decodes.', { codec: codecLabel(codec) });
    return null;
  } catch {
    // The header could not be read; main names what is wrong with it.
    return null;
  } finally {
    input.dispose();
  }
}

/** How a codec is named to the user. */
export function codecLabel(codec: string): string {
  const labels: Record<string, string> = { avc: 'H.264', hevc: 'HEVC (H.265)', vp8: 'VP8', vp9: 'VP9', av1: 'AV1', aac: 'AAC', opus: 'Opus', mp3: 'MP3', vorbis: 'Vorbis', flac: 'FLAC', pcm: 'PCM', ac3: 'AC-3', eac3: 'E-AC-3', prores: 'ProRes', mp4v: 'MPEG-4 Part 2' };
  return labels[codec] ?? codec;
}

/** One open video for the library's details dialog: its facts, a strip of frames, a preview and the cover's JPEG. */
export interface VideoSession {
  facts(): Promise<VideoFacts>;
  strip(count: number, height: number): Promise<{ atMs: number; url: string }[]>;
  /** A frame at `atMs` as a data URL, or null past the end. */
  preview(atMs: number, height: number): Promise<string | null>;
  /** The frame at `atMs` at its own size (at most 1080 high), as a JPEG. */
  coverJpeg(atMs: number): Promise<Blob | null>;
  close(): void;
}

/** Longest cover edge sent: what the networks' thumbnails take (Telegram 320, Mastodon 1280, YouTube 1280×720 and up). */
const COVER_HEIGHT = 1080;

export function openVideoSession(source: VideoSource, bytes?: number): VideoSession {
  const input = openVideo(source);
  return {
    facts: () => readVideoFacts(input, bytes),
    strip: (count, height) => frameStrip(input, count, height),
    preview: async (atMs, height) => {
      const canvas = await frameAt(input, atMs, height);
      return canvas ? canvasToDataUrl(canvas) : null;
    },
    coverJpeg: async (atMs) => {
      const video = await primaryVideo(input);
      const height = Math.min(await video.getDisplayHeight(), COVER_HEIGHT);
      const canvas = await frameAt(input, atMs, height);
      return canvas ? canvasToBlob(canvas, 0.9) : null;
    },
    close: () => input.dispose(),
  };
}

const posters = new Map<string, Promise<string | null>>();
let posterQueue: Promise<unknown> = Promise.resolve();

/**
 * A library video's poster (its first frame, `height` high) as a data URL, made once per video
 * and one video at a time, so a page of videos does not start a decoder each at once.
 */
export function posterFrame(mediaId: string, url: string, height: number): Promise<string | null> {
  const known = posters.get(mediaId);
  if (known) return known;
  const made = posterQueue.then(async () => {
    const session = openVideoSession(url);
    try {
      return await session.preview(0, height);
    } catch {
      return null;
    } finally {
      session.close();
    }
  });
  posterQueue = made;
  posters.set(mediaId, made);
  return made;
}
