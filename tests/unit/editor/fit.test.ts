import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { combineLimits, fitFormat, fitPixels, fitToLimits, shapeProblems, type Encoder } from '../../../main/core/editor/fit';
import { networkRules, rulesFor } from '../../../main/core/networks/rules';
import type { NetworkId } from '../../../main/core/networks/ids';
import { syntheticPhoto, type SyntheticPhoto } from './synthetic-photo';

const limitsFor = (...networks: NetworkId[]) => combineLimits(networks.map((n) => networkRules[n]));

describe('limits across a post’s networks', () => {
  it('takes the strictest of each, naming the network that sets it', () => {
    const limits = limitsFor('instagram', 'bluesky', 'x', 'telegram');
    expect(limits.maxBytes).toEqual({ value: 1_000_000, network: 'bluesky' });
    expect(limits.maxWidthPlusHeight).toEqual({ value: 10_000, network: 'telegram' });
    expect(limits.maxWidth).toEqual({ value: 1440, network: 'instagram' });
    // Instagram takes JPEG only, so that is what every network can share.
    expect(limits.mimes).toEqual(['image/jpeg']);
    expect(fitFormat('image/png', limits)).toBe('image/jpeg');
    expect(fitFormat('image/webp', limitsFor('bluesky', 'x'))).toBe('image/webp');
  });

  it('uses a Mastodon account’s own server limits', () => {
    const limits = combineLimits([rulesFor('mastodon', { mastodon: { imageSizeLimit: 2_000_000, imageMatrixLimit: 8_294_400 } })]);
    expect(limits.maxBytes?.value).toBe(2_000_000);
    expect(limits.maxPixels?.value).toBe(8_294_400);
  });

  it('shrinks to the pixel limits, keeping the shape and never enlarging', () => {
    expect(fitPixels(6000, 4000, limitsFor('mastodon'))).toEqual({ width: 6000, height: 4000 });
    const big = fitPixels(12000, 8000, limitsFor('mastodon', 'telegram'));
    expect(big.width * big.height).toBeLessThanOrEqual(33_177_600);
    expect(big.width + big.height).toBeLessThanOrEqual(10_000);
    expect(big.width / big.height).toBeCloseTo(1.5, 2);
    expect(fitPixels(6000, 4000, limitsFor('instagram'))).toEqual({ width: 1440, height: 960 });
    expect(fitPixels(800, 600, limitsFor('linkedin'))).toEqual({ width: 800, height: 600 });
  });

  it('names shapes a network refuses, which only a crop can fix', () => {
    expect(shapeProblems(1080, 1920, limitsFor('instagram'))).toEqual([{ kind: 'too_tall', network: 'instagram', limit: { width: 4, height: 5 } }]);
    expect(shapeProblems(1080, 1350, limitsFor('instagram'))).toEqual([]);
    expect(shapeProblems(3000, 100, limitsFor('telegram'))).toEqual([{ kind: 'too_thin', network: 'telegram', limit: 20 }]);
  });
});

describe('fit search', () => {
  // Bytes grow with pixels and quality, like a real encoder's, so the search logic can be checked exactly.
  const model: Encoder<null> = async (w, h, q) => ({ bytes: Math.round(w * h * (0.2 + 2 * q * q)), data: null });

  it('keeps full size and top quality when it already fits', async () => {
    const result = await fitToLimits({ width: 1000, height: 1000, limits: limitsFor('telegram'), encode: model });
    expect(result).toMatchObject({ width: 1000, height: 1000, quality: 0.92 });
    expect(result.tries).toHaveLength(1);
  });

  it('lowers quality first, finding the highest that fits', async () => {
    const result = await fitToLimits({ width: 800, height: 800, limits: limitsFor('bluesky'), encode: model });
    expect(result.width).toBe(800);
    expect(result.bytes).toBeLessThanOrEqual(1_000_000);
    // One step more quality would not fit.
    expect(800 * 800 * (0.2 + 2 * (result.quality + 0.02) ** 2)).toBeGreaterThan(1_000_000);
  });

  it('shrinks when even the lowest quality is too big, and then searches quality again', async () => {
    const result = await fitToLimits({ width: 6000, height: 4000, limits: limitsFor('bluesky'), encode: model });
    expect(result.bytes).toBeLessThanOrEqual(1_000_000);
    expect(result.width).toBeLessThan(6000);
    expect(result.quality).toBeGreaterThanOrEqual(0.6);
    expect(result.width / result.height).toBeCloseTo(1.5, 2);
  });
});

describe('fit every network, on a 24-megapixel photo', () => {
  // A synthesised stand-in for a real camera photo (see synthetic-photo.ts): no real photo is available here.
  let photo: SyntheticPhoto;
  let encodes = 0;
  const jpegEncoder: Encoder<Buffer> = async (w, h, q) => {
    encodes++;
    const data = await sharp(photo.pixels, { raw: { width: photo.width, height: photo.height, channels: 3 } })
      .resize(w, h, { kernel: 'lanczos3' })
      .jpeg({ quality: Math.round(q * 100) })
      .toBuffer();
    return { bytes: data.length, data };
  };

  beforeAll(async () => {
    photo = await syntheticPhoto(6000, 4000);
    // It weighs what a real 24 MP camera JPEG does.
    expect(photo.jpeg.length).toBeGreaterThan(5_000_000);
    expect(photo.jpeg.length).toBeLessThan(16_000_000);
  }, 120_000);

  it('meets Bluesky’s 1,000,000 bytes with the largest size and quality that do', async () => {
    encodes = 0;
    const result = await fitToLimits({ width: 6000, height: 4000, limits: limitsFor('bluesky'), encode: jpegEncoder });
    expect(result.bytes).toBeLessThanOrEqual(1_000_000);
    // Not needlessly small: within a tenth of the limit.
    expect(result.bytes).toBeGreaterThan(900_000);
    expect(result.quality).toBeGreaterThanOrEqual(0.6);
    const meta = await sharp(result.data).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', result.width, result.height]);
    expect(result.width / result.height).toBeCloseTo(1.5, 2);
    expect(encodes).toBeLessThanOrEqual(16);
  }, 180_000);

  it('meets every limit of a post going to Instagram, X, Telegram and Facebook at once', async () => {
    const limits = limitsFor('instagram', 'x', 'telegram', 'facebook');
    const result = await fitToLimits({ width: 6000, height: 4000, limits, encode: jpegEncoder });
    const meta = await sharp(result.data).metadata();
    for (const network of ['instagram', 'x', 'telegram', 'facebook'] as const) {
      const image = networkRules[network].media.image;
      expect(result.bytes, network).toBeLessThanOrEqual(image.maxBytes ?? Infinity);
      expect((meta.width ?? 0) + (meta.height ?? 0), network).toBeLessThanOrEqual(image.maxWidthPlusHeight ?? Infinity);
      expect(image.mimes, network).toContain('image/jpeg');
    }
    // Instagram shrinks anything wider than 1440 itself, so no wider file is sent.
    expect(meta.width).toBe(1440);
    expect(result.quality).toBe(0.92);
  }, 180_000);
});
