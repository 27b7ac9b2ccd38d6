import sharp from 'sharp';

/**
 * A stand-in for a real 24-megapixel camera photo, built on the spot with sharp because the
 * repository carries no large binaries and no real photo is available here. It layers detail
 * at every scale, as a photographed scene has: broad colour fields (sky, ground), mid-size
 * texture (foliage, fabric), fine detail down to single pixels (leaves, grass), hard-edged
 * shapes (buildings, objects) and sensor grain. Saved as a camera would (JPEG quality 92), it
 * takes about 3 bits a pixel, the range of real 24 MP photos (8–12 MB), so encoders have as
 * much work to do as with a real one.
 */
export interface SyntheticPhoto {
  width: number;
  height: number;
  /** Raw RGB pixels. */
  pixels: Buffer;
  /** As a camera saves it. */
  jpeg: Buffer;
}

function noise(width: number, height: number, sigma: number) {
  return sharp({ create: { width, height, channels: 3, background: { r: 0, g: 0, b: 0 }, noise: { type: 'gaussian', mean: 128, sigma } } });
}

async function field(width: number, height: number, cells: [number, number], channels: 1 | 3, sigma: number): Promise<Buffer> {
  const image = noise(cells[0], cells[1], sigma).resize(width, height, { kernel: 'cubic' });
  // One channel of independent noise is noise too.
  return (channels === 1 ? image.extractChannel(0) : image).raw().toBuffer();
}

function shapesSvg(width: number, height: number, seed: number): Buffer {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const parts: string[] = [];
  for (let i = 0; i < 60; i++) {
    const x = rand() * width;
    const y = height * 0.35 + rand() * height * 0.65;
    const w = 40 + rand() * width * 0.08;
    const h = 40 + rand() * height * 0.25;
    const shade = Math.floor(60 + rand() * 150);
    parts.push(`<rect x="${x.toFixed(0)}" y="${y.toFixed(0)}" width="${w.toFixed(0)}" height="${h.toFixed(0)}" fill="rgb(${shade},${Math.floor(shade * 0.9)},${Math.floor(shade * 0.8)})" fill-opacity="0.6"/>`);
  }
  for (let i = 0; i < 40; i++) {
    parts.push(`<circle cx="${(rand() * width).toFixed(0)}" cy="${(height * 0.5 + rand() * height * 0.5).toFixed(0)}" r="${(10 + rand() * 160).toFixed(0)}" fill="rgb(${Math.floor(40 + rand() * 80)},${Math.floor(80 + rand() * 90)},40)" fill-opacity="0.6"/>`);
  }
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`);
}

/** Sky at the top, a hazy horizon, darker ground below: the colours of an ordinary outdoor photo. */
function baseColour(t: number): [number, number, number] {
  const stops: [number, [number, number, number]][] = [
    [0, [118, 158, 206]],
    [0.42, [196, 204, 210]],
    [0.5, [150, 150, 120]],
    [1, [62, 84, 44]],
  ];
  for (let i = 1; i < stops.length; i++) {
    const [t1, c1] = stops[i] as [number, [number, number, number]];
    const [t0, c0] = stops[i - 1] as [number, [number, number, number]];
    if (t <= t1) {
      const k = (t - t0) / (t1 - t0);
      return [c0[0] + (c1[0] - c0[0]) * k, c0[1] + (c1[1] - c0[1]) * k, c0[2] + (c1[2] - c0[2]) * k];
    }
  }
  return stops[stops.length - 1]![1];
}

export async function syntheticPhoto(width = 6000, height = 4000, seed = 7): Promise<SyntheticPhoto> {
  const [light, tint, mid, fine, grain] = await Promise.all([
    field(width, height, [24, 16], 1, 50),
    field(width, height, [12, 8], 3, 30),
    field(width, height, [Math.round(width / 8), Math.round(height / 8)], 1, 45),
    field(width, height, [Math.round(width / 2), Math.round(height / 2)], 1, 45),
    noise(width, height, 4).extractChannel(0).raw().toBuffer(),
  ]);
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0, p = 0; y < height; y++) {
    const t = y / height;
    const base = baseColour(t);
    // The sky is smooth; the ground below the horizon carries the texture.
    const texture = t < 0.45 ? 0.15 : 1;
    for (let x = 0; x < width; x++, p++) {
      const q = p * 3;
      const shade = ((light[p] as number) - 128) * 0.7 + ((grain[p] as number) - 128);
      const detail = (((mid[p] as number) - 128) + ((fine[p] as number) - 128) * 0.8) * texture;
      for (let c = 0; c < 3; c++) {
        const v = (base[c] as number) + shade + detail + ((tint[q + c] as number) - 128) * 0.5;
        pixels[q + c] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
  const composed = await sharp(pixels, { raw: { width, height, channels: 3 } })
    .composite([{ input: shapesSvg(width, height, seed), blend: 'over' }])
    .removeAlpha()
    .raw()
    .toBuffer();
  const jpeg = await sharp(composed, { raw: { width, height, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();
  return { width, height, pixels: composed, jpeg };
}
