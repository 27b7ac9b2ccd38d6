import type { AspectRatio } from '../networks/rules';
import type { NetworkId } from '../networks/ids';

/**
 * Canvas sizes each network shows best, and the crop ratios they come from. Sizes marked [doc]
 * come from the network's own help pages, [obs] from what its apps display (not documented).
 */
export const sizePresetIds = [
  'instagram-square',
  'instagram-portrait',
  'instagram-landscape',
  'story',
  'x',
  'linkedin',
  'facebook',
  'pinterest',
  'telegram',
  'vk',
  'bluesky',
] as const;
export type SizePresetId = (typeof sizePresetIds)[number];

export interface SizePreset {
  id: SizePresetId;
  width: number;
  height: number;
  ratio: AspectRatio;
  /** Where this size is meant to go, for "fit" hints and labels. */
  networks: readonly NetworkId[];
}

export const sizePresets: readonly SizePreset[] = Object.freeze([
  // [doc] Instagram: 1080 px wide, 1:1, 4:5 portrait, 1.91:1 landscape.
  { id: 'instagram-square', width: 1080, height: 1080, ratio: { width: 1, height: 1 }, networks: ['instagram'] },
  { id: 'instagram-portrait', width: 1080, height: 1350, ratio: { width: 4, height: 5 }, networks: ['instagram', 'threads'] },
  { id: 'instagram-landscape', width: 1080, height: 566, ratio: { width: 191, height: 100 }, networks: ['instagram'] },
  // [doc] Stories and Reels: 1080 × 1920.
  { id: 'story', width: 1080, height: 1920, ratio: { width: 9, height: 16 }, networks: ['instagram', 'facebook'] },
  // [doc] X: 16:9 shows uncropped in the timeline.
  { id: 'x', width: 1600, height: 900, ratio: { width: 16, height: 9 }, networks: ['x'] },
  // [doc] LinkedIn and Facebook link-style images: 1.91:1.
  { id: 'linkedin', width: 1200, height: 627, ratio: { width: 191, height: 100 }, networks: ['linkedin'] },
  { id: 'facebook', width: 1200, height: 630, ratio: { width: 191, height: 100 }, networks: ['facebook'] },
  // [doc] Pinterest: 2:3, 1000 × 1500.
  { id: 'pinterest', width: 1000, height: 1500, ratio: { width: 2, height: 3 }, networks: ['pinterest'] },
  // [obs] Telegram scales photos to 1280 px on the long side; 16:9 fills the message width.
  { id: 'telegram', width: 1280, height: 720, ratio: { width: 16, height: 9 }, networks: ['telegram'] },
  // [obs] VK's feed shows square photos largest.
  { id: 'vk', width: 1080, height: 1080, ratio: { width: 1, height: 1 }, networks: ['vk'] },
  // [obs] Bluesky's apps show one image up to 16:9 without cropping; 1200 px covers 2× screens.
  { id: 'bluesky', width: 1200, height: 675, ratio: { width: 16, height: 9 }, networks: ['bluesky'] },
]);

export function sizePreset(id: SizePresetId): SizePreset {
  return sizePresets.find((p) => p.id === id) as SizePreset;
}

/** Crop ratios offered: free, the photo's own, and each distinct preset ratio. */
export const cropRatioIds = ['free', 'original', '1:1', '4:5', '1.91:1', '9:16', '16:9', '2:3'] as const;
export type CropRatioId = (typeof cropRatioIds)[number];

const fixedRatios: Record<Exclude<CropRatioId, 'free' | 'original'>, AspectRatio> = {
  '1:1': { width: 1, height: 1 },
  '4:5': { width: 4, height: 5 },
  '1.91:1': { width: 191, height: 100 },
  '9:16': { width: 9, height: 16 },
  '16:9': { width: 16, height: 9 },
  '2:3': { width: 2, height: 3 },
};

/** Width over height for a crop ratio; null for free cropping. */
export function cropRatioValue(id: CropRatioId, original: { width: number; height: number }): number | null {
  if (id === 'free') return null;
  if (id === 'original') return original.width / original.height;
  const r = fixedRatios[id];
  return r.width / r.height;
}

/** The networks whose presets use a crop ratio, for its label. */
export function networksForRatio(id: CropRatioId): NetworkId[] {
  if (id === 'free' || id === 'original') return [];
  const r = fixedRatios[id];
  const found = new Set<NetworkId>();
  for (const p of sizePresets) if (p.ratio.width * r.height === p.ratio.height * r.width) for (const n of p.networks) found.add(n);
  return [...found];
}
