import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, ConnectResult } from '../../main/core/contract';
import { openAccountConnection } from '../../main/services/accounts/account-connection';
import { createBackend, databasePath, type Backend } from '../../main/services/services';
import { startDiscordFake, type DiscordFake, type FakeDiscordWebhook } from '../fakes/discord-fake';
import { dispatcher, FakeClock, makeTempDir, MemorySecretStore } from './support/backend';

/**
 * Connecting a Discord channel by its webhook address, through the real dispatch boundary, on a
 * real database file, against the Discord fake: the address is checked with Discord, kept only in
 * the keychain, and the account publishes as the name the client wants.
 */

let dir: ReturnType<typeof makeTempDir>;
let discord: DiscordFake;
let hook: FakeDiscordWebhook;
let secrets: MemorySecretStore;
let backend: Backend;
let projectId: string;

const { call, ok, refused } = dispatcher(() => backend);

const connect = (webhookUrl: string, extra: { username?: string; avatarUrl?: string } = {}) =>
  call<ConnectResult>('accounts.connect', { projectId, connection: { network: 'discord', webhookUrl, ...extra } });

function databaseBytes(): Buffer {
  const path = databasePath(dir.path);
  return Buffer.concat([readFileSync(path), existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : Buffer.alloc(0)]);
}

beforeEach(async () => {
  dir = makeTempDir('outpost-discord-');
  discord = await startDiscordFake();
  hook = discord.addWebhook({ name: 'Bakery news' });
  secrets = new MemorySecretStore();
  backend = createBackend({
    dataDir: dir.path,
    clock: new FakeClock(),
    emit: () => undefined,
    secrets,
    platform: { host: 'browser', version: '0.0.0-test', openExternal: async () => undefined },
    networks: { baseUrls: { discord: discord.baseUrl } },
    log: () => undefined,
  });
  projectId = (await ok<{ id: string }>('projects.create', { name: 'Corner Bakery', color: '#2563eb', timezone: 'Europe/Berlin' })).id;
});

afterEach(async () => {
  if (backend.services.db.open) backend.close();
  const violations = [...discord.violations];
  await discord.close();
  dir.remove();
  expect(violations).toEqual([]);
});

describe('connecting a Discord channel', () => {
  it('checks the webhook with Discord, keeps its address in the keychain only, and posts under the chosen name', async () => {
    const result = await connect(hook.url, { username: 'Corner Bakery', avatarUrl: 'https://bakery.example/logo.png' });
    expect(result.ok).toBe(true);
    const { account, renewed } = (result as { value: ConnectResult }).value;
    expect(renewed).toBe(false);
    expect(account).toMatchObject({
      network: 'discord',
      displayName: 'Corner Bakery',
      handle: 'Bakery news',
      url: `https://discord.com/channels/${hook.guildId}/${hook.channelId}`,
      status: 'connected',
    });
    expect([...secrets.secrets.values()].map((s) => JSON.parse(s) as unknown)).toEqual([{ webhookId: hook.id, webhookToken: hook.token }]);
    expect(databaseBytes().includes(Buffer.from(hook.token))).toBe(false);

    // What the scheduler opens publishes with the override.
    const link = await openAccountConnection(backend.services, account.id);
    await link.connector.publish(link.ctx, { text: 'Fresh bread', media: [], idempotencyKey: 'k1' });
    expect(discord.live(hook)[0]).toMatchObject({ content: 'Fresh bread', username: 'Corner Bakery', avatarUrl: 'https://bakery.example/logo.png' });
  });

  it('the same webhook again renews the account in place; a new address after a reset reconnects it', async () => {
    const first = (await ok<ConnectResult>('accounts.connect', { projectId, connection: { network: 'discord', webhookUrl: hook.url } })).account;
    const again = await ok<ConnectResult>('accounts.connect', { projectId, connection: { network: 'discord', webhookUrl: hook.url } });
    expect(again).toMatchObject({ renewed: true, account: { id: first.id } });
    hook.token = 'b'.repeat(68);
    hook.url = `https://discord.com/api/webhooks/${hook.id}/${hook.token}`;
    const reconnected = await ok<Account>('accounts.reconnect', { id: first.id, credentials: { network: 'discord', webhookUrl: hook.url } });
    expect(reconnected.status).toBe('connected');
    expect([...secrets.secrets.values()].map((s) => (JSON.parse(s) as { webhookToken: string }).webhookToken)).toEqual([hook.token]);
    // Another webhook is another account, not this one.
    const other = discord.addWebhook({ name: 'Elsewhere' });
    expect(await refused('accounts.reconnect', { id: first.id, credentials: { network: 'discord', webhookUrl: other.url } })).toMatchObject({ code: 'conflict' });
  });

  it('refuses what is not a webhook address before asking anyone, and a deleted webhook in Discord’s words', async () => {
    expect(await refused('accounts.connect', { projectId, connection: { network: 'discord', webhookUrl: 'https://example.com/hook' } })).toMatchObject({
      field: 'webhookUrl',
      reason: 'discord_webhook_malformed',
    });
    expect(await refused('accounts.connect', { projectId, connection: { network: 'discord', webhookUrl: hook.url, avatarUrl: 'http://insecure.example/a.png' } })).toMatchObject({
      reason: 'discord_avatar_malformed',
    });
    expect(discord.server.requests).toEqual([]);
    discord.deleteWebhook(hook);
    expect(await refused('accounts.connect', { projectId, connection: { network: 'discord', webhookUrl: hook.url } })).toMatchObject({
      reason: 'discord_webhook_rejected',
      networkSaid: 'Unknown Webhook',
    });
    expect(secrets.secrets.size).toBe(0);
  });
});

describe('editing a published Discord message from its post', () => {
  it('changes the words at Discord in place, keeps them as the target’s text and says so in the history', async () => {
    const { account } = (await ok<ConnectResult>('accounts.connect', { projectId, connection: { network: 'discord', webhookUrl: hook.url } }));
    const connection = await openAccountConnection(backend.services, account.id);
    const sent = await connection.connector.publish(connection.ctx, { text: 'Croissants at 8', media: [], idempotencyKey: 'k1' });
    const post = await ok<{ id: string; targets: { id: string }[] }>('posts.create', { projectId, body: 'Croissants at 8', targets: [{ accountId: account.id }] });
    const targetId = post.targets[0]!.id;
    const db = backend.services.db;
    db.prepare(`UPDATE posts SET status = 'published' WHERE id = ?`).run(post.id);
    db.prepare(`UPDATE post_targets SET state = 'published', remote_id = ?, published_at = 1 WHERE id = ?`).run(sent.remoteId, targetId);
    db.prepare(`INSERT INTO jobs (id, kind, target_id, state, due_at, next_attempt_at, idempotency_key, created_at, updated_at) VALUES ('j1', 'publish', ?, 'done', 0, 0, 'k1', 0, 0)`).run(targetId);

    const edited = await ok<{ targets: { bodyOverride: string | null }[] }>('publishing.editPublished', { targetId, text: 'Croissants at 9 (the oven is late)' });
    expect(edited.targets[0]!.bodyOverride).toBe('Croissants at 9 (the oven is late)');
    expect(discord.live(hook).map((m) => m.content)).toEqual(['Croissants at 9 (the oven is late)']);
    const history = await ok<{ event: string }[]>('publishing.history', { id: post.id });
    expect(history.map((h) => h.event)).toContain('edited');

    expect(await refused('publishing.editPublished', { targetId, text: 'x'.repeat(2001) })).toMatchObject({ code: 'validation', reason: 'edit_refused' });
    expect(discord.live(hook).map((m) => m.content)).toEqual(['Croissants at 9 (the oven is late)']);
    db.prepare(`UPDATE post_targets SET state = 'pending' WHERE id = ?`).run(targetId);
    expect(await refused('publishing.editPublished', { targetId, text: 'Later' })).toMatchObject({ reason: 'target_not_published' });
  });
});
