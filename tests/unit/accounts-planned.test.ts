import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Account, Post, PostProblem } from '../../main/core/contract';
import { dispatcher, makeTempDir, openTestBackend, type TestBackend } from './support/backend';

/**
 * A network planned before its account exists (issue 12 item 9): drafts aim at it with its
 * rules, scheduling asks for a real account, and connecting one takes the drafts over.
 */

let dir: ReturnType<typeof makeTempDir>;
let t: TestBackend;
let projectId: string;
const { ok, refused } = dispatcher(() => t.backend);

function addConnected(network: string, handle: string): string {
  const id = `acc-${network}-${handle}`;
  t.backend.services.db
    .prepare(`INSERT INTO accounts (id, project_id, network, handle, display_name, status, remote_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'connected', ?, 0, 0)`)
    .run(id, projectId, network, handle, handle, handle);
  return id;
}

beforeEach(async () => {
  dir = makeTempDir('outpost-planned-');
  t = openTestBackend(dir.path);
  projectId = (await ok<{ id: string }>('projects.create', { name: 'New client', color: '#2563eb', timezone: 'Europe/Berlin' })).id;
});

afterEach(() => {
  t.backend.close();
  dir.remove();
});

it('plans a network once per project and lists it after the connected accounts, with its drafts counted', async () => {
  const planned = await ok<Account>('accounts.plan', { projectId, network: 'instagram' });
  expect(planned).toMatchObject({ network: 'instagram', status: 'planned', handle: '', plannedPosts: 0 });
  expect((await ok<Account>('accounts.plan', { projectId, network: 'instagram' })).id).toBe(planned.id);
  const tg = addConnected('telegram', '@bakery');
  await ok<Post>('posts.create', { projectId, body: 'Croissants', targets: [{ accountId: planned.id }] });
  const listed = await ok<Account[]>('accounts.list', { projectId });
  expect(listed.map((a) => [a.id, a.status, a.plannedPosts])).toEqual([
    [tg, 'connected', undefined],
    [planned.id, 'planned', 1],
  ]);
  expect(t.events.filter((e) => e.event === 'accounts.changed')).toHaveLength(1);
});

it('checks a draft for a planned network by its rules, and refuses to schedule it until an account takes it', async () => {
  const x = await ok<Account>('accounts.plan', { projectId, network: 'x' });
  const post = await ok<Post>('posts.create', { projectId, body: 'a'.repeat(300), targets: [{ accountId: x.id }], local: '2099-01-05T09:00' });
  const { scheduled, problems } = await ok<{ scheduled: boolean; problems: PostProblem[] }>('posts.schedule', { id: post.id, revision: post.revision });
  expect(scheduled).toBe(false);
  expect(problems.filter((p) => p.severity === 'error').map((p) => [p.code, p.accountId])).toEqual([
    ['account_missing', x.id],
    ['text_too_long', x.id],
  ]);
  const range = { projectId, from: Date.UTC(2099, 0, 1), to: Date.UTC(2099, 0, 31) };
  expect((await ok<{ entries: { id: string; accountMissing?: boolean }[] }>('calendar.range', range)).entries.map((e) => [e.id, e.accountMissing])).toEqual([[post.id, true]]);
  const real = addConnected('x', 'bakery');
  const moved = await ok<Post>('posts.update', { id: post.id, revision: post.revision, body: 'Fresh today', targets: [{ accountId: real }] });
  const again = await ok<{ scheduled: boolean; problems: PostProblem[] }>('posts.schedule', { id: post.id, revision: moved.revision });
  expect(again.problems.filter((p) => p.severity === 'error')).toEqual([]);
  expect(again.scheduled).toBe(true);
  expect((await ok<{ entries: { accountMissing?: boolean }[] }>('calendar.range', range)).entries.map((e) => e.accountMissing)).toEqual([false]);
});

it('gives every draft to the connected account, keeps the one already going there, and removes the planned network only when unused', async () => {
  const planned = await ok<Account>('accounts.plan', { projectId, network: 'vk' });
  const real = addConnected('vk', 'club1');
  const a = await ok<Post>('posts.create', { projectId, body: 'One', targets: [{ accountId: planned.id, bodyOverride: 'One, for VK' }] });
  const b = await ok<Post>('posts.create', { projectId, body: 'Two', targets: [{ accountId: planned.id }, { accountId: real }] });
  expect(await refused('accounts.unplan', { id: planned.id })).toMatchObject({ code: 'conflict', reason: 'planned_in_use', details: { count: 2 } });
  expect(await refused('accounts.adoptPlanned', { id: planned.id, accountId: addConnected('telegram', '@x') })).toMatchObject({ reason: 'account_not_matching' });
  expect(await refused('accounts.disconnect', { id: planned.id })).toMatchObject({ reason: 'account_planned' });

  expect(await ok('accounts.adoptPlanned', { id: planned.id, accountId: real })).toEqual({ moved: 1, left: 1 });
  const first = await ok<Post>('posts.get', { id: a.id });
  expect(first.targets.map((x) => [x.accountId, x.bodyOverride])).toEqual([[real, 'One, for VK']]);
  expect((await ok<Post>('posts.get', { id: b.id })).targets.map((x) => x.accountId).sort()).toEqual([planned.id, real].sort());

  const second = await ok<Post>('posts.get', { id: b.id });
  await ok<Post>('posts.update', { id: b.id, revision: second.revision, targets: [{ accountId: real }] });
  expect(await ok('accounts.unplan', { id: planned.id })).toEqual({ removed: true });
  expect((await ok<Account[]>('accounts.list', { projectId })).map((x) => x.status)).toEqual(['connected', 'connected']);
});
