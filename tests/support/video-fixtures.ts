import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Real video files made with Debian's ffmpeg at test time (scripts/apt-packages.txt), so the
 * repository carries no binary fixtures. Every clip shows a moving test pattern with a clock, so
 * frames at different times differ, and carries a 440 Hz tone when `audio` is set.
 */

export interface ClipOptions {
  seconds?: number;
  width?: number;
  height?: number;
  fps?: number;
  /** The video codec ffmpeg encodes with. */
  codec?: 'h264' | 'hevc' | 'mpeg4' | 'vp9';
  audio?: 'aac' | 'opus' | null;
  /** Display rotation written in the container (a phone held upright), in degrees clockwise. */
  rotate?: 90 | 180 | 270;
}

const encoders = {
  h264: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-profile:v', 'high'],
  hevc: ['-c:v', 'libx265', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-tag:v', 'hvc1', '-x265-params', 'log-level=error'],
  mpeg4: ['-c:v', 'mpeg4', '-q:v', '5'],
  vp9: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '1M'],
} as const;

export function hasFfmpeg(): boolean {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Writes `dir/name` (the container follows the extension: .mp4, .mov, .webm) and returns its path. */
export function makeClip(dir: string, name: string, options: ClipOptions = {}): string {
  const { seconds = 2, width = 320, height = 240, fps = 25, codec = 'h264', audio = 'aac', rotate } = options;
  const path = join(dir, name);
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}:duration=${seconds}`];
  if (audio) args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`);
  args.push(...encoders[codec], '-g', String(fps));
  if (audio) args.push('-c:a', audio === 'aac' ? 'aac' : 'libopus', '-b:a', '96k', '-ac', '2');
  if (name.endsWith('.mp4') || name.endsWith('.mov')) args.push('-movflags', '+faststart');
  const encoded = rotate === undefined ? path : join(dir, `unrotated-${name}`);
  args.push('-shortest', encoded);
  execFileSync('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (rotate !== undefined) {
    // ffmpeg 5 writes the display matrix only when copying streams, not while encoding.
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', encoded, '-c', 'copy', '-metadata:s:v:0', `rotate=${rotate}`, path]);
    rmSync(encoded);
  }
  return path;
}

/** The first `fraction` of a real clip: a copy that stopped part-way (moov up front, mdat cut short). */
export function truncateCopy(source: string, dir: string, name: string, fraction = 0.5): string {
  const bytes = readFileSync(source);
  const path = join(dir, name);
  writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * fraction)));
  return path;
}

/** A clip whose frames after the header are overwritten with noise: it parses, but nothing decodes. */
export function corruptCopy(source: string, dir: string, name: string): string {
  const bytes = Buffer.from(readFileSync(source));
  const mdat = bytes.indexOf('mdat');
  let seed = 7;
  for (let i = Math.max(mdat + 4, 0); i < bytes.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = seed >> 16;
  }
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}
