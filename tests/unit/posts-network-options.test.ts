import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectResult, Post } from '../../main/core/contract';
import { openAccountConnection } from '../../main/services/accounts/account-connection';
import { getTargetContent } from '../../main/services/scheduler/jobs-repo';
import { publishRequest } from '../../main/services/scheduler/publish-request';
import { createBackend, type Backend } from '../../main/services/services';
import { openDatabase } from '../../main/services/store/database';
import { migrations } from '../../main/services/store/migrations';
import { startVkFake, type FakeVkGroup, type VkFake } from '../fakes/vk-fake';
import { dispatcher, FakeClock, makeTempDir, MemorySecretStore } from './support/backend';

/**
 * A post's own VK options (ad mark, signed, source, comments closed): kept with the post
 * (migration 12), checked at the boundary, and carried into wall.post for VK targets only —
 * the last step against the VK fake, which records what wall.post was given.
 */

let dir: ReturnType<typeof makeTempDir>;
let vk: VkFake;
let group: FakeVkGroup;
let backend: Backend;
let projectId: string;
let vkAccount: string;
let telegramAccount: string;

const { ok, refused } = dispatcher(() => backend);
const paid = { markAsAds: true, signed: true, copyright: 'https://source.example/recipe', closeComments: true };

beforeEach(async () => {
  dir = makeTempDir('outpost-network-options-');
  const clock = new FakeClock();
  vk = await startVkFake({ now: () => clock.now() });
  const app = vk.addApp();
  const user = vk.addUser();
  group = vk.addGroup({ name: 'Bakery on Lenina', screenName: 'bakery_lenina' });
  vk.setRole(group, user, 'editor');
  vk.signInAs(user);
  backend = createBackend({
    dataDir: dir.path,
    clock,
    emit: () => undefined,
    secrets: new MemorySecretStore(),
    platform: {
      host: 'browser',
      version: '0.0.0-test',
      openExternal: async (url) => {
        if (url.startsWith(vk.baseUrl)) await (await fetch(url, { redirect: 'follow' })).text();
      },
    },
    networks: { baseUrls: { vk: vk.baseUrl }, signInTimeoutMs: 5_000 },
    log: () => undefined,
  });
  projectId = (await ok<{ id: string }>('projects.create', { name: 'Acme Bakery', color: '#2563eb', timezone: 'Europe/Moscow' })).id;
  const connection = { network: 'vk', appId: app.appId, method: 'vkid', community: `https://vk.com/${group.screenName}` };
  vkAccount = (await ok<ConnectResult>('accounts.connect', { projectId, connection })).account.id;
  telegramAccount = 'acc-telegram';
  backend.services.db
    .prepare(`INSERT INTO accounts (id, project_id, network, handle, display_name, created_at, updated_at) VALUES (?, ?, 'telegram', '@bakery', 'Bakery', 0, 0)`)
    .run(telegramAccount, projectId);
});

afterEach(async () => {
  if (backend.services.db.open) backend.close();
  await vk.close();
  dir.remove();
});

describe('a post’s VK options', () => {
  it('are kept with the post, replaced as a whole, and copied by duplicate', async () => {
    const created = await ok<Post>('posts.create', { projectId, body: 'Sponsored bake', targets: [{ accountId: vkAccount }], networkOptions: { vk: paid } });
    expect(created.networkOptions).toEqual({ vk: paid });
    expect((await ok<Post>('posts.get', { id: created.id })).networkOptions).toEqual({ vk: paid });
    const updated = await ok<Post>('posts.update', { id: created.id, revision: created.revision, networkOptions: { vk: { signed: false } } });
    expect(updated.networkOptions).toEqual({ vk: { signed: false } });
    expect((await ok<Post>('posts.duplicate', { id: created.id })).networkOptions).toEqual({ vk: { signed: false } });
    const plain = await ok<Post>('posts.create', { projectId, body: 'Plain' });
    expect(plain.networkOptions).toEqual({});
  });

  it('take a link or a few words on one line as the source, and nothing unknown', async () => {
    const post = await ok<Post>('posts.create', { projectId, body: 'x' });
    const update = (networkOptions: unknown) => refused('posts.update', { id: post.id, revision: post.revision, networkOptions });
    expect(await update({ vk: { copyright: 'Photo: Anna\nand more' } })).toMatchObject({ code: 'bad_request' });
    expect(await update({ vk: { copyright: 'x'.repeat(201) } })).toMatchObject({ code: 'bad_request' });
    expect(await update({ vk: { copyright: `https://source.example/${'x'.repeat(2048)}` } })).toMatchObject({ code: 'bad_request' });
    expect(await update({ vk: { pinned: true } })).toMatchObject({ code: 'bad_request' });
    expect(await update({ mastodon: {} })).toMatchObject({ code: 'bad_request' });
    const words = await ok<Post>('posts.update', { id: post.id, revision: post.revision, networkOptions: { vk: { copyright: 'Photo: Anna Petrova' } } });
    expect(words.networkOptions.vk?.copyright).toBe('Photo: Anna Petrova');
  });

  it('a stored value that is not options falls back to the defaults and stops scheduling', async () => {
    const post = await ok<Post>('posts.create', { projectId, body: 'x', targets: [{ accountId: telegramAccount }], local: '2030-01-01T10:00' });
    backend.services.db.prepare(`UPDATE posts SET network_options = '{"vk": {"signed": "yes"}}' WHERE id = ?`).run(post.id);
    expect((await ok<Post>('posts.get', { id: post.id })).networkOptions).toEqual({});
    const outcome = await ok<{ scheduled: boolean; problems: { code: string }[] }>('posts.schedule', { id: post.id, revision: post.revision });
    expect(outcome.scheduled).toBe(false);
  });

  it('closed comments and a first comment on VK stop scheduling: VK would refuse the comment', async () => {
    const post = await ok<Post>('posts.create', {
      projectId,
      body: 'Sponsored bake',
      targets: [{ accountId: vkAccount }],
      local: '2030-01-01T10:00',
      networkOptions: { vk: { closeComments: true } },
    });
    const commented = await ok<Post>('posts.update', { id: post.id, revision: post.revision, firstComment: 'Order at bakery.example' });
    const refusedOutcome = await ok<{ scheduled: boolean; problems: { code: string; accountId?: string }[] }>('posts.schedule', { id: post.id, revision: commented.revision });
    expect(refusedOutcome.scheduled).toBe(false);
    expect(refusedOutcome.problems).toContainEqual(expect.objectContaining({ code: 'first_comment_comments_closed', accountId: vkAccount }));
    const opened = await ok<Post>('posts.update', { id: post.id, revision: commented.revision, networkOptions: { vk: { closeComments: false } } });
    expect((await ok<{ scheduled: boolean }>('posts.schedule', { id: post.id, revision: opened.revision })).scheduled).toBe(true);
  });

  it('reach wall.post for a VK target, and stay off the request for any other network', async () => {
    const post = await ok<Post>('posts.create', {
      projectId,
      body: 'Sponsored bake',
      targets: [{ accountId: vkAccount }, { accountId: telegramAccount }],
      networkOptions: { vk: paid },
    });
    const [vkTarget, telegramTarget] = post.targets;
    const link = await openAccountConnection(backend.services, vkAccount);
    const request = publishRequest(link, getTargetContent(backend.services.db, vkTarget!.id)!, 'job-1', []);
    expect(request.vk).toEqual(paid);
    await link.connector.publish(link.ctx, request);
    expect(vk.livePosts(group)[0]).toMatchObject({ signed: true, markedAsAds: true, copyright: 'https://source.example/recipe', closeComments: true });

    const telegram = { connector: { network: 'telegram' } as typeof link.connector, ctx: link.ctx };
    expect(publishRequest(telegram, getTargetContent(backend.services.db, telegramTarget!.id)!, 'job-2', [])).not.toHaveProperty('vk');
  });

  it('a post without options leaves the community’s defaults to VK', async () => {
    const post = await ok<Post>('posts.create', { projectId, body: 'Fresh bread', targets: [{ accountId: vkAccount }] });
    const link = await openAccountConnection(backend.services, vkAccount);
    const request = publishRequest(link, getTargetContent(backend.services.db, post.targets[0]!.id)!, 'job-1', []);
    expect(request).not.toHaveProperty('vk');
    await link.connector.publish(link.ctx, request);
    expect(vk.livePosts(group)[0]).toMatchObject({ markedAsAds: false });
  });
});

it('migration 12 gives every post written before it no options', () => {
  const path = join(dir.path, 'before-12.db');
  const before = openDatabase(path, { migrations: migrations.filter((m) => m.version < 12) });
  before.prepare(`INSERT INTO projects (id, name, name_key, color, timezone, created_at, updated_at) VALUES ('p1', 'Bakery', 'bakery', '#2563eb', 'Europe/Berlin', 0, 0)`).run();
  before.prepare(`INSERT INTO posts (id, project_id, timezone, created_at, updated_at) VALUES ('post1', 'p1', 'Europe/Berlin', 0, 0)`).run();
  before.close();
  const after = openDatabase(path);
  expect(after.prepare(`SELECT network_options FROM posts WHERE id = 'post1'`).get()).toEqual({ network_options: '{}' });
  after.close();
});
