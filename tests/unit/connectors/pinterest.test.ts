import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, type MediaItem } from '../../../main/core/connector';
import { createPinterestConnector, pinTime, type PinterestConfig, type PinterestContext, type PinterestPublishRequest } from '../../../main/services/connectors/pinterest';
import { publishRequest } from '../../../main/services/scheduler/publish-request';
import { startPinterestFake, type FakePinterestBoard, type PinterestFake } from '../../fakes/pinterest-fake';

let clock: number;
let pinterest: PinterestFake;
let board: FakePinterestBoard;
let ctx: PinterestContext;

const connector = createPinterestConnector({ pollIntervalMs: 5, timeoutMs: 3_000 });

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 5, 9, 0, 0);
  pinterest = await startPinterestFake({ now: () => clock });
  const app = pinterest.addApp();
  board = pinterest.addBoard({ name: 'Summer recipes', sections: ['Salads'] });
  const tokens = pinterest.tokensFor(app);
  const config: PinterestConfig = { boardId: board.id, boardName: board.name, username: 'bakery_lenina' };
  ctx = {
    baseUrl: pinterest.apiBaseUrl,
    fetch,
    now: () => clock,
    config,
    credentials: { appId: app.id, appSecret: app.secret, ...tokens, accessExpiresAt: clock + 30 * 86_400_000 },
  };
});

afterEach(async () => {
  await pinterest.close();
});

const png = (alt = '', size = 64): MediaItem => ({ fileName: 'salad.png', mime: 'image/png', bytes: new Uint8Array(size).fill(7), alt });
const video = (): MediaItem => ({ fileName: 'clip.mp4', mime: 'video/mp4', bytes: new Uint8Array(2048).fill(3), alt: '' });

function pin(overrides: Partial<PinterestPublishRequest> = {}): PinterestPublishRequest {
  return { text: 'Crisp summer salad in ten minutes', media: [png('A bowl of green salad')], idempotencyKey: 'job-1', ...overrides };
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

describe('Pinterest publishing', () => {
  it('pins an image by its bytes with title, description, link, alt text and section', async () => {
    ctx.config = { ...ctx.config, sectionId: board.sections[0]!.id, sectionName: 'Salads' };
    const published = await connector.publish(ctx, pin({ pinterest: { title: 'Green salad', link: 'https://bakery.example/salad' } }));
    const [made] = pinterest.live(board);
    expect(made).toMatchObject({
      title: 'Green salad',
      description: 'Crisp summer salad in ten minutes',
      link: 'https://bakery.example/salad',
      altText: 'A bowl of green salad',
      sectionId: board.sections[0]!.id,
      media: { kind: 'image', images: [{ contentType: 'image/png', bytes: 64 }] },
    });
    expect(published).toEqual({ remoteId: made!.id, url: `https://www.pinterest.com/pin/${made!.id}/`, publishedAt: clock });
    expect(pinterest.violations).toEqual([]);
  });

  it('gets the post\'s pin title and link from the scheduler\'s request, and no other network\'s options', async () => {
    const content = {
      postId: 'p', projectId: 'pr', text: 'Salad', mediaIds: ['m'], autoDeleteAfterMs: null, remoteId: null, remoteUrl: null, publishedAt: null, nativeScheduleId: null, card: null,
      networkOptions: { pinterest: { title: 'Green salad', link: 'https://bakery.example/salad' }, threads: { topicTag: 'Food' } },
    };
    const request = publishRequest({ connector, ctx }, content, 'job-9', [png()]);
    expect(request).toMatchObject({ pinterest: { title: 'Green salad', link: 'https://bakery.example/salad' } });
    expect(request).not.toHaveProperty('threads');
    await connector.publish(ctx, request);
    expect(pinterest.live(board)[0]).toMatchObject({ title: 'Green salad', link: 'https://bakery.example/salad', description: 'Salad' });
  });

  it('pins two to five images as one carousel', async () => {
    await connector.publish(ctx, pin({ media: [png(), png(), png()] }));
    expect(pinterest.live(board)[0]!.media).toEqual({ kind: 'image', images: [1, 2, 3].map(() => ({ contentType: 'image/png', bytes: 64 })) });
  });

  it('registers a video, uploads it with Pinterest\'s upload parameters, waits for processing, then pins it', async () => {
    await connector.publish(ctx, pin({ media: [video()] }));
    const [item] = pinterest.media;
    expect(item).toMatchObject({ status: 'succeeded', uploadedBytes: 2048 });
    const statusChecks = pinterest.server.requests.filter((r) => r.method === 'GET' && r.path === `/v5/media/${item!.id}`);
    expect(statusChecks).toHaveLength(3);
    expect(pinterest.live(board)[0]!.media).toEqual({ kind: 'video', mediaId: item!.id });
    expect(pinterest.violations).toEqual([]);
  });

  it('fails a video Pinterest could not process, without pinning anything', async () => {
    pinterest.videoProcessing = 'failed';
    const error = await failure(connector.publish(ctx, pin({ media: [video()] })));
    expect(error.kind).toBe('permanent');
    expect(error.maybeSent).toBe(false);
    expect(pinterest.pins).toEqual([]);
  });

  it('refuses before any call what Pinterest would refuse: no media, a long title, a link that is not http(s)', async () => {
    expect((await failure(connector.publish(ctx, pin({ media: [] })))).kind).toBe('validation');
    expect((await failure(connector.publish(ctx, pin({ pinterest: { title: 'x'.repeat(101) } })))).networkMessage).toMatch(/at most 100/);
    expect((await failure(connector.publish(ctx, pin({ pinterest: { link: 'ftp://bakery.example' } })))).networkMessage).toMatch(/http/);
    expect(pinterest.server.requests).toEqual([]);
  });

  it('deletes a pin, and counts one already gone as deleted', async () => {
    const published = await connector.publish(ctx, pin());
    await connector.delete(ctx, published.remoteId);
    expect(pinterest.live(board)).toEqual([]);
    await expect(connector.delete(ctx, published.remoteId)).resolves.toBeUndefined();
  });
});

describe('Pinterest errors', () => {
  it('waits as long as a 429 asks, nothing sent', async () => {
    pinterest.rateLimitNext(30_000);
    const error = await failure(connector.publish(ctx, pin()));
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 30_000, status: 429 });
    expect(error.maybeSent).toBe(false);
  });

  it('refuses in Pinterest\'s own words (a board that is gone)', async () => {
    ctx.config = { ...ctx.config, boardId: '999999' };
    const error = await failure(connector.publish(ctx, pin()));
    expect(error).toMatchObject({ kind: 'validation', networkSaid: 'Board not found.' });
  });

  it('says what Trial access needs (code 29)', async () => {
    pinterest.server.faults.next({ kind: 'respond', response: { status: 403, json: { code: 29, message: 'Apps with Trial access may not create Pins in production.' } } });
    const error = await failure(connector.publish(ctx, pin()));
    expect(error.kind).toBe('permanent');
    expect(error.networkMessage).toMatch(/Standard access/);
  });

  it('sends what the spec takes: a board id that is not a number is refused by the fake\'s OpenAPI check', async () => {
    ctx.config = { ...ctx.config, boardId: 'summer-recipes' };
    const error = await failure(connector.publish(ctx, pin()));
    expect(error.kind).toBe('validation');
    expect(pinterest.violations.join('\n')).toMatch(/board_id must match pattern/);
  });
});

describe('Pinterest exactly once', () => {
  it('a 500 after Pinterest made the pin is "maybe sent"; verify finds the pin, so it is never made twice', async () => {
    pinterest.server.faults.next(pinterest.server.fault({ kind: 'server_error', status: 500 }, true), 1, (r) => r.path === '/v5/pins');
    const error = await failure(connector.publish(ctx, pin()));
    expect(error.maybeSent).toBe(true);
    clock += 60_000;
    const found = await connector.verify(ctx, { idempotencyKey: 'job-1', startedAt: clock - 60_000, text: pin().text });
    expect(found).toEqual({ found: true, post: { remoteId: pinterest.pins[0]!.id, url: `https://www.pinterest.com/pin/${pinterest.pins[0]!.id}/`, publishedAt: clock - 60_000 } });
    expect(pinterest.pins).toHaveLength(1);
  });

  it('a lost answer (connection reset after handling) is found by verify', async () => {
    pinterest.server.faults.next({ kind: 'reset', afterHandling: true }, 1, (r) => r.path === '/v5/pins');
    const error = await failure(connector.publish(ctx, pin()));
    expect(error.maybeSent).toBe(true);
    expect(await connector.verify(ctx, { idempotencyKey: 'job-1', startedAt: clock, text: pin().text })).toMatchObject({ found: true });
  });

  it('a 502 before Pinterest handled it: verify lists the board and finds nothing, so it may go again', async () => {
    pinterest.addBoard();
    pinterest.server.faults.next(pinterest.server.fault({ kind: 'server_error', status: 502 }), 1, (r) => r.path === '/v5/pins');
    expect((await failure(connector.publish(ctx, pin()))).maybeSent).toBe(true);
    // An older pin with the same words is not this attempt's.
    clock += 3_600_000;
    expect(await connector.verify(ctx, { idempotencyKey: 'job-1', startedAt: clock, text: pin().text })).toEqual({ found: false });
  });

  it('looks for a section account\'s lost pin among the section\'s pins', async () => {
    ctx.config = { ...ctx.config, sectionId: board.sections[0]!.id, sectionName: 'Salads' };
    pinterest.server.faults.next({ kind: 'reset', afterHandling: true }, 1, (r) => r.path === '/v5/pins');
    await failure(connector.publish(ctx, pin()));
    expect(await connector.verify(ctx, { idempotencyKey: 'job-1', startedAt: clock, text: pin().text })).toMatchObject({ found: true });
    expect(pinterest.server.requests.at(-1)!.path).toBe(`/v5/boards/${board.id}/sections/${board.sections[0]!.id}/pins`);
  });

  it('cannot tell a pin without a description from others: unknown, for the user to settle', async () => {
    expect(await connector.verify(ctx, { idempotencyKey: 'job-1', startedAt: clock, text: '  ' })).toEqual({ found: 'unknown' });
  });

  it('reads Pinterest\'s zone-less created_at as UTC', () => {
    expect(pinTime('2026-12-05T09:00:00')).toBe(Date.UTC(2026, 11, 5, 9));
    expect(pinTime('2026-12-05T09:00:00Z')).toBe(Date.UTC(2026, 11, 5, 9));
  });
});
