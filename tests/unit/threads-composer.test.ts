import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connector } from '../../main/core/connector';
import type { AccountDefaults, AccountQuota, Post } from '../../main/core/contract';
import { openAccountConnection } from '../../main/services/accounts/account-connection';
import { getAccountRow } from '../../main/services/accounts/accounts-repo';
import { quotaAt, quotaHandlers } from '../../main/services/accounts/quota-handlers';
import { createThreadsConnector } from '../../main/services/connectors/threads';
import { startThreadsFake, type FakeThreadsApp, type FakeThreadsUser, type ThreadsFake } from '../fakes/threads-fake';
import { getTargetContent } from '../../main/services/scheduler/jobs-repo';
import { publishRequest } from '../../main/services/scheduler/publish-request';
import { dispatcher, makeTempDir, openTestBackend, type TestBackend } from './support/backend';

/**
 * What the composer does for a Threads account. Its options (who may reply, a topic, the link card)
 * are kept with the post and reach the Threads connector's request. accounts.quota: the composer asks, before scheduling, how much of a network's publishing cap an
 * account has used (Threads' threads_publishing_limit here, against the Threads fake), and whether
 * the account's posts already scheduled in the window would pass it. Anything that stops the
 * question (offline, no cap, no sign-in) answers null, never an error the UI would show.
 */

const HOUR = 3_600_000;
const connector = createThreadsConnector({ timeoutMs: 2000, pollIntervalMs: 5, pollTimeoutMs: 2000 });

let dir: ReturnType<typeof makeTempDir>;
let test: TestBackend;
let th: ThreadsFake;
let app: FakeThreadsApp;
let user: FakeThreadsUser;
let token: string;
let projectId: string;
let fetchOf: typeof fetch;
const threadsAccount = 'acc-threads';
const telegramAccount = 'acc-telegram';
const { ok, refused } = dispatcher(() => test.backend);

/** The Threads account's connection, built as the accounts flow will build it, pointed at the fake. */
const openWithThreads: typeof openAccountConnection = async (services, accountId, signal) => {
  if (accountId !== threadsAccount) return openAccountConnection(services, accountId, signal);
  const now = test.clock.now();
  return {
    account: getAccountRow(services.db, accountId)!,
    connector: connector as Connector,
    defaults: {} as AccountDefaults,
    ctx: {
      baseUrl: th.baseUrl,
      credentials: { appId: app.id, accessToken: token, expiresAt: now + 50 * 24 * HOUR, issuedAt: now - 2 * 24 * HOUR, userId: user.id },
      config: { userId: user.id, username: user.username },
      fetch: (...args: Parameters<typeof fetch>) => fetchOf(...args),
      now: () => test.clock.now(),
      ...(signal ? { signal } : {}),
    },
  };
};

const ask = (id: string, at: number | null = null, postId?: string) =>
  quotaHandlers(test.backend.services, openWithThreads)['accounts.quota']({ id, at, ...(postId ? { postId } : {}) }) as Promise<AccountQuota | null>;

beforeEach(async () => {
  dir = makeTempDir('outpost-quota-');
  test = openTestBackend(dir.path);
  th = await startThreadsFake({ now: () => test.clock.now() });
  app = th.addApp();
  user = th.addUser('cornerbakery');
  token = th.issueToken(user, app, { ageMs: 2 * 24 * HOUR });
  fetchOf = fetch;
  projectId = (await ok<{ id: string }>('projects.create', { name: 'Corner Bakery', color: '#2563eb', timezone: 'UTC' })).id;
  const insert = test.backend.services.db.prepare(
    `INSERT INTO accounts (id, project_id, network, handle, display_name, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'Corner Bakery', 'connected', 0, 0)`,
  );
  insert.run(threadsAccount, projectId, 'threads', 'cornerbakery');
  insert.run(telegramAccount, projectId, 'telegram', '@cornerbakery');
});

afterEach(async () => {
  test.backend.close();
  await th.close();
  dir.remove();
});

/** A post on the account scheduled for `at`, as posts.schedule leaves it. */
async function scheduledPost(accountId: string, at: number): Promise<string> {
  const post = await ok<Post>('posts.create', { projectId, body: `Bake at ${at}`, targets: [{ accountId }] });
  const db = test.backend.services.db;
  db.prepare(`UPDATE posts SET status = 'scheduled', scheduled_at = ? WHERE id = ?`).run(at, post.id);
  db.prepare(`UPDATE post_targets SET state = 'scheduled' WHERE post_id = ?`).run(post.id);
  return post.id;
}

describe('accounts.quota', () => {
  it('reads Threads’ own count of the last 24 hours from the network', async () => {
    const link = await openWithThreads(test.backend.services, threadsAccount);
    for (const text of ['Rye', 'Sourdough', 'Croissants']) await link.connector.publish(link.ctx, { text, media: [], idempotencyKey: text });
    const answer = await ask(threadsAccount);
    expect(answer).toEqual({ quota: { posts: { used: 3, total: 250 }, replies: { used: 0, total: 1000 }, windowMs: 24 * HOUR }, scheduled: 0, wouldPass: false });
    expect(th.requests.filter((r) => r.path.endsWith('/me/threads_publishing_limit'))).toHaveLength(1);
    expect(th.violations).toEqual([]);
  });

  it('counts the account’s other posts scheduled in the window before the post’s time, not this post or other accounts’', async () => {
    const now = test.clock.now();
    const own = await scheduledPost(threadsAccount, now + 5 * HOUR);
    await scheduledPost(threadsAccount, now + 2 * HOUR);
    await scheduledPost(threadsAccount, now + 3 * HOUR);
    await scheduledPost(threadsAccount, now + 30 * HOUR); // after the post's time
    await scheduledPost(telegramAccount, now + 2 * HOUR);
    expect((await ask(threadsAccount, now + 5 * HOUR, own))?.scheduled).toBe(2);
    // A day and more ahead: only what is scheduled in the 24 hours before it counts.
    expect((await ask(threadsAccount, now + 40 * HOUR, own))?.scheduled).toBe(1);
  });

  it('warns when what is used, what is scheduled and this post pass the cap', async () => {
    const db = test.backend.services.db;
    const now = test.clock.now();
    const quota = { posts: { used: 99, total: 100 }, replies: null, windowMs: 24 * HOUR };
    // The 100th post fits.
    expect(quotaAt(db, threadsAccount, quota, now, now + HOUR).wouldPass).toBe(false);
    await scheduledPost(threadsAccount, now + HOUR / 2);
    expect(quotaAt(db, threadsAccount, quota, now, now + HOUR)).toMatchObject({ scheduled: 1, wouldPass: true });
    // A day later, today's use has left the window.
    expect(quotaAt(db, threadsAccount, quota, now, now + 25 * HOUR).wouldPass).toBe(false);
  });

  it('answers null, with no error, offline, for a network without a cap, and for an unknown account', async () => {
    fetchOf = () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
    expect(await ask(threadsAccount)).toBeNull();
    expect(await ask(telegramAccount)).toBeNull();
    expect(await ask('acc-gone')).toBeNull();
    // Through the boundary as the composer sends it: an answer, not a refusal.
    expect(await ok('accounts.quota', { id: telegramAccount, at: null })).toBeNull();
  });
});

describe('a post’s Threads options', () => {
  const options = { replyControl: 'accounts_you_follow', topicTag: 'Bread', linkAttachment: 'https://bakery.example/menu' } as const;

  it('are kept with the post and replaced as a whole', async () => {
    const created = await ok<Post>('posts.create', { projectId, body: 'Rye today', targets: [{ accountId: threadsAccount }], networkOptions: { threads: options } });
    expect((await ok<Post>('posts.get', { id: created.id })).networkOptions).toEqual({ threads: options });
    const updated = await ok<Post>('posts.update', { id: created.id, revision: created.revision, networkOptions: { threads: { replyControl: 'mentioned_only' } } });
    expect(updated.networkOptions).toEqual({ threads: { replyControl: 'mentioned_only' } });
  });

  it('refuse an unknown reply setting, a link card that is not a web address, and unknown options', async () => {
    const post = await ok<Post>('posts.create', { projectId, body: 'x' });
    const update = (networkOptions: unknown) => refused('posts.update', { id: post.id, revision: post.revision, networkOptions });
    expect(await update({ threads: { replyControl: 'nobody' } })).toMatchObject({ code: 'bad_request' });
    expect(await update({ threads: { linkAttachment: 'bakery.example/menu' } })).toMatchObject({ code: 'bad_request' });
    expect(await update({ threads: { pinned: true } })).toMatchObject({ code: 'bad_request' });
  });

  it('a topic Threads would refuse is kept but stops scheduling, with the reason on the Threads target', async () => {
    const post = await ok<Post>('posts.create', { projectId, body: 'Rye', targets: [{ accountId: threadsAccount }], local: '2030-01-01T10:00', networkOptions: { threads: { topicTag: 'Bread & Butter' } } });
    const outcome = await ok<{ scheduled: boolean; problems: { code: string; accountId?: string }[] }>('posts.schedule', { id: post.id, revision: post.revision });
    expect(outcome.scheduled).toBe(false);
    expect(outcome.problems).toContainEqual(expect.objectContaining({ code: 'threads_topic_tag', accountId: threadsAccount }));
  });

  it('reach the Threads post for a Threads target, and stay off any other network’s request', async () => {
    const post = await ok<Post>('posts.create', {
      projectId,
      body: 'Fresh rye today',
      targets: [{ accountId: threadsAccount }, { accountId: telegramAccount }],
      networkOptions: { threads: options },
    });
    const [threadsTarget, telegramTarget] = post.targets;
    const link = await openWithThreads(test.backend.services, threadsAccount);
    const request = publishRequest(link, getTargetContent(test.backend.services.db, threadsTarget!.id)!, 'job-1', []);
    expect(request.threads).toEqual(options);
    await link.connector.publish(link.ctx, request);
    expect(th.livePosts(user)[0]).toMatchObject({ text: 'Fresh rye today', replyControl: 'accounts_you_follow', topicTag: 'Bread', linkAttachment: 'https://bakery.example/menu' });

    const telegram = { connector: { network: 'telegram' } as Connector, ctx: link.ctx };
    expect(publishRequest(telegram, getTargetContent(test.backend.services.db, telegramTarget!.id)!, 'job-2', [])).not.toHaveProperty('threads');
  });
});
