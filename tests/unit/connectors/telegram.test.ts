import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, type FailureKind, type MediaItem, type PublishRequest } from '../../../main/core/connector';
import { createTelegramConnector, type TelegramContext } from '../../../main/services/connectors/telegram';
import { checkTelegramChannel } from '../../../main/services/connectors/telegram/connect-check';
import { startFakeServer } from '../../fakes/fake-server';
import { startTelegramFake, type FakeBot, type FakeChannel, type TelegramFake } from '../../fakes/telegram-fake';

const HOUR = 60 * 60 * 1000;
// Short timeouts so a hung fake costs a fraction of a second.
const connector = createTelegramConnector({ timeoutMs: 300, uploadTimeoutMs: 300 });

let clock: number;
let tg: TelegramFake;
let bot: FakeBot;
let channel: FakeChannel;
let privateChannel: FakeChannel;

beforeEach(async () => {
  clock = Date.UTC(2026, 10, 26, 9, 0, 0);
  tg = await startTelegramFake({ now: () => clock });
  bot = tg.addBot({ username: 'outpost_bot' });
  channel = tg.addChannel({ username: 'outpost_news', title: 'Outpost news' });
  privateChannel = tg.addChannel({ title: 'Client drafts' });
  tg.setMember(channel, bot, { status: 'administrator', canPostMessages: true });
  tg.setMember(privateChannel, bot, { status: 'administrator', canPostMessages: true });
});

afterEach(async () => {
  await tg.close();
});

function ctx(overrides: { token?: string; channel?: string; fetch?: typeof fetch; signal?: AbortSignal; baseUrl?: string } = {}): TelegramContext {
  return {
    baseUrl: overrides.baseUrl ?? tg.baseUrl,
    credentials: { botToken: overrides.token ?? bot.token },
    config: { channel: overrides.channel ?? '@outpost_news' },
    fetch: overrides.fetch ?? fetch,
    now: () => clock,
    ...(overrides.signal ? { signal: overrides.signal } : {}),
  };
}

function post(text: string, media: MediaItem[] = [], extra: Partial<PublishRequest> = {}): PublishRequest {
  return { text, media, idempotencyKey: 'job-1', ...extra };
}

// A real 1×1 PNG, so the fake reads its size from the header.
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));

function image(i = 0): MediaItem {
  return { fileName: `photo-${i}.png`, mime: 'image/png', bytes: PNG, alt: `photo ${i}`, width: 1, height: 1 };
}

/** Awaits a failure of the given kind and proves the bot token is nowhere in it (message, cause, inspect). */
async function failure(promise: Promise<unknown>, kind: FailureKind, token = bot.token): Promise<ConnectorError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected a ${kind} failure, but the call succeeded`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  const failure = error as ConnectorError;
  expect(failure.kind, failure.message).toBe(kind);
  const secretPart = token.split(':')[1]!;
  for (const text of [failure.message, failure.networkMessage, String(failure), failure.stack ?? '', inspect(failure, { depth: 10 }), JSON.stringify(failure)]) {
    expect(text).not.toContain(secretPart);
  }
  return failure;
}

const methods = () => tg.calls().map((c) => c.method);

describe('connect check', () => {
  it('accepts a bot that administers the channel with the right to post', async () => {
    const found = await checkTelegramChannel(ctx());
    expect(found).toEqual({
      bot: { id: bot.id, username: 'outpost_bot' },
      channel: { id: channel.id, title: 'Outpost news', username: 'outpost_news' },
      canDeleteOthersPosts: false,
    });
    expect(methods()).toEqual(['getMe', 'getChat', 'getChatMember']);
    expect(tg.calls()[2]!.params).toMatchObject({ chat_id: '@outpost_news', user_id: bot.id });
  });

  it('accepts a private channel by its -100… id', async () => {
    const found = await checkTelegramChannel(ctx({ channel: String(privateChannel.id) }));
    expect(found.channel).toEqual({ id: privateChannel.id, title: 'Client drafts', username: null });
  });

  it('says to make the bot an administrator that may post', async () => {
    tg.setMember(channel, bot, { status: 'left' });
    const notAdmin = await failure(checkTelegramChannel(ctx()), 'auth');
    expect(notAdmin.networkMessage).toContain('add the bot as an administrator of the channel with permission to post');

    tg.setMember(channel, bot, { status: 'administrator', canPostMessages: false });
    const noRight = await failure(checkTelegramChannel(ctx()), 'auth');
    expect(noRight.networkMessage).toMatch(/without the right to post.*permission to post/);
  });

  it('refuses a token Telegram does not know, and one that is not a token at all, without leaking it', async () => {
    const unknown = await failure(checkTelegramChannel(ctx({ token: '123456:AAunknownunknownunknownunknown' })), 'auth', '123456:AAunknownunknownunknownunknown');
    expect(unknown.status).toBe(401);
    expect(unknown.networkMessage).toMatch(/^Unauthorized: .*@BotFather/);

    const before = tg.calls().length;
    await failure(checkTelegramChannel(ctx({ token: 'not a token' })), 'auth', 'x:not a token');
    expect(tg.calls().length).toBe(before);
  });

  it('says which channel it cannot find', async () => {
    const error = await failure(checkTelegramChannel(ctx({ channel: '@nobody_here' })), 'validation');
    expect(error.networkMessage).toMatch(/^Bad Request: chat not found: .*@nobody_here/);
    // A private channel the bot is not in is invisible to it, exactly like a missing one.
    tg.setMember(privateChannel, bot, { status: 'left' });
    await failure(checkTelegramChannel(ctx({ channel: String(privateChannel.id) })), 'validation');
  });

  it('refuses a channel written in neither accepted form before any call', async () => {
    await failure(checkTelegramChannel(ctx({ channel: 'outpost news' })), 'validation');
    expect(tg.calls()).toEqual([]);
  });
});

describe('publish', () => {
  it('sends text with the link preview Telegram makes by default', async () => {
    const published = await connector.publish(ctx(), post('Read https://example.com today', [], { linkPreview: true }));
    expect(published).toEqual({ remoteId: '1', url: 'https://t.me/outpost_news/1', publishedAt: Math.floor(clock / 1000) * 1000 });
    const [call] = tg.calls();
    expect(call!.method).toBe('sendMessage');
    expect(call!.params).toEqual({ chat_id: '@outpost_news', text: 'Read https://example.com today' });
    expect(tg.messages).toMatchObject([{ text: 'Read https://example.com today', deleted: false }]);
  });

  it('turns the link preview off when asked', async () => {
    await connector.publish(ctx(), post('Read https://example.com today', [], { linkPreview: false }));
    expect(tg.calls()[0]!.params['link_preview_options']).toEqual({ is_disabled: true });
    expect(tg.messages[0]!.linkPreviewOptions).toEqual({ is_disabled: true });
  });

  it('shows the post’s link card where the user put it — above, small — or none when they removed it', async () => {
    const card = { url: 'https://example.com/menu', title: 'Menu', description: '', image: null, shown: true, above: true, large: false };
    await connector.publish(ctx(), post('Menu: https://example.com/menu', [], { card, linkPreview: false }));
    expect(tg.messages[0]!.linkPreviewOptions).toEqual({ url: 'https://example.com/menu', show_above_text: true, prefer_small_media: true });
    await connector.publish(ctx(), post('Menu: https://example.com/menu', [], { card: { ...card, shown: false }, idempotencyKey: 'job-2' }));
    expect(tg.messages[1]!.linkPreviewOptions).toEqual({ is_disabled: true });
  });

  it('gives no link for a private channel', async () => {
    const published = await connector.publish(ctx({ channel: String(privateChannel.id) }), post('hello'));
    expect(published.url).toBeNull();
  });

  it('sends one image with sendPhoto, the text as its caption', async () => {
    const published = await connector.publish(ctx(), post('One picture', [image()]));
    expect(methods()).toEqual(['sendPhoto']);
    const [call] = tg.calls();
    expect(call!.files['photo']).toMatchObject({ fileName: 'photo-0.png', contentType: 'image/png' });
    expect(tg.messages).toHaveLength(1);
    expect(tg.messages[0]).toMatchObject({ method: 'sendPhoto', caption: 'One picture' });
    expect([...tg.messages[0]!.photo!.bytes]).toEqual([...PNG]);
    expect(published.remoteId).toBe('1');
  });

  it('sends three images as one album, captioned on the first only', async () => {
    const published = await connector.publish(ctx(), post('Three pictures', [image(0), image(1), image(2)]));
    expect(methods()).toEqual(['sendMediaGroup']);
    expect(Object.keys(tg.calls()[0]!.files)).toEqual(['p0', 'p1', 'p2']);
    expect(tg.messages.map((m) => m.caption)).toEqual(['Three pictures', undefined, undefined]);
    expect(new Set(tg.messages.map((m) => m.mediaGroupId)).size).toBe(1);
    expect(published).toMatchObject({ remoteId: '1,2,3', url: 'https://t.me/outpost_news/1' });
  });

  it('refuses eleven images before calling Telegram', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => image(i));
    const error = await failure(connector.publish(ctx(), post('Too many', eleven)), 'validation');
    expect(error.networkMessage).toContain('at most 10 images');
    expect(tg.calls()).toEqual([]);
  });

  it('counts captions and texts in code points, and refuses what is over before calling', async () => {
    // 1,024 emoji are 2,048 UTF-16 units but 1,024 code points: Telegram takes them.
    await connector.publish(ctx(), post('😀'.repeat(1024), [image()]));
    expect(tg.messages).toHaveLength(1);

    const long = await failure(connector.publish(ctx(), post('x'.repeat(1025), [image()])), 'validation');
    expect(long.networkMessage).toContain('1024 characters; this one has 1025');
    await failure(connector.publish(ctx(), post('x'.repeat(1025), [image(0), image(1)])), 'validation');

    await connector.publish(ctx(), post('😀'.repeat(4096)));
    await failure(connector.publish(ctx(), post('x'.repeat(4097))), 'validation');
    await failure(connector.publish(ctx(), post('   ')), 'validation');
    expect(methods()).toEqual(['sendPhoto', 'sendMessage']);
  });

  it('refuses images Telegram cannot take as photos before calling', async () => {
    await failure(connector.publish(ctx(), post('gif', [{ ...image(), mime: 'image/gif' }])), 'validation');
    await failure(connector.publish(ctx(), post('tall', [{ ...image(), width: 100, height: 2100 }])), 'validation');
    expect(tg.calls()).toEqual([]);
  });

  it('the fake itself refuses a caption over 1,024 code points (so the limit above is the real one)', async () => {
    const form = new FormData();
    form.set('chat_id', '@outpost_news');
    form.set('caption', 'x'.repeat(1025));
    form.set('photo', new Blob([PNG], { type: 'image/png' }), 'a.png');
    const answer = await (await fetch(`${tg.baseUrl}/bot${bot.token}/sendPhoto`, { method: 'POST', body: form })).json();
    expect(answer).toEqual({ ok: false, error_code: 400, description: 'Bad Request: message caption is too long' });
  });
});

describe('delete', () => {
  it('deletes within 48 hours and is refused after', async () => {
    const early = await connector.publish(ctx(), post('short-lived'));
    const late = await connector.publish(ctx(), post('kept too long'));
    clock += 47 * HOUR;
    await connector.delete(ctx(), early.remoteId);
    expect(tg.liveMessages(channel).map((m) => m.text)).toEqual(['kept too long']);

    clock += 1 * HOUR;
    const error = await failure(connector.delete(ctx(), late.remoteId), 'validation');
    expect(error.networkMessage).toBe("Bad Request: message can't be deleted");
    expect(tg.liveMessages(channel)).toHaveLength(1);
    expect(connector.deleteWindowMs).toBe(48 * HOUR);
  });

  it('removes every message of an album in one call', async () => {
    const album = await connector.publish(ctx(), post('album', [image(0), image(1), image(2)]));
    await connector.delete(ctx(), album.remoteId);
    const del = tg.calls().at(-1)!;
    expect(del.method).toBe('deleteMessages');
    expect(del.params).toEqual({ chat_id: '@outpost_news', message_ids: [1, 2, 3] });
    expect(tg.liveMessages(channel)).toEqual([]);
  });

  it('treats a message that is already gone as deleted (a retried delete succeeds)', async () => {
    const single = await connector.publish(ctx(), post('once'));
    await connector.delete(ctx(), single.remoteId);
    await connector.delete(ctx(), single.remoteId);
    const album = await connector.publish(ctx(), post('album', [image(0), image(1)]));
    await connector.delete(ctx(), album.remoteId);
    await connector.delete(ctx(), album.remoteId);
    expect(tg.liveMessages(channel)).toEqual([]);
  });
});

describe('failures', () => {
  it('429 is rate_limited with the retry-after Telegram gave, and nothing is published', async () => {
    tg.failNext({ kind: 'rate_limited', retryAfter: 7 }, { method: 'sendMessage' });
    const error = await failure(connector.publish(ctx(), post('hello')), 'rate_limited');
    expect(error).toMatchObject({ status: 429, retryAfterMs: 7000, networkMessage: 'Too Many Requests: retry after 7' });
    expect(tg.messages).toEqual([]);
    await connector.publish(ctx(), post('hello'));
    expect(tg.messages).toHaveLength(1);
  });

  it('500 and an HTML 502 are transient', async () => {
    tg.failNext({ kind: 'server_error', status: 500 });
    expect((await failure(connector.publish(ctx(), post('a')), 'transient')).status).toBe(500);
    tg.failNext({ kind: 'server_error', status: 502 });
    expect((await failure(connector.publish(ctx(), post('a', [image()])), 'transient')).status).toBe(502);
  });

  it('a hang past the timeout is transient', async () => {
    tg.failNext({ kind: 'hang' });
    const error = await failure(connector.publish(ctx(), post('a')), 'transient');
    expect(error.networkMessage).toMatch(/did not answer within/);
  });

  it('a reset connection is transient, even when the post went out before the reset', async () => {
    tg.failNext({ kind: 'reset' });
    await failure(connector.publish(ctx(), post('a')), 'transient');
    expect(tg.messages).toEqual([]);
    // The outcome the scheduler must not retry blindly: published, but the answer was lost.
    tg.failNext({ kind: 'reset' }, { afterHandling: true });
    await failure(connector.publish(ctx(), post('b')), 'transient');
    expect(tg.messages.map((m) => m.text)).toEqual(['b']);
  });

  it('a revoked token is auth, for publish and delete alike', async () => {
    const published = await connector.publish(ctx(), post('a'));
    tg.revokeToken(bot.token);
    expect((await failure(connector.publish(ctx(), post('b')), 'auth')).status).toBe(401);
    await failure(connector.delete(ctx(), published.remoteId), 'auth');
  });

  it('a bot removed from the channel, or stripped of the right to post, is auth', async () => {
    tg.setMember(channel, bot, { status: 'kicked' });
    const kicked = await failure(connector.publish(ctx(), post('a')), 'auth');
    expect(kicked).toMatchObject({ status: 403 });
    expect(kicked.networkMessage).toMatch(/^Forbidden: bot was kicked from the channel chat: add the bot/);
    tg.setMember(channel, bot, { status: 'left' });
    expect((await failure(connector.publish(ctx(), post('a')), 'auth')).networkMessage).toMatch(/^Forbidden: bot is not a member/);
    tg.setMember(channel, bot, { status: 'administrator', canPostMessages: false });
    await failure(connector.publish(ctx(), post('a')), 'auth');
    expect(tg.messages).toEqual([]);
  });

  it('DNS and route failures are offline; a refused connection is transient', async () => {
    const failingFetch = (code: string): typeof fetch => async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error(`getaddrinfo ${code} api.telegram.org`), { code }) });
    };
    await failure(connector.publish(ctx({ fetch: failingFetch('ENOTFOUND') }), post('a')), 'offline');
    await failure(connector.publish(ctx({ fetch: failingFetch('EAI_AGAIN') }), post('a')), 'offline');
    await failure(connector.publish(ctx({ fetch: failingFetch('ENETUNREACH') }), post('a')), 'offline');

    const electronFetch: typeof fetch = async () => {
      throw new Error('net::ERR_INTERNET_DISCONNECTED');
    };
    await failure(connector.publish(ctx({ fetch: electronFetch }), post('a')), 'offline');

    const closed = await startFakeServer(() => ({ status: 200 }));
    await closed.close();
    const refused = await failure(connector.publish(ctx({ baseUrl: closed.baseUrl }), post('a')), 'transient');
    expect(refused.networkMessage).toBe('Outpost could not reach Telegram: the connection was refused.');
    expect(refused.causeCode).toBe('ECONNREFUSED');
  });

  it('scrubs the token even from errors that quote the URL', async () => {
    const leakyFetch: typeof fetch = async (input) => {
      throw new TypeError(`Failed to fetch ${String(input)}`);
    };
    const error = await failure(connector.publish(ctx({ fetch: leakyFetch }), post('a')), 'transient');
    expect(inspect(error)).toContain('/bot<bot-token>/sendMessage');
  });

  it('a call cancelled by the caller is transient', async () => {
    tg.failNext({ kind: 'hang' });
    const controller = new AbortController();
    const pending = connector.publish(ctx({ signal: controller.signal }), post('a'));
    setTimeout(() => controller.abort(), 20);
    expect((await failure(pending, 'transient')).networkMessage).toMatch(/cancelled/);
  });

  it('under seeded random 429s, every success is published exactly once and every failure not at all', async () => {
    tg.failRatio({ kind: 'rate_limited', retryAfter: 1 }, 0.5, 1234);
    let succeeded = 0;
    for (let i = 0; i < 20; i += 1) {
      try {
        await connector.publish(ctx(), post(`post ${i}`));
        succeeded += 1;
      } catch (error) {
        expect((error as ConnectorError).kind).toBe('rate_limited');
      }
    }
    expect(succeeded).toBeGreaterThan(0);
    expect(succeeded).toBeLessThan(20);
    expect(tg.messages).toHaveLength(succeeded);
  });
});

describe('request shape: the fake catches connector bugs', () => {
  /** A fetch that breaks the connector's request on the way out, as a bug in it would. */
  function tampering(edit: (body: FormData | Record<string, unknown>) => FormData | Record<string, unknown>): typeof fetch {
    return (input, init) => {
      const body = init?.body instanceof FormData ? init.body : (JSON.parse(String(init?.body)) as Record<string, unknown>);
      const edited = edit(body);
      return fetch(input, { ...init, body: edited instanceof FormData ? edited : JSON.stringify(edited) });
    };
  }

  it('a missing chat_id is a validation failure with Telegram\'s words', async () => {
    const dropChat = tampering((body) => {
      if (body instanceof FormData) body.delete('chat_id');
      else delete body['chat_id'];
      return body;
    });
    expect((await failure(connector.publish(ctx({ fetch: dropChat }), post('a')), 'validation')).networkMessage).toBe('Bad Request: chat_id is empty');
    await failure(connector.publish(ctx({ fetch: dropChat }), post('a', [image()])), 'validation');
    expect(tg.messages).toEqual([]);
  });

  it('a photo sent as a text field, or as a part without a content type, is refused', async () => {
    const photoAsText = tampering((body) => {
      (body as FormData).set('photo', 'iVBORw0KGgo');
      return body;
    });
    await failure(connector.publish(ctx({ fetch: photoAsText }), post('a', [image()])), 'validation');

    const untyped = tampering((body) => {
      (body as FormData).set('p1', new Blob([PNG]), 'p1.png');
      return body;
    });
    const error = await failure(connector.publish(ctx({ fetch: untyped }), post('a', [image(0), image(1)])), 'validation');
    expect(error.networkMessage).toBe('Bad Request: IMAGE_PROCESS_FAILED');
    expect(tg.messages).toEqual([]);
  });

  it('an album whose parts do not match its attach:// names is refused whole', async () => {
    const renamed = tampering((body) => {
      const form = body as FormData;
      form.set('photo2', form.get('p1')!);
      form.delete('p1');
      return form;
    });
    await failure(connector.publish(ctx({ fetch: renamed }), post('a', [image(0), image(1), image(2)])), 'validation');
    expect(tg.messages).toEqual([]);
  });

  it('answers the documented shapes for GET, urlencoded, unknown methods and bad tokens', async () => {
    const me = await (await fetch(`${tg.baseUrl}/bot${bot.token}/getMe`)).json();
    expect(me).toEqual({ ok: true, result: { id: bot.id, is_bot: true, first_name: 'Outpost test bot', username: 'outpost_bot' } });

    const sent = await fetch(`${tg.baseUrl}/bot${bot.token}/sendMessage`, { method: 'POST', body: new URLSearchParams({ chat_id: String(channel.id), text: 'form' }) });
    expect(await sent.json()).toMatchObject({ ok: true, result: { message_id: 1, text: 'form', chat: { id: channel.id, type: 'channel', username: 'outpost_news' } } });

    const unknown = await fetch(`${tg.baseUrl}/bot${bot.token}/sendTeleport`, { method: 'POST' });
    expect([unknown.status, await unknown.json()]).toEqual([404, { ok: false, error_code: 404, description: 'Not Found' }]);

    const badToken = await fetch(`${tg.baseUrl}/bot1:wrong/getMe`);
    expect([badToken.status, await badToken.json()]).toEqual([401, { ok: false, error_code: 401, description: 'Unauthorized' }]);

    const tooMany = new FormData();
    tooMany.set('chat_id', '@outpost_news');
    tooMany.set('media', JSON.stringify([{ type: 'photo', media: 'attach://p0' }]));
    tooMany.set('p0', new Blob([PNG], { type: 'image/png' }), 'p0.png');
    const one = await fetch(`${tg.baseUrl}/bot${bot.token}/sendMediaGroup`, { method: 'POST', body: tooMany });
    expect(one.status).toBe(400);
  });

  it('a connector with default options talks to api.telegram.org when no base URL is set', async () => {
    const urls: string[] = [];
    const recording: typeof fetch = async (input) => {
      urls.push(String(input));
      return new Response(JSON.stringify({ ok: true, result: { message_id: 5, date: 1, chat: { id: channel.id, type: 'channel' } } }));
    };
    const telegramConnector = createTelegramConnector();
    const published = await telegramConnector.publish(ctx({ baseUrl: '', fetch: recording }), post('a'));
    expect(urls).toEqual([`https://api.telegram.org/bot${bot.token}/sendMessage`]);
    expect(published).toEqual({ remoteId: '5', url: 'https://t.me/outpost_news/5', publishedAt: 1000 });
    expect(telegramConnector.network).toBe('telegram');
  });
});
