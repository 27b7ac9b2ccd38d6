import type { AspectRatio, NetworkRules } from '../networks/rules';
import type { NetworkId } from '../networks/ids';

/**
 * "Fit every network of this post": one file that every target network takes as it is. The
 * pixel size comes from the networks' pixel limits (and the width past which a network would
 * shrink it anyway); the quality from a search of real encodings against the smallest byte limit.
 */

export type ExportMime = 'image/jpeg' | 'image/png' | 'image/webp';

/** One limit, and the network that sets it (the strictest), for the explanation the UI shows. */
export interface Bound {
  value: number;
  network: NetworkId;
}

export interface FitLimits {
  networks: NetworkId[];
  maxBytes?: Bound;
  maxPixels?: Bound;
  maxWidthPlusHeight?: Bound;
  /** The width past which a network scales the image down itself: pixels beyond it are wasted bytes. */
  maxWidth?: Bound;
  maxSideRatio?: Bound;
  minAspect?: { value: AspectRatio; network: NetworkId };
  maxAspect?: { value: AspectRatio; network: NetworkId };
  /** The formats every network accepts, best first. */
  mimes: ExportMime[];
}

const preference: readonly ExportMime[] = ['image/jpeg', 'image/webp', 'image/png'];

function tighter(current: Bound | undefined, value: number | undefined, network: NetworkId): Bound | undefined {
  if (value === undefined) return current;
  return !current || value < current.value ? { value, network } : current;
}

function accepts(mimes: readonly string[], mime: string): boolean {
  return mimes.includes(mime) || mimes.includes('image/*');
}

/** The strictest of each image limit across the networks. */
export function combineLimits(rules: readonly NetworkRules[]): FitLimits {
  const limits: FitLimits = { networks: [], mimes: [...preference] };
  for (const r of rules) {
    const image = r.media.image;
    const n = r.network;
    if (!limits.networks.includes(n)) limits.networks.push(n);
    limits.maxBytes = tighter(limits.maxBytes, image.maxBytes, n);
    limits.maxPixels = tighter(limits.maxPixels, image.maxPixels, n);
    limits.maxWidthPlusHeight = tighter(limits.maxWidthPlusHeight, image.maxWidthPlusHeight, n);
    limits.maxWidth = tighter(limits.maxWidth, image.scaledAboveWidth, n);
    limits.maxSideRatio = tighter(limits.maxSideRatio, image.maxSideRatio, n);
    if (image.minAspect && (!limits.minAspect || image.minAspect.width / image.minAspect.height > limits.minAspect.value.width / limits.minAspect.value.height)) {
      limits.minAspect = { value: image.minAspect, network: n };
    }
    if (image.maxAspect && (!limits.maxAspect || image.maxAspect.width / image.maxAspect.height < limits.maxAspect.value.width / limits.maxAspect.value.height)) {
      limits.maxAspect = { value: image.maxAspect, network: n };
    }
    limits.mimes = limits.mimes.filter((m) => accepts(image.mimes, m));
  }
  return limits;
}

/** The largest size of the same shape, no bigger than `width` × `height`, within every pixel limit. */
export function fitPixels(width: number, height: number, limits: FitLimits): { width: number; height: number } {
  let s = 1;
  if (limits.maxPixels) s = Math.min(s, Math.sqrt(limits.maxPixels.value / (width * height)));
  if (limits.maxWidthPlusHeight) s = Math.min(s, limits.maxWidthPlusHeight.value / (width + height));
  if (limits.maxWidth) s = Math.min(s, limits.maxWidth.value / width);
  // Rounding down keeps a result exactly at a limit inside it.
  let w = Math.max(1, Math.floor(width * s));
  let h = Math.max(1, Math.floor(height * s));
  if (s === 1) {
    w = width;
    h = height;
  }
  return { width: w, height: h };
}

export type ShapeProblem = { kind: 'too_tall' | 'too_wide'; network: NetworkId; limit: AspectRatio } | { kind: 'too_thin'; network: NetworkId; limit: number };

/** Shapes a network refuses; resizing cannot fix them, only cropping. */
export function shapeProblems(width: number, height: number, limits: FitLimits): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  const ratio = width / height;
  if (limits.minAspect && ratio < limits.minAspect.value.width / limits.minAspect.value.height - 1e-9) {
    problems.push({ kind: 'too_tall', network: limits.minAspect.network, limit: limits.minAspect.value });
  }
  if (limits.maxAspect && ratio > limits.maxAspect.value.width / limits.maxAspect.value.height + 1e-9) {
    problems.push({ kind: 'too_wide', network: limits.maxAspect.network, limit: limits.maxAspect.value });
  }
  if (limits.maxSideRatio && Math.max(width, height) / Math.min(width, height) > limits.maxSideRatio.value) {
    problems.push({ kind: 'too_thin', network: limits.maxSideRatio.network, limit: limits.maxSideRatio.value });
  }
  return problems;
}

export interface Encoded<T> {
  bytes: number;
  data: T;
}

/** Encodes the design at a size and quality (0–1); the browser's canvas in the app, sharp in tests. */
export type Encoder<T> = (width: number, height: number, quality: number) => Promise<Encoded<T>>;

export interface FitResult<T> {
  width: number;
  height: number;
  quality: number;
  bytes: number;
  data: T;
  /** Every encoding tried, in order, for tests and the progress line. */
  tries: { width: number; height: number; quality: number; bytes: number }[];
}

export interface FitOptions<T> {
  width: number;
  height: number;
  limits: FitLimits;
  encode: Encoder<T>;
  /** Highest quality tried; also the one used when there is no byte limit. */
  maxQuality?: number;
  /** Below this, shrinking the image looks better than more compression. */
  minQuality?: number;
  /** Stop when the quality window is this narrow. */
  precision?: number;
  /** A lossless format has no quality to search: only the size shrinks. */
  lossless?: boolean;
}

export class FitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FitError';
  }
}

/**
 * The best file within every limit: the largest allowed pixel size at the highest quality that
 * fits the byte limit, found by bisecting the quality; when even the lowest quality is too big,
 * the size shrinks by the square root of the overshoot (bytes grow about with pixel count).
 */
export async function fitToLimits<T>(options: FitOptions<T>): Promise<FitResult<T>> {
  const maxQuality = options.maxQuality ?? 0.92;
  const minQuality = options.lossless ? maxQuality : (options.minQuality ?? 0.6);
  const precision = options.precision ?? 0.02;
  const maxBytes = options.limits.maxBytes?.value ?? Infinity;
  let { width, height } = fitPixels(options.width, options.height, options.limits);
  const tries: FitResult<T>['tries'] = [];
  const encode = async (q: number) => {
    const result = await options.encode(width, height, q);
    tries.push({ width, height, quality: q, bytes: result.bytes });
    return result;
  };

  for (let round = 0; round < 12; round++) {
    const top = await encode(maxQuality);
    if (top.bytes <= maxBytes) return { width, height, quality: maxQuality, bytes: top.bytes, data: top.data, tries };
    const floor = minQuality < maxQuality ? await encode(minQuality) : top;
    if (floor.bytes <= maxBytes) {
      // Bisect: `low` always fits, `high` never does.
      let low = minQuality;
      let best = floor;
      let high = maxQuality;
      while (high - low > precision) {
        const mid = Math.round(((low + high) / 2) * 1000) / 1000;
        const attempt = await encode(mid);
        if (attempt.bytes <= maxBytes) {
          low = mid;
          best = attempt;
        } else high = mid;
      }
      return { width, height, quality: low, bytes: best.bytes, data: best.data, tries };
    }
    if (width === 1 && height === 1) break;
    const shrink = Math.min(0.95, Math.sqrt(maxBytes / floor.bytes) * 0.97);
    width = Math.max(1, Math.floor(width * shrink));
    height = Math.max(1, Math.floor(height * shrink));
  }
  throw new FitError(`No size and quality meets the ${maxBytes}-byte limit.`);
}

/** The format to export for a set of networks: the caller's choice if all take it, else the best they share. */
export function fitFormat(wanted: ExportMime, limits: FitLimits): ExportMime | null {
  if (limits.mimes.includes(wanted) && wanted !== 'image/png') return wanted;
  // PNG has no quality to trade for bytes, so a byte limit is met with a lossy format.
  if (wanted === 'image/png' && limits.mimes.includes('image/png') && !limits.maxBytes) return wanted;
  return limits.mimes[0] ?? null;
}
