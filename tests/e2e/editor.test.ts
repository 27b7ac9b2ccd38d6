import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/locales/en.json';
import { syntheticPhoto } from '../unit/editor/synthetic-photo';
import { launchBrowser, openPage, screenshot, screenshotDir, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, makeDataDir, removeDataDirs, startHost, type RunningHost } from './support/host';

/**
 * The freelancer's last step before a post goes out, in the real UI in Chromium: open a photo,
 * crop it to 4:5, put an English and a Hebrew line on it, warm it up with a filter, change
 * their mind and back (undo, redo), export it fitted to the post's networks, and find the new
 * image in the library and on the post, its design saved beside it. Then the awkward cases:
 * a damaged file, a 105-megapixel photo, a size too big for memory, templates, and the tools.
 * Controls are found by role and name, as a screen reader finds them.
 */

let browser: Browser;
let host: RunningHost;
let dataDir: string;
let page: Page;
let problems: PageProblems;
let closePage: () => Promise<void>;
let projectId: string;
let postId: string;
let photoId: string;

type Ok<T> = { ok: true; value: T };
interface MediaRow {
  id: string;
  fileName: string;
  mime: string;
  bytes: number;
  width: number;
  height: number;
}

const t = (text: string, values: Record<string, string | number> = {}) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key]));
const e = en.editor;

async function call<T>(name: string, args: unknown): Promise<T> {
  const reply = (await invokeHost(host, name, args)) as Ok<T> | { ok: false; error: unknown };
  if (!reply.ok) throw new Error(`${name}: ${JSON.stringify(reply.error)}`);
  return reply.value;
}

/** Into the Harbour Café's own library, as the Media page would put it. */
async function importBytes(bytes: Buffer, fileName: string): Promise<string> {
  const upload = (await (
    await fetch(`${host.origin}/api/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-outpost-token': host.token }, body: new Uint8Array(bytes) })
  ).json()) as Ok<{ uploadId: string }>;
  const [outcome] = await call<{ ok: boolean; media: { id: string } }[]>('media.import', { files: [{ uploadId: upload.value.uploadId, fileName }], projectId });
  if (!outcome?.ok) throw new Error(`import of ${fileName} failed: ${JSON.stringify(outcome)}`);
  return outcome.media.id;
}

/** Accounts go straight into the store: connecting one needs the network, which tests do elsewhere. */
function seedAccounts(): void {
  const db = new Database(join(dataDir, 'outpost.db'));
  db.pragma('busy_timeout = 5000');
  const insert = db.prepare(
    `INSERT INTO accounts (id, project_id, network, handle, display_name, status, created_at, updated_at, remote_key)
     VALUES (?, ?, ?, ?, ?, 'connected', 0, 0, ?)`,
  );
  insert.run('acc-bluesky', projectId, 'bluesky', '@harbour.bsky.social', 'Harbour Café', 'acc-bluesky');
  insert.run('acc-instagram', projectId, 'instagram', '@harbourcafe', 'Harbour Café', 'acc-instagram');
  db.close();
}

const canvas = () => page.locator('.upper-canvas');
const toolButton = (name: string) => page.getByRole('toolbar', { name: e.toolbar.label }).getByRole('button', { name, exact: true });
const layerButtons = () => page.getByRole('list', { name: e.layers.list }).getByRole('listitem');

async function clickCanvas(fx: number, fy: number): Promise<void> {
  const box = await canvas().boundingBox();
  if (!box) throw new Error('no canvas');
  await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
}

async function openEditor(): Promise<void> {
  await page.getByRole('link', { name: en.nav.editor }).click();
  await page.getByRole('heading', { level: 1, name: en.pages.editor.title }).waitFor();
}

async function openPhoto(fileName: string): Promise<void> {
  await page.getByRole('button', { name: t(e.start.edit, { name: fileName }) }).click();
  await page.getByRole('toolbar', { name: e.toolbar.label }).waitFor();
}

async function closeImage(): Promise<void> {
  await toolButton(e.toolbar.close).click();
  await page.getByRole('heading', { level: 2, name: e.start.photoHeading }).waitFor();
}

async function canvasLabel(): Promise<string> {
  return (await page.getByRole('img', { name: /^Design, / }).getAttribute('aria-label')) ?? '';
}

async function typeNewText(fx: number, fy: number, text: string): Promise<void> {
  await toolButton(e.tools.text).click();
  await clickCanvas(fx, fy);
  await page.keyboard.type(text);
  await page.keyboard.press('Escape');
}

beforeAll(async () => {
  browser = await launchBrowser();
  dataDir = makeDataDir();
  host = await startHost({ dataDir });
  projectId = (await call<{ id: string }>('projects.create', { name: 'Harbour Café', color: '#0891b2', timezone: 'Asia/Jerusalem' })).id;
  seedAccounts();
  const post = await call<{ id: string }>('posts.create', {
    projectId,
    body: 'Summer menu is here',
    targets: [{ accountId: 'acc-bluesky' }, { accountId: 'acc-instagram' }],
  });
  postId = post.id;
  // A synthesised photo (see synthetic-photo.ts): no real photo is available on this machine.
  const photo = await syntheticPhoto(3000, 2000, 11);
  photoId = await importBytes(photo.jpeg, 'harbour.jpg');
  await call('media.update', { id: photoId, altText: 'Fishing boats moored in the harbour at dawn' });
  ({ page, problems, close: closePage } = await openPage(browser));
  await page.goto(host.url);
}, 120_000);

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
});

describe('image editor, end to end', () => {
  let exported: MediaRow;

  it('crops a photo to 4:5, adds English and Hebrew text and a filter, undoes and redoes, and exports it onto the post', async () => {
    // The post being composed: open it in Compose first.
    await page.getByRole('link', { name: en.nav.compose }).click();
    await page.getByRole('button', { name: /Summer menu is here/ }).click();
    await page.getByRole('textbox', { name: en.compose.editor.post }).waitFor();

    await openEditor();
    await screenshot(page, 'editor-start-light');
    await openPhoto('harbour.jpg');
    expect(await canvasLabel()).toContain('3000 × 2000');

    await toolButton(e.tools.crop).click();
    await page.getByRole('radio', { name: new RegExp(`^${e.crop.ratios.r4x5}`) }).check();
    await screenshot(page, 'editor-crop-light');
    await page.getByRole('button', { name: e.crop.apply }).click();
    await expect.poll(canvasLabel).toContain('1600 × 2000');

    await typeNewText(0.5, 0.3, 'Summer sale');
    await typeNewText(0.5, 0.62, 'מבצע קיץ');
    await expect.poll(() => layerButtons().count()).toBe(2);
    // Typed in place on the canvas, the text reached the design (and the properties panel).
    await layerButtons().first().getByRole('button', { name: `${e.layerTypes.text}: מבצע קיץ`, exact: true }).click();
    expect(await page.getByRole('textbox', { name: e.props.text }).inputValue()).toBe('מבצע קיץ');

    const sepia = page.getByRole('slider', { name: e.filters.sepia });
    await sepia.fill('60');
    await screenshot(page, 'editor-edited-light');

    // Undo takes the filter off, then the Hebrew line; redo puts both back.
    await page.keyboard.press('Control+z');
    await expect.poll(() => sepia.inputValue()).toBe('0');
    await page.keyboard.press('Control+z');
    await expect.poll(() => layerButtons().count()).toBe(1);
    await page.keyboard.press('Control+Shift+z');
    await page.keyboard.press('Control+y');
    await expect.poll(() => layerButtons().count()).toBe(2);
    await expect.poll(() => sepia.inputValue()).toBe('60');

    await toolButton(e.toolbar.export).click();
    const dialog = page.getByRole('dialog', { name: e.export.title });
    // The post goes to Bluesky and Instagram: both limits apply, and the file goes onto the post.
    expect(await dialog.getByRole('checkbox', { name: e.export.fitPost }).isChecked()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: t(e.export.attach, { post: 'Summer menu is here' }) }).isChecked()).toBe(true);
    await dialog.getByText(t(e.export.limitBytes, { size: '1 MB', network: 'Bluesky' })).waitFor();
    await screenshot(page, 'editor-export-light');
    await dialog.getByRole('button', { name: e.export.run, exact: true }).click();
    const status = dialog.getByRole('status').filter({ hasText: /attached it to the post/ });
    await status.waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: e.close }).click();

    const library = await call<MediaRow[]>('media.list', { kind: 'image' });
    exported = library.find((m) => m.fileName === 'harbour-edited.jpg') as MediaRow;
    expect(exported).toBeDefined();
    expect(exported.mime).toBe('image/jpeg');
    expect(exported.bytes).toBeLessThanOrEqual(1_000_000);
    // Instagram shrinks anything wider than 1440 px, so nothing wider is sent; the shape stays 4:5.
    expect(exported.width).toBeLessThanOrEqual(1440);
    expect(exported.width / exported.height).toBeCloseTo(0.8, 2);

    const post = await call<{ media: { mediaId: string }[] }>('posts.get', { id: postId });
    expect(post.media.map((m) => m.mediaId)).toContain(exported.id);
    expect(problems.messages).toEqual([]);
  }, 120_000);

  it('shows the new image in the library and on the post', async () => {
    await page.getByRole('link', { name: en.nav.media }).click();
    await page.getByText('harbour-edited.jpg').first().waitFor();
    await page.getByRole('link', { name: en.nav.compose }).click();
    const strip = page.getByRole('region', { name: en.compose.media.title });
    // Shown by its alt text, which the edited copy took over from the photo.
    await strip.getByRole('img', { name: 'Fishing boats moored in the harbour at dawn' }).first().waitFor();
  });

  it('saved a picture with the crop, text and filter, and never touched the original', async () => {
    const file = Buffer.from(await (await fetch(`${host.origin}/api/media/${exported.id}/file?token=${host.token}`)).arrayBuffer());
    expect((await sharp(file).metadata()).width).toBe(exported.width);
    const stored = await call<{ sha256: string }>('media.get', { id: photoId });
    const original = readdirSync(join(dataDir, 'media', stored.sha256.slice(0, 2)));
    expect(original).toContain(stored.sha256);
    const originalBytes = readFileSync(join(dataDir, 'media', stored.sha256.slice(0, 2), stored.sha256));
    expect(createHash('sha256').update(originalBytes).digest('hex')).toBe(stored.sha256);

    {
      const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
      let r = 0;
      let b = 0;
      for (let i = 0; i < data.length; i += info.channels) {
        r += data[i] as number;
        b += data[i + 2] as number;
      }
      // Sepia warms every pixel: red well above blue.
      expect(r / b).toBeGreaterThan(1.15);
      // Kept beside the screenshots, to be looked at.
      mkdirSync(screenshotDir, { recursive: true });
      writeFileSync(join(screenshotDir, 'editor-exported.jpg'), file);
    }

    const opened = await call<{ design: { width: number; height: number; photo: { mediaId: string; filters: { sepia: number } }; layers: { type: string; text?: string }[] } }>(
      'editor.open',
      { mediaId: exported.id },
    );
    expect(opened.design.photo.mediaId).toBe(photoId);
    expect(opened.design.photo.filters.sepia).toBe(60);
    expect(opened.design.width / opened.design.height).toBeCloseTo(0.8, 3);
    expect(opened.design.layers.map((l) => l.text)).toEqual(['Summer sale', 'מבצע קיץ']);
  });

  it('reopens the exported image as its design: layers still editable', async () => {
    await openEditor();
    await closeImage().catch(() => {});
    await openPhoto('harbour-edited.jpg');
    await expect.poll(() => layerButtons().count()).toBe(2);
    expect(await canvasLabel()).toContain('1600 × 2000');
    expect(await page.getByRole('slider', { name: e.filters.sepia }).inputValue()).toBe('60');
    await closeImage();
  });

  it("gave the edited copy the photo's alt text and project", async () => {
    expect(await call<{ altText: string; projectId: string | null }>('media.get', { id: exported.id })).toMatchObject({
      altText: 'Fishing boats moored in the harbour at dawn',
      projectId,
    });
  });

  it('opened from the composer: says how to place text, cuts layer names at their end, and goes back to the post', async () => {
    await page.getByRole('link', { name: en.nav.compose }).click();
    await page.getByRole('button', { name: t(en.compose.media.edit, { name: 'harbour-edited.jpg' }) }).first().click();
    await page.getByRole('toolbar', { name: e.toolbar.label }).waitFor();
    const back = page.getByRole('button', { name: e.toolbar.backToPost });
    await back.waitFor();

    const hint = page.getByRole('status').filter({ hasText: e.toolHints.text });
    await toolButton(e.tools.text).click();
    await hint.waitFor();
    await clickCanvas(0.5, 0.85);
    await hint.waitFor({ state: 'hidden' });
    await page.keyboard.type('חלות טריות כל בוקר, אפויות באהבה במאפייה השכונתית שלנו 🥖');
    await page.keyboard.press('Escape');
    await expect.poll(() => layerButtons().count()).toBe(3);

    // The Hebrew words are their own right-to-left run, cut at their end: the ellipsis is on their left.
    const words = page.getByRole('list', { name: e.layers.list }).locator('.editor-layer-words').first();
    const cut = await words.evaluate((el) => ({ dir: getComputedStyle(el).direction, overflowing: el.scrollWidth > el.clientWidth, overflow: getComputedStyle(el).textOverflow }));
    expect(cut).toEqual({ dir: 'rtl', overflowing: true, overflow: 'ellipsis' });
    const layersPanel = page.getByRole('region', { name: e.layers.heading });
    const shoot = async (name: string) => {
      await layersPanel.scrollIntoViewIfNeeded();
      mkdirSync(screenshotDir, { recursive: true });
      await layersPanel.screenshot({ path: join(screenshotDir, `${name}.png`) });
    };
    await shoot('editor-layers-hebrew-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shoot('editor-layers-hebrew-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate(() => {
      document.documentElement.dir = 'rtl';
    });
    await shoot('editor-layers-rtl-light');
    await toolButton(e.tools.text).click();
    await hint.waitFor();
    await screenshot(page, 'editor-text-hint-rtl-light');
    await page.keyboard.press('Escape');
    await page.evaluate(() => {
      document.documentElement.dir = 'ltr';
    });
    await toolButton(e.tools.text).click();
    await screenshot(page, 'editor-text-hint-light');
    await page.keyboard.press('Escape');

    await back.click();
    await page.getByRole('heading', { level: 1, name: en.pages.compose.title }).waitFor();
    expect(await page.getByRole('textbox', { name: en.compose.editor.post }).textContent()).toContain('Summer menu is here');

    // The composer's emoji are pictures in colour, the bundled Twemoji, not the OS's font.
    await page.getByRole('button', { name: en.compose.toolbar.emoji, exact: true }).click();
    const picker = page.getByRole('dialog', { name: en.compose.emoji.title });
    const grinning = picker.getByRole('button', { name: 'grinning face', exact: true });
    await expect.poll(() => grinning.locator('img').evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0)).toBe(true);
    await screenshot(page, 'composer-emoji-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'composer-emoji-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.keyboard.press('Escape');

    // Going back left the design open in the editor, the new line with it.
    await openEditor();
    await expect.poll(() => layerButtons().count()).toBe(3);
    await closeImage();
  }, 90_000);
});

describe('tools on a blank canvas', () => {
  const layerNamed = (name: string) => page.getByRole('list', { name: e.layers.list }).getByRole('button', { name, exact: true });
  const selectedNames = async () =>
    page.getByRole('list', { name: e.layers.list }).locator('.editor-layer-name[aria-pressed="true"]').allTextContents();

  it('opens a network preset, draws shapes, a sticker and a logo, and arranges them in the layers panel', async () => {
    const logoId = await importBytes(
      await sharp({ create: { width: 400, height: 200, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 0 } } })
        .composite([{ input: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200"><rect x="10" y="10" width="380" height="180" rx="40" fill="#0891b2"/><text x="200" y="125" font-size="80" text-anchor="middle" fill="white" font-family="sans-serif">LOGO</text></svg>') }])
        .png()
        .toBuffer(),
      'logo.png',
    );
    expect(logoId).toBeTruthy();
    await openEditor();
    await page.getByRole('button', { name: new RegExp(`^${e.presets['instagram-portrait'].replace(/[()]/g, '\\$&')}`) }).click();
    await page.getByRole('toolbar', { name: e.toolbar.label }).waitFor();
    expect(await canvasLabel()).toContain('1080 × 1350');

    // Drawn by dragging on the canvas: a rectangle across the top third.
    const box = (await canvas().boundingBox())!;
    await toolButton(e.tools.rect).click();
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.15);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.3, { steps: 5 });
    await page.mouse.up();
    await toolButton(e.tools.ellipse).click();
    await clickCanvas(0.5, 0.5);
    await toolButton(e.tools.arrow).click();
    await page.mouse.move(box.x + box.width * 0.42, box.y + box.height * 0.7);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.58, box.y + box.height * 0.8, { steps: 5 });
    await page.mouse.up();
    await toolButton(e.toolbar.sticker).click();
    await page.getByRole('button', { name: t(e.stickers.add, { emoji: '🎉' }) }).click();
    await toolButton(e.toolbar.logo).click();
    await page.getByRole('dialog', { name: e.logo.title }).getByRole('button', { name: t(e.logo.add, { name: 'logo.png' }) }).click();
    await expect.poll(() => layerButtons().count()).toBe(5);
    const names = await page.getByRole('list', { name: e.layers.list }).locator('.editor-layer-name').allTextContents();
    expect(names).toEqual([e.layerTypes.image, `${e.layerTypes.sticker} 🎉`, e.layerTypes.arrow, e.layerTypes.ellipse, e.layerTypes.rect]);

    // The logo starts half see-through; make it a faint watermark.
    await layerNamed(e.layerTypes.image).click();
    const opacity = page.getByRole('slider', { name: e.props.opacity });
    expect(await opacity.inputValue()).toBe('80');
    await opacity.fill('35');

    // Rename, hide, lock, reorder.
    await page.getByRole('button', { name: t(e.layers.rename, { name: e.layerTypes.rect }) }).click();
    const nameBox = page.getByRole('textbox', { name: t(e.layers.nameFor, { name: e.layerTypes.rect }) });
    await nameBox.fill('Price tag');
    await nameBox.press('Enter');
    await layerNamed('Price tag').waitFor();
    await page.getByRole('button', { name: t(e.layers.hide, { name: e.layerTypes.ellipse }) }).click();
    expect(await page.getByRole('button', { name: t(e.layers.hide, { name: e.layerTypes.ellipse }) }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: t(e.layers.lock, { name: e.layerTypes.arrow }) }).click();
    await page.getByRole('button', { name: t(e.layers.up, { name: 'Price tag' }) }).click();
    const order = await page.getByRole('list', { name: e.layers.list }).locator('.editor-layer-name').allTextContents();
    expect(order.slice(-2)).toEqual(['Price tag', e.layerTypes.ellipse]);

    // Multi-select with Shift, align their left edges, distribute needs three.
    await layerNamed('Price tag').click();
    await layerNamed(`${e.layerTypes.sticker} 🎉`).click({ modifiers: ['Shift'] });
    await layerNamed(e.layerTypes.image).click({ modifiers: ['Shift'] });
    expect(await selectedNames()).toHaveLength(3);
    await page.getByRole('button', { name: e.layers.aligns.left }).click();
    await page.getByRole('button', { name: e.layers.distribute.vertical }).click();
    await screenshot(page, 'editor-tools-light');
  }, 90_000);

  it('keyboard: nudges, copies and pastes, duplicates, deletes, undoes — with Ctrl here, ⌘ on a Mac', async () => {
    await layerNamed(`${e.layerTypes.sticker} 🎉`).click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(() => layerButtons().count()).toBe(6);
    await page.keyboard.press('Control+d');
    await expect.poll(() => layerButtons().count()).toBe(7);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Delete');
    await expect.poll(() => layerButtons().count()).toBe(6);
    // Undo the delete, then the nudges (a run of arrow presses is one step), then the duplicate.
    await page.keyboard.press('Control+z');
    await expect.poll(() => layerButtons().count()).toBe(7);
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect.poll(() => layerButtons().count()).toBe(6);
    // Meta is not the modifier on Linux: ⌘Z does nothing here.
    await page.keyboard.press('Meta+z');
    expect(await layerButtons().count()).toBe(6);
    // Zoom by keyboard and by the buttons.
    const zoom = page.getByRole('status', { name: e.toolbar.zoomLevel }).or(page.locator('output.editor-zoom'));
    const before = await zoom.first().textContent();
    await page.keyboard.press('Control+=');
    await expect.poll(() => zoom.first().textContent()).not.toBe(before);
    await page.getByRole('button', { name: e.toolbar.fit }).click();
    await expect.poll(() => zoom.first().textContent()).toBe(before);
  });

  it('snaps a dragged layer to the canvas centre line', async () => {
    await layerNamed('Price tag').click();
    const x = Number(await page.getByRole('spinbutton', { name: e.props.x }).inputValue());
    const y = Number(await page.getByRole('spinbutton', { name: e.props.y }).inputValue());
    const box = (await canvas().boundingBox())!;
    // The view is fitted: 32 px margins (64 below, for the zoom bar), the 1080 × 1350 canvas centred in them.
    const zoom = Math.min((box.width - 64) / 1080, (box.height - 96) / 1350);
    const left = box.x + (box.width - 1080 * zoom) / 2;
    const top = box.y + 32 + (box.height - 96 - 1350 * zoom) / 2;
    await page.mouse.move(left + x * zoom, top + y * zoom);
    await page.mouse.down();
    // Let go 3 screen pixels right of the centre line: close enough to snap onto it.
    await page.mouse.move(left + 540 * zoom + 20, top + (y + 100) * zoom, { steps: 4 });
    await page.mouse.move(left + 540 * zoom + 3, top + (y + 100) * zoom, { steps: 4 });
    await page.mouse.up();
    await expect.poll(async () => Number(await page.getByRole('spinbutton', { name: e.props.x }).inputValue())).toBe(540);
    expect(Number(await page.getByRole('spinbutton', { name: e.props.y }).inputValue())).toBeCloseTo(y + 100, -1);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => Number(await page.getByRole('spinbutton', { name: e.props.x }).inputValue())).toBe(x);
  });

  it('saves the design as a template and applies it to a new photo in one step', async () => {
    await toolButton(e.tools.text).click();
    await clickCanvas(0.5, 0.9);
    await page.keyboard.type('Headline here');
    await page.keyboard.press('Escape');
    await layerNamed(`${e.layerTypes.text}: Headline here`).click();
    await page.getByRole('checkbox', { name: e.props.placeholder }).check();
    await toolButton(e.toolbar.saveTemplate).click();
    const save = page.getByRole('dialog', { name: e.template.title });
    await save.getByRole('textbox', { name: e.template.name }).fill('Weekly special');
    await save.getByRole('button', { name: e.template.save }).click();
    await save.waitFor({ state: 'detached' });
    await closeImage();

    // The template holds the arranged design: the three aligned layers share a left edge.
    type Placed = { name: string; type: string; x: number; width?: number; size?: number; scaleX: number; hidden: boolean; locked: boolean; opacity: number; placeholder?: boolean };
    const [template] = await call<{ name: string; design: { layers: Placed[] } }[]>('editor.templates', {});
    const layers = template!.design.layers;
    const left = (l: Placed) => l.x - ((l.width ?? l.size ?? 0) * l.scaleX) / 2;
    const aligned = [layers.find((l) => l.name === 'Price tag'), layers.find((l) => l.type === 'sticker'), layers.find((l) => l.type === 'image')] as Placed[];
    expect(Math.max(...aligned.map(left)) - Math.min(...aligned.map(left))).toBeLessThan(1.5);
    expect(layers.find((l) => l.type === 'ellipse')?.hidden).toBe(true);
    expect(layers.find((l) => l.type === 'arrow')?.locked).toBe(true);
    expect(layers.find((l) => l.type === 'image')?.opacity).toBe(0.35);
    expect(layers.find((l) => l.type === 'text')).toMatchObject({ placeholder: true });

    await page.getByRole('button', { name: t(e.start.applyTemplate, { name: 'Weekly special' }) }).click();
    const apply = page.getByRole('dialog', { name: t(e.applyTemplate.title, { name: 'Weekly special' }) });
    await apply.getByRole('button', { name: t(e.applyTemplate.usePhoto, { name: 'harbour.jpg' }) }).click();
    await apply.getByRole('textbox', { name: t(e.applyTemplate.textN, { n: 1 }) }).fill('Lemonade week');
    await apply.getByRole('button', { name: e.applyTemplate.apply }).click();
    await page.getByRole('toolbar', { name: e.toolbar.label }).waitFor();
    expect(await canvasLabel()).toContain('1080 × 1350');
    await layerNamed(`${e.layerTypes.text}: Lemonade week`).waitFor();
    await screenshot(page, 'editor-template-applied-light');
    await closeImage();
  });
});

describe('bad input', () => {
  it('says so clearly when a file is not a readable image', async () => {
    await openEditor();
    const broken = (await sharp({ create: { width: 800, height: 600, channels: 3, background: '#336699' } }).jpeg().toBuffer()).subarray(0, 900);
    await page.getByLabel(e.start.importLabel).setInputFiles({ name: 'broken.jpg', mimeType: 'image/jpeg', buffer: broken });
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('broken.jpg');
    expect(await alert.textContent()).toContain(en.media.failure.image_corrupt);
    await screenshot(page, 'editor-corrupt-light');
    await alert.getByRole('button', { name: e.dismiss }).click();
  });

  it('says so clearly when a library file was damaged on disk since it was imported', async () => {
    const id = await importBytes(await sharp({ create: { width: 640, height: 480, channels: 3, background: '#996633' } }).jpeg().toBuffer(), 'damaged-later.jpg');
    const stored = await call<{ sha256: string }>('media.get', { id });
    const path = join(dataDir, 'media', stored.sha256.slice(0, 2), stored.sha256);
    writeFileSync(path, readFileSync(path).subarray(0, 300));
    await page.reload();
    await page.getByRole('button', { name: t(e.start.edit, { name: 'damaged-later.jpg' }) }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(e.problem.image_corrupt);
    await alert.getByRole('button', { name: e.dismiss }).click();
  });

  it('opens a 105-megapixel photo as a smaller working copy with a notice, and still exports it', async () => {
    const huge = await sharp({ create: { width: 10_500, height: 10_000, channels: 3, background: '#2f6f4f' } })
      .composite([{ input: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10500" height="10000"><circle cx="5250" cy="5000" r="3000" fill="#f2c14e"/></svg>') }])
      .jpeg({ quality: 80 })
      .toBuffer();
    await importBytes(huge, 'panorama.jpg');
    await page.reload();
    await openPhoto('panorama.jpg');
    const notice = page.getByRole('status').filter({ hasText: '10500 × 10000' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('105 megapixels');
    await screenshot(page, 'editor-huge-light');
    await toolButton(e.toolbar.export).click();
    const dialog = page.getByRole('dialog', { name: e.export.title });
    await dialog.getByRole('checkbox', { name: e.export.fitNetworks }).uncheck().catch(() => {});
    await dialog.getByRole('checkbox', { name: /Attach/ }).uncheck().catch(() => {});
    await dialog.getByRole('spinbutton', { name: e.export.width }).fill('2100');
    await dialog.getByRole('button', { name: e.export.run, exact: true }).click();
    await dialog.getByRole('status').filter({ hasText: 'panorama-edited.jpg' }).waitFor({ timeout: 60_000 });
    const saved = (await call<MediaRow[]>('media.list', { kind: 'image' })).find((m) => m.fileName === 'panorama-edited.jpg') as MediaRow;
    expect([saved.width, saved.height]).toEqual([2100, 2000]);
    // The middle of the picture is the yellow circle: the working copy was drawn, not an empty canvas.
    const file = Buffer.from(await (await fetch(`${host.origin}/api/media/${saved.id}/file?token=${host.token}`)).arrayBuffer());
    const { data } = await sharp(file).extract({ left: 1040, top: 990, width: 20, height: 20 }).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(200);
    expect(data[2]).toBeLessThan(140);

    // A size past what memory allows is refused with words, and the window carries on.
    await dialog.getByRole('spinbutton', { name: e.export.width }).fill('16384');
    await dialog.getByRole('button', { name: e.export.run, exact: true }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('more than the editor can make');
    await dialog.getByRole('button', { name: e.close }).click();
    await toolButton(e.toolbar.rotateRight).click();
    await expect.poll(canvasLabel).toContain('10000 × 10500');
    await closeImage();
    expect(problems.messages.filter((m) => !m.includes('404'))).toEqual([]);
  }, 120_000);
});

describe('fit every network, on a 24-megapixel photo in Chromium', () => {
  it('meets Bluesky’s 1,000,000 bytes with the largest size and quality that do', async () => {
    // A synthesised stand-in for a camera photo (see synthetic-photo.ts): no real photo is available here.
    const photo = await syntheticPhoto(6000, 4000, 3);
    await importBytes(photo.jpeg, 'camera-24mp.jpg');
    await call('posts.create', { projectId, body: 'Bluesky only', targets: [{ accountId: 'acc-bluesky' }] });
    await page.getByRole('link', { name: en.nav.compose }).click();
    await page.getByRole('button', { name: /Bluesky only/ }).click();
    await page.getByRole('textbox', { name: en.compose.editor.post }).waitFor();
    await openEditor();
    await closeImage().catch(() => {});
    await openPhoto('camera-24mp.jpg');
    await toolButton(e.toolbar.export).click();
    const dialog = page.getByRole('dialog', { name: e.export.title });
    expect(await dialog.getByRole('spinbutton', { name: e.export.width }).inputValue()).toBe('6000');
    await dialog.getByRole('button', { name: e.export.run, exact: true }).click();
    await dialog.getByRole('status').filter({ hasText: /attached it to the post/ }).waitFor({ timeout: 90_000 });
    await dialog.getByRole('button', { name: e.close }).click();
    const saved = (await call<MediaRow[]>('media.list', { kind: 'image' })).find((m) => m.fileName === 'camera-24mp-edited.jpg') as MediaRow;
    expect(saved.bytes).toBeLessThanOrEqual(1_000_000);
    // The largest that fits: not needlessly small.
    expect(saved.bytes).toBeGreaterThan(880_000);
    expect(saved.width).toBeLessThan(6000);
    expect(saved.width).toBeGreaterThan(1200);
    expect(saved.width / saved.height).toBeCloseTo(1.5, 2);
    await closeImage();
  }, 180_000);
});

describe('looks', () => {
  it('sets Arabic and Cyrillic with an outline and a background box, and blurs a photo to grey', async () => {
    await page.getByRole('button', { name: new RegExp(`^${e.presets.story.replace(/[()]/g, '\\$&')}`) }).click();
    await page.getByRole('toolbar', { name: e.toolbar.label }).waitFor();
    await typeNewText(0.5, 0.3, 'مرحبا بالعالم');
    await layerButtons().first().getByRole('button', { name: `${e.layerTypes.text}: مرحبا بالعالم`, exact: true }).click();
    await page.getByRole('checkbox', { name: e.props.background }).check();
    await typeNewText(0.5, 0.55, 'Привет, мир');
    await layerButtons().first().getByRole('button', { name: `${e.layerTypes.text}: Привет, мир`, exact: true }).click();
    await page.getByRole('checkbox', { name: e.props.outline }).check();
    await page.getByRole('combobox', { name: e.props.weight }).selectOption('300');
    await page.getByRole('radio', { name: e.props.aligns.start }).check();
    await page.getByRole('radio', { name: e.props.aligns.start }).press('Escape').catch(() => {});
    await screenshot(page, 'editor-scripts-light');
    await closeImage();
    await openPhoto('harbour.jpg');
    await page.getByRole('slider', { name: e.filters.blur }).fill('40');
    await page.getByRole('slider', { name: e.filters.greyscale }).fill('100');
    await screenshot(page, 'editor-blur-grey-light');
    await closeImage();
  });


  it('is screenshotted in light and dark', async () => {
    await openPhoto('harbour-edited.jpg');
    await layerButtons().first().getByRole('button', { name: `${e.layerTypes.text}: מבצע קיץ`, exact: true }).click();
    await screenshot(page, 'editor-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(200);
    await screenshot(page, 'editor-dark');
    await toolButton(e.tools.crop).click();
    await screenshot(page, 'editor-crop-dark');
    await page.keyboard.press('Escape');
    await closeImage();
    await screenshot(page, 'editor-start-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
