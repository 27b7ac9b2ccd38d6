import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, type MediaItem, type PublishRequest } from '../../../main/core/connector';
import { createTelegramConnector, type TelegramContext } from '../../../main/services/connectors/telegram';
import { startTelegramFake, type FakeBot, type TelegramFake } from '../../fakes/telegram-fake';
import { makeClip } from '../../support/video-fixtures';

const connector = createTelegramConnector({ timeoutMs: 2000, uploadTimeoutMs: 5000 });

let dir: string;
let clip: Uint8Array;
let cover: Uint8Array;
let tg: TelegramFake;
let bot: FakeBot;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outpost-tg-video-'));
  clip = readFileSync(makeClip(dir, 'clip.mp4', { seconds: 2, width: 320, height: 180 }));
  // A full-size cover frame (1920×1080 of noise, well over 200 kB), as the library keeps it.
  const noise = Buffer.alloc(1920 * 1080 * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
  cover = await sharp(noise, { raw: { width: 1920, height: 1080, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(async () => {
  tg = await startTelegramFake();
  bot = tg.addBot();
  const channel = tg.addChannel({ username: 'outpost_news' });
  tg.setMember(channel, bot, { status: 'administrator', canPostMessages: true });
});

afterEach(async () => {
  await tg.close();
});

function ctx(extra: Partial<TelegramContext> = {}): TelegramContext {
  return { baseUrl: tg.baseUrl, credentials: { botToken: bot.token }, config: { channel: '@outpost_news' }, fetch, now: Date.now, ...extra };
}

function video(extra: Partial<MediaItem> = {}): MediaItem {
  return { fileName: 'clip.mp4', mime: 'video/mp4', bytes: clip, alt: '', width: 320, height: 180, durationMs: 2040, cover: { bytes: cover, mime: 'image/jpeg', width: 1920, height: 1080 }, ...extra };
}

const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));
const photo: MediaItem = { fileName: 'photo.png', mime: 'image/png', bytes: PNG, alt: '', width: 1, height: 1 };

function post(media: MediaItem[], text = 'Our new clip'): PublishRequest {
  return { text, media, idempotencyKey: 'job-video' };
}

describe('Telegram video', () => {
  it('sends a video with its size, length, streaming, and the cover scaled into a thumbnail Telegram keeps', async () => {
    const published = await connector.publish(ctx(), post([video()]));
    expect(published.url).toBe('https://t.me/outpost_news/1');
    const [message] = tg.messages;
    expect(message!.method).toBe('sendVideo');
    expect(message!.caption).toBe('Our new clip');
    const sent = message!.video!;
    expect(sent.file.bytes.equals(Buffer.from(clip))).toBe(true);
    expect({ width: sent.width, height: sent.height, duration: sent.duration, streaming: sent.supportsStreaming }).toEqual({ width: 320, height: 180, duration: 2, streaming: true });
    // The 1920×1080 cover went out as a 320×180 JPEG under 200 kB (the fake flags anything else).
    const thumb = await sharp(sent.thumbnail!.bytes).metadata();
    expect({ format: thumb.format, width: thumb.width, height: thumb.height }).toEqual({ format: 'jpeg', width: 320, height: 180 });
    expect(sent.thumbnail!.bytes.length).toBeLessThan(200 * 1024);
    // The message's cover is the user's frame itself.
    expect(sent.cover!.bytes.equals(Buffer.from(cover))).toBe(true);
    expect(tg.violations).toEqual([]);
  });

  it('puts videos in an album beside photos, each video with its own fields and thumbnail', async () => {
    const published = await connector.publish(ctx(), post([photo, video(), video({ fileName: 'second.mp4', durationMs: 65_400 })]));
    expect(published.remoteId).toBe('1,2,3');
    const [first, second, third] = tg.messages;
    expect(first!.photo).toBeDefined();
    expect(first!.caption).toBe('Our new clip');
    expect(second!.video).toMatchObject({ width: 320, height: 180, duration: 2, supportsStreaming: true });
    expect(third!.video).toMatchObject({ duration: 65 });
    expect(second!.video!.thumbnail).toBeDefined();
    expect(third!.video!.thumbnail).toBeDefined();
    expect(new Set(tg.messages.map((m) => m.mediaGroupId)).size).toBe(1);
    expect(tg.violations).toEqual([]);
  });

  it('sends a video without a cover and lets Telegram make the thumbnail', async () => {
    await connector.publish(ctx(), post([video({ cover: undefined })]));
    expect(tg.messages[0]!.video).toMatchObject({ thumbnail: undefined, cover: undefined, duration: 2 });
  });

  it('refuses a video over the bot upload limit before any call, naming the file and the 50 MB limit', async () => {
    const big = video({ fileName: 'holiday.mp4', bytes: new Uint8Array(52_000_000) });
    const error = await connector.publish(ctx(), post([big])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).kind).toBe('validation');
    expect((error as ConnectorError).networkMessage).toMatch(/holiday\.mp4 is 52\.0 MB; a Telegram bot can upload videos of at most 50 MB/);
    expect(tg.calls()).toEqual([]);
  });

  it('refuses a MOV or WebM before any call: Telegram plays MP4 only', async () => {
    const error = await connector.publish(ctx(), post([video({ fileName: 'clip.webm', mime: 'video/webm' })])).catch((e: unknown) => e);
    expect((error as ConnectorError).networkMessage).toMatch(/clip\.webm is video\/webm; Telegram plays videos sent as MP4 only/);
    expect(tg.calls()).toEqual([]);
  });

  it('reports the upload as it goes, up to the whole body', async () => {
    const seen: Array<[number, number]> = [];
    await connector.publish(ctx({ onUploadProgress: (sent, total) => seen.push([sent, total]) }), post([video()]));
    const total = seen[0]![1];
    expect(total).toBeGreaterThan(clip.byteLength);
    expect(seen.at(-1)).toEqual([total, total]);
    expect(seen.map(([sent]) => sent)).toEqual([...seen.map(([sent]) => sent)].sort((a, b) => a - b));
  });
});
