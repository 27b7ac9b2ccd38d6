import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, type FailureKind, type MediaItem, type PublishRequest } from '../../../main/core/connector';
import { createDiscordConnector, parseWebhookUrl, threadNameOf, type DiscordConfig, type DiscordContext } from '../../../main/services/connectors/discord';
import { readinessProblems } from '../../../main/core/posts/readiness';
import { startDiscordFake, type DiscordFake, type FakeDiscordWebhook } from '../../fakes/discord-fake';

const connector = createDiscordConnector({ timeoutMs: 1_500 });
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));
const image = (i: number, alt = `photo ${i}`): MediaItem => ({ fileName: `photo ${i}.png`, mime: 'image/png', bytes: PNG, alt, width: 1, height: 1 });
const post = (text: string, media: MediaItem[] = []): PublishRequest => ({ text, media, idempotencyKey: 'job-1' });

let discord: DiscordFake;
let hook: FakeDiscordWebhook;

beforeEach(async () => {
  discord = await startDiscordFake();
  hook = discord.addWebhook({ name: 'Bakery news' });
});

afterEach(async () => {
  const violations = [...discord.violations];
  await discord.close();
  expect(violations).toEqual([]);
});

function ctx(webhook = hook, config: Partial<DiscordConfig> = {}): DiscordContext {
  return {
    baseUrl: discord.baseUrl,
    credentials: { webhookId: webhook.id, webhookToken: webhook.token },
    config: { name: webhook.name, channelId: webhook.channelId, guildId: webhook.guildId, ...config },
    fetch,
    now: Date.now,
  };
}

async function failure(promise: Promise<unknown>, kind: FailureKind): Promise<ConnectorError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected a ${kind} failure`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  expect((error as ConnectorError).kind).toBe(kind);
  // The webhook's token is its password: it never shows up in what the user or the log sees.
  expect(inspect(error, { depth: 8 })).not.toContain(hook.token);
  return error as ConnectorError;
}

describe('the webhook address', () => {
  it('takes the address Discord copies, with or without an API version, and nothing else', () => {
    expect(parseWebhookUrl(hook.url)).toEqual({ webhookId: hook.id, webhookToken: hook.token });
    expect(parseWebhookUrl(`https://discordapp.com/api/v10/webhooks/${hook.id}/${hook.token}?wait=true`)).toEqual({ webhookId: hook.id, webhookToken: hook.token });
    expect(parseWebhookUrl(`http://discord.com/api/webhooks/${hook.id}/${hook.token}`)).toBeNull();
    expect(parseWebhookUrl(`https://discord.example/api/webhooks/${hook.id}/${hook.token}`)).toBeNull();
    expect(parseWebhookUrl(`https://discord.com/api/webhooks/${hook.id}`)).toBeNull();
    expect(parseWebhookUrl('not a link')).toBeNull();
  });

  it('is described by Discord: its name, channel and server', async () => {
    expect(await connector.describeWebhook(ctx())).toEqual({ id: hook.id, name: 'Bakery news', channelId: hook.channelId, guildId: hook.guildId });
  });
});

describe('publishing', () => {
  it('posts the text with wait=true, so the message id comes back and a link to it', async () => {
    const sent = await connector.publish(ctx(hook, { username: 'Corner Bakery' }), post('Fresh bread at nine @everyone 🥐'));
    const [message] = discord.live(hook);
    expect(message).toMatchObject({ content: 'Fresh bread at nine @everyone 🥐', username: 'Corner Bakery' });
    // Users and roles may ping; @everyone from a text written for another network may not.
    expect(message!.allowedMentions).toEqual({ parse: ['users', 'roles'] });
    expect(sent).toMatchObject({ remoteId: message!.id, url: `https://discord.com/channels/${hook.guildId}/${hook.channelId}/${message!.id}` });
  });

  it('sends images as files with their alt text, each named in attachments', async () => {
    await connector.publish(ctx(), post('Two loaves', [image(0), image(1, 'rye loaf')]));
    expect(discord.live(hook)[0]!.files).toEqual([
      { filename: 'photo_0.png', description: 'photo 0', contentType: 'image/png', bytes: PNG.length },
      { filename: 'photo_1.png', description: 'rye loaf', contentType: 'image/png', bytes: PNG.length },
    ]);
  });

  it('sends the post’s link card as an embed with its picture attached, without Discord’s own second preview; a removed card suppresses previews', async () => {
    const card = { url: 'https://acme.example/menu', title: 'Winter menu', description: 'Rye and rolls', image: PNG, shown: true, above: false, large: true };
    await connector.publish(ctx(), { ...post('Menu: https://acme.example/menu'), card });
    const [message] = discord.live(hook);
    expect(message!.content).toBe('Menu: <https://acme.example/menu>');
    expect(message!.embeds).toEqual([{ url: card.url, title: 'Winter menu', description: 'Rye and rolls', image: { url: 'attachment://card.jpg' } }]);
    expect(message!.files).toEqual([{ filename: 'card.jpg', description: undefined, contentType: 'image/jpeg', bytes: PNG.length }]);

    await connector.publish(ctx(), { ...post('Menu: https://acme.example/menu'), card: { ...card, shown: false }, idempotencyKey: 'job-2' });
    expect(discord.live(hook)[1]).toMatchObject({ content: 'Menu: https://acme.example/menu', embeds: [], flags: 4 });
    // Pictures of the post go instead of the card.
    await connector.publish(ctx(), { ...post('Menu: https://acme.example/menu', [image(0)]), card, idempotencyKey: 'job-3' });
    expect(discord.live(hook)[2]).toMatchObject({ content: 'Menu: https://acme.example/menu', embeds: [], files: [expect.objectContaining({ filename: 'photo_0.png' })] });
  });

  it('opens a thread in a forum channel, named by the first line, and deletes it there', async () => {
    const forum = discord.addWebhook({ name: 'Offers', forum: true });
    const sent = await connector.publish(ctx(forum), post('Weekend offer: two for one\nOnly Saturday.'));
    const [message] = discord.live(forum);
    expect(message).toMatchObject({ threadName: 'Weekend offer: two for one', channelId: message!.id });
    expect(sent.remoteId).toBe(`${message!.id}/${message!.id}`);
    await connector.delete(ctx(forum), sent.remoteId);
    expect(discord.live(forum)).toEqual([]);
    expect(threadNameOf('x'.repeat(150), 'f')).toHaveLength(100);
  });

  it('refuses before any call what Discord would refuse', async () => {
    await failure(connector.publish(ctx(), post('a'.repeat(2001))), 'validation');
    await failure(connector.publish(ctx(), post('  ')), 'validation');
    await failure(connector.publish(ctx(), post('eleven files', Array.from({ length: 11 }, (_, i) => image(i)))), 'validation');
    expect(discord.server.requests).toEqual([]);
  });
});

describe('deleting', () => {
  it('deletes the message, and a message already gone counts as deleted', async () => {
    const sent = await connector.publish(ctx(), post('Auto-deleted tomorrow'));
    await connector.delete(ctx(), sent.remoteId);
    await connector.delete(ctx(), sent.remoteId);
    expect(discord.live(hook)).toEqual([]);
  });
});

describe('failures', () => {
  it('a 429 waits as long as Discord asks', async () => {
    discord.rateLimitNext(2_500);
    const error = await failure(connector.publish(ctx(), post('busy')), 'rate_limited');
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(2_500);
    expect(discord.live(hook)).toEqual([]);
  });

  it('a deleted webhook asks to reconnect the channel', async () => {
    discord.deleteWebhook(hook);
    const error = await failure(connector.publish(ctx(), post('anyone there?')), 'auth');
    expect(error.message).toContain('Unknown Webhook');
    expect(error.message).toContain('paste the new webhook address');
  });

  it('a 500 after the message was made may have reached Discord: never retried as if nothing was sent', async () => {
    discord.server.faults.next(discord.server.fault({ kind: 'server_error', status: 500 }, true));
    const error = await failure(connector.publish(ctx(), post('once')), 'transient');
    expect(error.maybeSent).toBe(true);
    // No verify: a webhook cannot list the channel, so the engine parks such a post for the user.
    expect(connector.verify).toBeUndefined();
    expect(discord.live(hook)).toHaveLength(1);
  });

  it('Discord’s field errors are quoted in its words', async () => {
    // A request the spec refuses (content must be a string): the fake answers 50035 as Discord does.
    const reply = await fetch(`${discord.baseUrl}/webhooks/${hook.id}/${hook.token}?wait=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: 42, allowed_mentions: { parse: ['everyone', 'nobody'] } }),
    });
    expect(reply.status).toBe(400);
    expect(((await reply.json()) as { code: number }).code).toBe(50035);
    expect(discord.violations.length).toBeGreaterThan(0);
    discord.violations.length = 0;
  });
});

describe('editing a published message through the webhook', () => {
  it('changes the text in place with PATCH, keeping its files, and a repeat of the same edit changes nothing more', async () => {
    const sent = await connector.publish(ctx(), post('Croissants at 8', [image(1)]));
    await connector.edit!(ctx(), sent.remoteId, '  Croissants at 9 (the oven is late)  ');
    await connector.edit!(ctx(), sent.remoteId, 'Croissants at 9 (the oven is late)');
    const [message] = discord.live(hook);
    expect(message).toMatchObject({ content: 'Croissants at 9 (the oven is late)', files: [{ filename: 'photo_1.png' }] });
    expect(message!.editedAt).toEqual(expect.any(Number));
    expect(discord.messages).toHaveLength(1);
  });

  it('edits a forum thread’s message inside its thread', async () => {
    const forum = discord.addWebhook({ name: 'Offers', forum: true });
    const sent = await connector.publish(ctx(forum), post('Weekend offer: two for one'));
    await connector.edit!(ctx(forum), sent.remoteId, 'Weekend offer: three for two');
    expect(discord.live(forum).map((m) => m.content)).toEqual(['Weekend offer: three for two']);
  });

  it('refuses too long a text before calling, and says so when the message was deleted in Discord', async () => {
    const sent = await connector.publish(ctx(), post('Short'));
    await failure(connector.edit!(ctx(), sent.remoteId, 'x'.repeat(2001)), 'validation');
    await connector.delete(ctx(), sent.remoteId);
    const gone = await failure(connector.edit!(ctx(), sent.remoteId, 'Too late'), 'permanent');
    expect(gone.message).toContain('no longer in Discord');
  });
});

describe('the forum thread’s title', () => {
  it('is the one the user gave, else the first line; readiness refuses one over 100 characters', async () => {
    const forum = discord.addWebhook({ name: 'Offers', forum: true });
    await connector.publish(ctx(forum), { ...post('Weekend offer: two for one\nOnly Saturday.'), discord: { threadName: '  Weekend deals  ' } } as PublishRequest);
    await connector.publish(ctx(forum), post('Monday bread\nRye and spelt.'));
    expect(discord.live(forum).map((m) => m.threadName)).toEqual(['Weekend deals', 'Monday bread']);
    const target = { accountId: 'd', network: 'discord' as const, accountStatus: 'connected' as const, text: 'Hi', media: [] };
    const problems = readinessProblems({ targets: [target], scheduledAt: 10_000_000, now: 0, networkOptions: { discord: { threadName: 'x'.repeat(101) } } });
    expect(problems.filter((p) => p.code.startsWith('discord_'))).toEqual([{ code: 'discord_thread_name_too_long', severity: 'error', accountId: 'd', network: 'discord', params: { limit: 100 } }]);
  });
});
