import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, render } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import type { PostMediaItem } from '../../main/core/contract';
import { PinterestPreview } from '../../renderer/src/features/compose/PinterestPreview';
import { initI18n } from '../../renderer/src/i18n/i18n';

/**
 * The pin card as Chromium draws it with the app's own stylesheets, light and dark, saved to
 * test-results/screenshots/pinterest-preview-{light,dark}.png to be looked at. The card is
 * rendered here and its HTML put in a bare page, so no host or build is needed.
 */

const chromiumPath = process.env.OUTPOST_CHROMIUM ?? '/usr/bin/chromium';
const root = join(import.meta.dirname, '../..');
const css = ['renderer/src/styles.css', 'renderer/src/features/compose/compose.css', 'renderer/src/features/compose/pinterest-preview.css'].map((p) => readFileSync(join(root, p), 'utf8')).join('\n');

/** A 2:3 stand-in photo: a salad bowl in flat colours. */
const photo = `data:image/svg+xml;utf8,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1500"><rect width="1000" height="1500" fill="#f3e9d2"/><circle cx="500" cy="800" r="380" fill="#ffffff"/><circle cx="500" cy="800" r="330" fill="#6a994e"/><circle cx="420" cy="720" r="70" fill="#bc4749"/><circle cx="600" cy="860" r="60" fill="#f2e8cf"/><circle cx="560" cy="680" r="45" fill="#a7c957"/></svg>',
)}`;

afterEach(cleanup);

describe.skipIf(!existsSync(chromiumPath))('the pin card, looked at in Chromium', () => {
  it('light and dark: image with Save, domain, title, description, board', { timeout: 60_000 }, async () => {
    const i18n = await initI18n('en');
    const media: PostMediaItem[] = [1, 2, 3].map((n) => ({ mediaId: `m${n}`, mime: 'image/png', bytes: 1000, width: 1000, height: 1500, durationMs: null, fileName: `salad-${n}.png`, altText: 'A bowl of green salad' }));
    const { container } = render(
      <I18nextProvider i18n={i18n}>
        <PinterestPreview
          displayName="Summer recipes"
          handle="bakery_lenina › Summer recipes"
          text={'Crisp summer salad in ten minutes: cucumbers, radish, dill and a lemon dressing. #salad #summer'}
          media={media}
          options={{ title: 'Green salad in ten minutes', link: 'https://www.bakery.example/recipes/salad' }}
        />
      </I18nextProvider>,
    );
    const html = container.innerHTML.replace(/<img([^>]*?) src="[^"]*"/g, `<img$1 src="${photo}"`);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const dir = join(root, 'test-results/screenshots');
      mkdirSync(dir, { recursive: true });
      for (const scheme of ['light', 'dark'] as const) {
        const page = await browser.newPage({ viewport: { width: 420, height: 900 }, colorScheme: scheme });
        await page.setContent(`<!doctype html><html><head><style>${css}</style></head><body style="padding:24px">${html}</body></html>`);
        const card = page.locator('.preview-pinterest');
        const box = (await card.boundingBox())!;
        const save = (await page.locator('.pin-save').boundingBox())!;
        const image = (await page.locator('.pin-media').boundingBox())!;
        // Save sits inside the image's top end corner; the card keeps Pinterest's narrow column.
        expect(save.x + save.width).toBeLessThanOrEqual(image.x + image.width);
        expect(save.y).toBeGreaterThanOrEqual(image.y);
        expect(box.width).toBeLessThanOrEqual(340);
        expect(await page.locator('.pin-title').evaluate((e) => getComputedStyle(e).fontWeight)).toBe('700');
        await card.screenshot({ path: join(dir, `pinterest-preview-${scheme}.png`) });
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});
