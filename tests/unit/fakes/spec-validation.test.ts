import { describe, expect, it } from 'vitest';
import { startMastodonFake } from '../../fakes/mastodon-fake';
import { startTelegramFake } from '../../fakes/telegram-fake';
import { fieldsToJson } from '../../fakes/validate/spec';

/** A wrongly shaped request gets the network's own error and is recorded, so a test can fail on it. */
describe('the fakes check requests against the networks’ own specs', () => {
  it('Mastodon: a status with visibility "everyone" is refused with 422 and recorded', async () => {
    const fake = await startMastodonFake();
    const { accessToken } = fake.issueToken();
    const answer = await fetch(`${fake.baseUrl}/api/v1/statuses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'hello', visibility: 'everyone' }),
    });
    expect(answer.status).toBe(422);
    expect(await answer.json()).toEqual({ error: 'Validation failed: /visibility must be one of public, unlisted, private, direct' });
    expect(fake.violations).toEqual(['POST /api/v1/statuses: /visibility must be one of public, unlisted, private, direct']);
    expect(fake.publishedCount).toBe(0);
    fake.violations.splice(0);
    await fake.close();
  });

  it('Mastodon: a form with media_ids[] is read as the JSON the spec describes', async () => {
    const fake = await startMastodonFake();
    const { accessToken } = fake.issueToken();
    const answer = await fetch(`${fake.baseUrl}/api/v1/statuses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}` },
      body: new URLSearchParams([['status', 'from a form'], ['visibility', 'unlisted'], ['sensitive', 'false']]),
    });
    expect(answer.status).toBe(200);
    expect(fake.server.requests[0]!.spec?.body).toEqual({ status: 'from a form', visibility: 'unlisted', sensitive: false });
    await fake.close();
  });

  it('Telegram: sendMessage without chat_id, or with an object for it, gets Bad Request and is recorded', async () => {
    const tg = await startTelegramFake();
    const bot = tg.addBot();
    const send = (body: unknown) =>
      fetch(`${tg.baseUrl}/bot${bot.token}/sendMessage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const missing = await send({ text: 'hello' });
    expect([missing.status, await missing.json()]).toEqual([400, { ok: false, error_code: 400, description: 'Bad Request: chat_id is empty' }]);
    const wrongType = await send({ chat_id: { id: 1 }, text: 'hello' });
    expect([wrongType.status, await wrongType.json()]).toEqual([400, { ok: false, error_code: 400, description: 'Bad Request: invalid chat_id specified' }]);
    const notJson = await fetch(`${tg.baseUrl}/bot${bot.token}/deleteMessages`, { method: 'POST', body: new URLSearchParams({ chat_id: '@x', message_ids: '1,2' }) });
    expect((await notJson.json()) as unknown).toMatchObject({ description: "Bad Request: can't parse message_ids JSON object" });

    expect(tg.violations).toEqual([
      'sendMessage: /chat_id is required',
      'sendMessage: /chat_id must be integer',
      'sendMessage: /chat_id must be string',
      'sendMessage: /chat_id must match a schema in anyOf',
      'deleteMessages: message_ids is not JSON',
      'deleteMessages: /message_ids must be array',
    ]);
    expect(tg.violations.join('\n')).not.toContain(bot.token);
    expect(tg.messages).toEqual([]);
    tg.violations.splice(0);
    await tg.close();
  });

  it('close() fails when a violation went unanswered: a parameter Telegram would silently ignore', async () => {
    const tg = await startTelegramFake();
    const bot = tg.addBot();
    const channel = tg.addChannel({ username: 'news' });
    tg.setMember(channel, bot, { status: 'administrator', canPostMessages: true });
    const sent = await fetch(`${tg.baseUrl}/bot${bot.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: '@news', text: 'hi', parse_mod: 'HTML' }),
    });
    expect(sent.status).toBe(200);
    await expect(tg.close()).rejects.toThrow(/Telegram fake: 1 request\(s\) broke the network's spec[\s\S]*sendMessage: unexpected parameter "parse_mod"/);
  });

  it('close() fails when a refused request was hidden behind a fault', async () => {
    const fake = await startMastodonFake();
    const { accessToken } = fake.issueToken();
    fake.serverErrorNext(undefined, 502);
    const answer = await fetch(`${fake.baseUrl}/api/v1/statuses/1?delete_media=maybe`, { method: 'DELETE', headers: { authorization: `Bearer ${accessToken}` } });
    expect(answer.status).toBe(502);
    await expect(fake.close()).rejects.toThrow('DELETE /api/v1/statuses/1: query /delete_media must be boolean');
  });

  it("faults speak the network's words: Telegram's retry_after, Mastodon's X-RateLimit headers", async () => {
    const tg = await startTelegramFake();
    const bot = tg.addBot();
    tg.failNext({ kind: 'rate_limited', retryAfter: 7 });
    const limited = await fetch(`${tg.baseUrl}/bot${bot.token}/getMe`);
    expect([limited.status, await limited.json()]).toEqual([429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } }]);
    await tg.close();

    const fake = await startMastodonFake({ startTime: Date.parse('2026-03-02T09:00:00.000Z') });
    fake.rateLimitNext(undefined, 90_000);
    const answer = await fetch(`${fake.baseUrl}/api/v2/instance`);
    expect(answer.status).toBe(429);
    expect(answer.headers.get('x-ratelimit-reset')).toBe('2026-03-02T09:01:30.000Z');
    await fake.close();
  });
});

describe('form fields to JSON', () => {
  it('folds repeated [] names into arrays and [key] into objects, as Rails does', () => {
    expect(fieldsToJson([['media_ids[]', '1'], ['media_ids[]', '2'], ['poll[options][]', 'a'], ['poll[options][]', 'b'], ['poll[expires_in]', '300'], ['status', 'x']])).toEqual({
      media_ids: ['1', '2'],
      poll: { options: ['a', 'b'], expires_in: '300' },
      status: 'x',
    });
  });
});
