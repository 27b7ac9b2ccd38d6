import { BufferTarget, canEncodeAudio, type AudioCodec as EncodableAudio, Conversion, ConversionCanceledError, Mp4OutputFormat, Output, type ConversionVideoOptions } from 'mediabunny';
import type { MediaFix } from '../../../../main/core/networks/check';
import type { AudioCodec } from '../../../../main/core/video';
import { openVideo, type VideoSource } from './video-probe';

/**
 * Makes a video fit a network, in the window with WebCodecs (mediabunny's Conversion): trim,
 * scale down, crop to a shape, re-encode the picture to H.264 and the sound where this computer
 * can. The result is a new MP4; the original file is only read.
 */

export interface FitPlan {
  /** Keep the first this many milliseconds. */
  trimMs?: number;
  /** Crop to this size, centred, before scaling. */
  crop?: { width: number; height: number };
  /** Final size, even sides. */
  size?: { width: number; height: number };
  frameRate?: number;
  /** Re-encode the picture to H.264 even when nothing else asks for it. */
  reencode?: boolean;
  /** The sound must be this codec; copied when it already is. */
  audioCodec?: AudioCodec;
}

/** One plan from every fix the network's check named for the video. */
export function planFor(fixes: readonly MediaFix[]): FitPlan {
  const plan: FitPlan = {};
  for (const fix of fixes) {
    if (fix.key === 'trim') plan.trimMs = Math.min(plan.trimMs ?? Infinity, fix.maxDurationMs);
    if (fix.key === 'crop') plan.crop = { width: fix.width, height: fix.height };
    if (fix.key === 'resize') plan.size = { width: fix.width, height: fix.height };
    if (fix.key === 'reencode') {
      plan.reencode = true;
      if (fix.frameRate !== undefined) plan.frameRate = fix.frameRate;
    }
    if (fix.key === 'reencode_audio') plan.audioCodec = fix.codec;
  }
  return plan;
}

export type FitOutcome =
  | { ok: true; file: Blob; audio: 'copied' | 'reencoded' | 'none' }
  | { ok: false; reason: 'canceled' }
  /** The sound must be re-encoded to a codec this computer has no encoder for (AAC in Chromium). */
  | { ok: false; reason: 'audio_encoder_missing'; codec: AudioCodec }
  | { ok: false; reason: 'failed'; message: string };

export interface FitJob {
  done: Promise<FitOutcome>;
  cancel(): void;
}

/** Whether this computer can encode `codec` sound (Chromium makes Opus but not AAC). */
export async function canMakeAudio(codec: AudioCodec): Promise<boolean> {
  return codec === 'aac' || codec === 'opus' || codec === 'mp3' || codec === 'vorbis' || codec === 'flac' ? canEncodeAudio(codec) : false;
}

/** Starts converting `source` by `plan` to an H.264 MP4; `onProgress` gets 0..1. */
export function fitVideo(source: VideoSource, plan: FitPlan, onProgress: (fraction: number) => void): FitJob {
  let conversion: Conversion | null = null;
  let canceled = false;
  const done = (async (): Promise<FitOutcome> => {
    const input = openVideo(source);
    try {
      const video = await input.getPrimaryVideoTrack();
      const audio = await input.getPrimaryAudioTrack();
      if (!video) return { ok: false, reason: 'failed', message: 'The file has no video track.' };
      const audioCodec = audio ? await audio.getCodec() : null;
      const audioFits = !audio || plan.audioCodec === undefined || audioCodec === plan.audioCodec;
      if (!audioFits && plan.audioCodec && !(await canMakeAudio(plan.audioCodec))) {
        return { ok: false, reason: 'audio_encoder_missing', codec: plan.audioCodec };
      }
      const videoOptions: ConversionVideoOptions = { codec: 'avc', forceTranscode: plan.reencode ?? false };
      if (plan.crop) {
        const width = await video.getDisplayWidth();
        const height = await video.getDisplayHeight();
        videoOptions.crop = {
          left: Math.floor((width - plan.crop.width) / 2),
          top: Math.floor((height - plan.crop.height) / 2),
          width: plan.crop.width,
          height: plan.crop.height,
        };
      }
      if (plan.size) Object.assign(videoOptions, { width: plan.size.width, height: plan.size.height, fit: 'fill' as const });
      if (plan.frameRate !== undefined) videoOptions.frameRate = plan.frameRate;
      const output = new Output({ format: new Mp4OutputFormat({ fastStart: 'in-memory' }), target: new BufferTarget() });
      conversion = await Conversion.init({
        input,
        output,
        video: videoOptions,
        // Copied when it already fits (the default); re-encoded only when the network asks for another codec.
        audio: audioFits ? {} : { codec: plan.audioCodec as EncodableAudio, forceTranscode: true },
        ...(plan.trimMs !== undefined ? { trim: { start: 0, end: plan.trimMs / 1000 } } : {}),
        showWarnings: false,
      });
      if (canceled) return { ok: false, reason: 'canceled' };
      if (!conversion.isValid) {
        const why = conversion.discardedTracks.map((d) => `${d.track.type}: ${d.reason}`).join(', ');
        return { ok: false, reason: 'failed', message: `The video cannot be converted here (${why}).` };
      }
      conversion.onProgress = (fraction) => onProgress(fraction);
      await conversion.execute();
      const buffer = output.target.buffer;
      if (!buffer) return { ok: false, reason: 'failed', message: 'The conversion made no file.' };
      onProgress(1);
      return { ok: true, file: new Blob([buffer], { type: 'video/mp4' }), audio: !audio ? 'none' : audioFits ? 'copied' : 'reencoded' };
    } catch (error) {
      if (error instanceof ConversionCanceledError || canceled) return { ok: false, reason: 'canceled' };
      return { ok: false, reason: 'failed', message: (error as Error).message };
    } finally {
      input.dispose();
    }
  })();
  return {
    done,
    cancel: () => {
      canceled = true;
      void conversion?.cancel();
    },
  };
}
