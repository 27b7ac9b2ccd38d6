import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { repoRoot } from './host';

/**
 * Screenshots kept as visual baselines: a PNG under tests/e2e/baselines/ is compared pixel by
 * pixel with what Chromium draws now. A missing baseline (or OUTPOST_UPDATE_BASELINES=1) is
 * written and passes, so a new screen is looked at once and committed; a changed screen fails
 * with the actual image and a diff beside it in test-results/.
 */

export const baselineDir = join(repoRoot, 'tests/e2e/baselines');
const resultDir = join(repoRoot, 'test-results/baselines');

export interface VisualOptions {
  /** A pixel differs when any channel (0–255) differs by more than this. */
  threshold?: number;
  /** The share of differing pixels (0–1) above which the comparison fails. */
  maxDiffRatio?: number;
  /** A page's whole scrollable height rather than its window (pages only). */
  fullPage?: boolean;
}

export interface Comparison {
  width: number;
  height: number;
  differing: number;
  ratio: number;
  /** Red where the pixels differ, the baseline faded to grey elsewhere. */
  diff: Buffer;
}

async function rgba(png: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Counts the pixels of two same-sized PNGs whose channels differ by more than `threshold`. */
export async function comparePng(actualPng: Buffer, baselinePng: Buffer, threshold: number): Promise<Comparison | { sizeMismatch: string }> {
  const [actual, baseline] = await Promise.all([rgba(actualPng), rgba(baselinePng)]);
  if (actual.width !== baseline.width || actual.height !== baseline.height) {
    return { sizeMismatch: `${actual.width}×${actual.height} drawn, ${baseline.width}×${baseline.height} in the baseline` };
  }
  const diff = Buffer.alloc(actual.data.length);
  let differing = 0;
  for (let i = 0; i < actual.data.length; i += 4) {
    let worst = 0;
    for (let c = 0; c < 4; c++) worst = Math.max(worst, Math.abs((actual.data[i + c] as number) - (baseline.data[i + c] as number)));
    if (worst > threshold) {
      differing++;
      diff.set([255, 0, 0, 255], i);
    } else {
      const grey = Math.round(((baseline.data[i] as number) + (baseline.data[i + 1] as number) + (baseline.data[i + 2] as number)) / 3);
      const faded = 255 - Math.round((255 - grey) / 4);
      diff.set([faded, faded, faded, 255], i);
    }
  }
  const pixels = actual.width * actual.height;
  const diffPng = await sharp(diff, { raw: { width: actual.width, height: actual.height, channels: 4 } }).png().toBuffer();
  return { width: actual.width, height: actual.height, differing, ratio: pixels === 0 ? 0 : differing / pixels, diff: diffPng };
}

/**
 * An element's box in whole pixels, its size rounded on its own: content above that ends at a
 * different fraction of a pixel (a warning shown or not) must not make the picture a pixel taller.
 */
async function elementShot(target: Locator): Promise<Buffer> {
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  if (!box) throw new Error(`${target} is not laid out, so it cannot be compared with its baseline.`);
  const clip = { x: Math.round(box.x), y: Math.round(box.y), width: Math.round(box.width), height: Math.round(box.height) };
  return target.page().screenshot({ clip, animations: 'disabled', caret: 'hide' });
}

/**
 * Compares a screenshot of the page (or of one element) with tests/e2e/baselines/<name>.png.
 * Throws, naming the actual and diff images, when more than `maxDiffRatio` of the pixels differ.
 */
export async function expectMatchesBaseline(target: Page | Locator, name: string, options: VisualOptions = {}): Promise<void> {
  const threshold = options.threshold ?? 32;
  const maxDiffRatio = options.maxDiffRatio ?? 0.015;
  const shot = { animations: 'disabled', caret: 'hide' } as const;
  const actual = 'goto' in target ? await target.screenshot({ ...shot, fullPage: options.fullPage ?? false }) : await elementShot(target);
  const baselinePath = join(baselineDir, `${name}.png`);
  const shown = relative(repoRoot, baselinePath);
  const missing = !existsSync(baselinePath);
  if (missing || process.env.OUTPOST_UPDATE_BASELINES === '1') {
    mkdirSync(dirname(baselinePath), { recursive: true });
    writeFileSync(baselinePath, actual);
    console.log(`Visual baseline ${shown} ${missing ? 'was missing: written' : 'rewritten (OUTPOST_UPDATE_BASELINES=1)'}; look at it before committing.`);
    return;
  }
  const outcome = await comparePng(actual, readFileSync(baselinePath), threshold);
  if ('sizeMismatch' in outcome || outcome.ratio > maxDiffRatio) {
    mkdirSync(resultDir, { recursive: true });
    const actualPath = join(resultDir, `${name}.actual.png`);
    writeFileSync(actualPath, actual);
    if ('sizeMismatch' in outcome) {
      throw new Error(`Screenshot ${name} is not the size of ${shown}: ${outcome.sizeMismatch}. Drawn: ${relative(repoRoot, actualPath)}.`);
    }
    const diffPath = join(resultDir, `${name}.diff.png`);
    writeFileSync(diffPath, outcome.diff);
    const percent = (outcome.ratio * 100).toFixed(2);
    throw new Error(
      `Screenshot ${name} differs from ${shown} in ${outcome.differing} pixels (${percent} %, at most ${(maxDiffRatio * 100).toFixed(2)} % allowed). ` +
        `Drawn: ${relative(repoRoot, actualPath)}; differences in red: ${relative(repoRoot, diffPath)}. ` +
        'If the change is meant, run again with OUTPOST_UPDATE_BASELINES=1 and look at the new baseline before committing it.',
    );
  }
}
