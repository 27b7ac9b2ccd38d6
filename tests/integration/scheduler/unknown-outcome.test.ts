import { afterEach, describe, expect, it } from 'vitest';
import type { Connector } from '../../../main/core/connector';
import { createMastodonConnector, DEFAULT_MASTODON_LIMITS } from '../../../main/services/connectors/mastodon';
import { createTelegramConnector } from '../../../main/services/connectors/telegram';
import { systemClock } from '../../../main/services/ports';
import { createScheduler, type Scheduler } from '../../../main/services/scheduler/engine';
import { countOpenJobs } from '../../../main/services/scheduler/jobs-repo';
import { confirmPublished, publishPostNow } from '../../../main/services/scheduler/scheduling';
import { openDatabase, type Db } from '../../../main/services/store/database';
import type { Fault, FakeRequest } from '../../fakes/fake-server';
import { startMastodonFake } from '../../fakes/mastodon-fake';
import { startTelegramFake } from '../../fakes/telegram-fake';
import { addAccount, addProject, addScheduledPost } from '../../unit/scheduler/support';

/**
 * Exactly once against the real connectors and loopback fakes: the network handles the post and
 * then the answer goes wrong (500, a 502 HTML page, 503, 504, a reset, a hang). Each ends with
 * exactly one post on the network — verified where the network can be asked (Mastodon), parked
 * for the user where it cannot (a Telegram bot) — never two. Failures that prove nothing was sent
 * (a refused connection, 429, a 4xx) are retried or failed without ever making a second post; a
 * parked post ends as the user says ("I checked: it is published" or "send it again").
 */

const afterHandling: Record<string, Fault> = {
  '500': { kind: 'respond', response: { status: 500, json: { error: 'Internal server error' } }, afterHandling: true },
  '502 HTML page': {
    kind: 'respond',
    response: { status: 502, text: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>', headers: { 'content-type': 'text/html' } },
    afterHandling: true,
  },
  '503': { kind: 'respond', response: { status: 503, text: 'Service Unavailable' }, afterHandling: true },
  '504': { kind: 'respond', response: { status: 504, text: 'Gateway Timeout' }, afterHandling: true },
  reset: { kind: 'reset', afterHandling: true },
  hang: { kind: 'hang', afterHandling: true },
  '200 with a body that is not JSON': {
    kind: 'respond',
    response: { status: 200, text: '<html><body>Welcome to the hotel Wi-Fi</body></html>', headers: { 'content-type': 'text/html' } },
    afterHandling: true,
  },
};

/** The first call is refused at connect; the wrapper is made per account opening, so the count is shared. */
const refusingOnce = (): ((real: typeof fetch) => typeof fetch) => {
  let first = true;
  return (real) => async (input, init) => {
    if (first) {
      first = false;
      // undici's shape for a refused connect: a TypeError with the system error as its cause.
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
    }
    return real(input, init);
  };
};

let db: Db | undefined;
let scheduler: Scheduler | undefined;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
  db?.close();
  db = undefined;
  for (const close of closers.splice(0)) await close();
});

async function runUntilSettled(limitMs = 20_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    const open = countOpenJobs(db!);
    if (open.pending + open.running === 0) return;
    if (Date.now() - started > limitMs) throw new Error(`still open after ${limitMs} ms: ${JSON.stringify(open)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function jobState(): { state: string; reason: string | null } {
  // The newest publish job: "publish now" after a failure queues a fresh one.
  return db!.prepare(`SELECT state, reason FROM jobs WHERE kind = 'publish' ORDER BY rowid DESC LIMIT 1`).get() as { state: string; reason: string | null };
}

async function telegramOnce(fault: Fault | undefined, wrap?: (f: typeof fetch) => typeof fetch) {
  const telegram = await startTelegramFake();
  closers.push(() => telegram.close());
  const bot = telegram.addBot();
  const channel = telegram.addChannel({ username: 'outpost_once' });
  telegram.setMember(channel, bot, { status: 'administrator', canPostMessages: true });
  const isSend = (req: FakeRequest) => /\/send(Message|Photo|MediaGroup)$/.test(req.path);
  if (fault) telegram.server.faults.next(fault, 1, isSend);
  db = openDatabase(':memory:');
  const project = addProject(db, { graceMinutes: 60 });
  const account = addAccount(db, project, { network: 'telegram', config: { channel: '@outpost_once' } });
  const { postId, targetIds } = addScheduledPost(db, systemClock, project, [account], Date.now(), { body: 'Bake sale at nine' });
  const connector = createTelegramConnector({ timeoutMs: 400 }) as Connector;
  scheduler = createScheduler({
    db,
    clock: systemClock,
    connectorFor: () => connector,
    openAccount: async () => ({
      connector,
      ctx: { baseUrl: telegram.baseUrl, credentials: { botToken: bot.token }, config: { channel: '@outpost_once' }, fetch: wrap ? wrap(fetch) : fetch, now: Date.now },
    }),
    budgets: { telegram: null },
    retry: { baseMs: 50, capMs: 200, maxAttempts: 5, verifySettleMs: 300 },
    log: () => {},
  });
  scheduler.start();
  await runUntilSettled();
  const count = () => ({ sent: telegram.messages.filter((m) => m.text === 'Bake sale at nine').length, calls: telegram.server.requests.filter(isSend).length });
  return { ...count(), count, postId, targetId: targetIds[0]! };
}

const outcomeOf = ({ sent, calls }: { sent: number; calls: number }) => ({ sent, calls });

async function mastodonOnce(fault: Fault | undefined, wrap?: (f: typeof fetch) => typeof fetch) {
  const mastodon = await startMastodonFake({ rateLimit: 1_000_000 });
  closers.push(() => mastodon.close());
  const clockSync = setInterval(() => mastodon.setTime(Date.now()), 5);
  closers.push(async () => clearInterval(clockSync));
  const isStatusPost = (req: FakeRequest) => req.method === 'POST' && req.path === '/api/v1/statuses';
  if (fault) mastodon.server.faults.next(fault, 1, isStatusPost);
  db = openDatabase(':memory:');
  const project = addProject(db, { graceMinutes: 60 });
  const account = addAccount(db, project, { network: 'mastodon' });
  addScheduledPost(db, systemClock, project, [account], Date.now(), { body: 'Leg day at the gym' });
  const token = mastodon.issueToken();
  const connector = createMastodonConnector({ requestTimeoutMs: 400, clockSkewMs: 2_000 }) as Connector;
  scheduler = createScheduler({
    db,
    clock: systemClock,
    connectorFor: () => connector,
    openAccount: async () => ({
      connector,
      ctx: {
        baseUrl: mastodon.baseUrl,
        credentials: token,
        config: { accountId: mastodon.accountId, acct: 'outpost_tester@fake.social', url: mastodon.baseUrl, limits: DEFAULT_MASTODON_LIMITS },
        fetch: wrap ? wrap(fetch) : fetch,
        now: Date.now,
      },
    }),
    budgets: { mastodon: null },
    retry: { baseMs: 50, capMs: 400, maxAttempts: 6, verifySettleMs: 300 },
    log: () => {},
  });
  scheduler.start();
  await runUntilSettled();
  return { sent: mastodon.statuses.filter((s) => s.text === 'Leg day at the gym').length, posts: mastodon.server.requests.filter(isStatusPost).length };
}

describe('the network handled the post, then the answer went wrong', () => {
  it.each(Object.keys(afterHandling))('Telegram, %s after handling: exactly one message, and the post waits for the user', async (name) => {
    const outcome = outcomeOf(await telegramOnce(afterHandling[name]));
    expect(outcome).toEqual({ sent: 1, calls: 1 });
    expect(jobState()).toEqual({ state: 'needs_attention', reason: 'unknown_outcome' });
  });

  it.each(Object.keys(afterHandling))('Mastodon, %s after handling: verified by its key and listing, exactly one status', async (name) => {
    const outcome = await mastodonOnce(afterHandling[name]);
    expect(outcome.sent).toBe(1);
    // Verified, not resent: the one POST that made the status is the only one.
    expect(outcome.posts).toBe(1);
    expect(jobState()).toEqual({ state: 'done', reason: null });
  });

  it('Mastodon, a 503 before handling: verify finds nothing, the same request goes again, one status', async () => {
    const outcome = await mastodonOnce({ kind: 'respond', response: { status: 503, text: 'Service Unavailable' } });
    expect(outcome).toEqual({ sent: 1, posts: 2 });
    expect(jobState()).toEqual({ state: 'done', reason: null });
  });

  it('Telegram, a 502 before handling: nothing went out, but a bot cannot know that — parked, not resent', async () => {
    const outcome = outcomeOf(await telegramOnce({ kind: 'respond', response: { status: 502, text: '<html>Bad Gateway</html>' } }));
    expect(outcome).toEqual({ sent: 0, calls: 1 });
    expect(jobState()).toEqual({ state: 'needs_attention', reason: 'unknown_outcome' });
  });
});

describe('failures that prove nothing was sent are retried on their own', () => {
  it('Telegram, a refused connection: retried, exactly one message', async () => {
    const outcome = outcomeOf(await telegramOnce(undefined, refusingOnce()));
    expect(outcome).toEqual({ sent: 1, calls: 1 });
    expect(jobState()).toEqual({ state: 'done', reason: null });
  });

  it('Telegram, 429 with retry_after: retried after it, exactly one message', async () => {
    const outcome = outcomeOf(
      await telegramOnce({
        kind: 'respond',
        response: { status: 429, json: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } } },
      }),
    );
    expect(outcome).toEqual({ sent: 1, calls: 2 });
    expect(jobState()).toEqual({ state: 'done', reason: null });
  });

  it('Telegram, a 400 refusing the request: failed with the network’s reason, nothing sent; sending it again makes exactly one', async () => {
    const run = await telegramOnce({
      kind: 'respond',
      response: { status: 400, json: { ok: false, error_code: 400, description: 'Bad Request: message text is empty' } },
    });
    expect(outcomeOf(run)).toEqual({ sent: 0, calls: 1 });
    // The same request would be refused again, so the engine does not repeat it on its own; the user's "publish now" may.
    expect(jobState()).toEqual({ state: 'failed', reason: 'validation' });
    publishPostNow({ db: db!, clock: systemClock, wake: () => scheduler!.wake() }, run.postId);
    await runUntilSettled();
    expect(run.count()).toEqual({ sent: 1, calls: 2 });
    expect(jobState()).toEqual({ state: 'done', reason: null });
  });

  it('Mastodon, a refused connection: retried without asking, exactly one status', async () => {
    const outcome = await mastodonOnce(undefined, refusingOnce());
    expect(outcome).toEqual({ sent: 1, posts: 1 });
    expect(jobState()).toEqual({ state: 'done', reason: null });
  });

  it('Mastodon, 429: retried after the wait it names, exactly one status', async () => {
    const outcome = await mastodonOnce({ kind: 'respond', response: { status: 429, json: { error: 'Too many requests' }, headers: { 'retry-after': '1' } } });
    expect(outcome).toEqual({ sent: 1, posts: 2 });
    expect(jobState()).toEqual({ state: 'done', reason: null });
  });
});

describe('a parked post ends as the user says', () => {
  it('"I checked: it is published" after a 500 that followed posting: done, nothing sent again', async () => {
    const run = await telegramOnce(afterHandling['500']);
    expect(jobState()).toEqual({ state: 'needs_attention', reason: 'unknown_outcome' });
    confirmPublished({ db: db!, clock: systemClock, wake: () => scheduler!.wake() }, run.targetId, 'https://t.me/outpost_once/1');
    await runUntilSettled();
    await new Promise((r) => setTimeout(r, 200));
    expect(run.count()).toEqual({ sent: 1, calls: 1 });
    expect(db!.prepare(`SELECT state FROM post_targets WHERE id = ?`).get(run.targetId)).toEqual({ state: 'published' });
  });

  it('"Not there: send it again" after a 502 page that came before posting: exactly one message', async () => {
    const run = await telegramOnce({ kind: 'respond', response: { status: 502, text: '<html>Bad Gateway</html>', headers: { 'content-type': 'text/html' } } });
    expect(jobState()).toEqual({ state: 'needs_attention', reason: 'unknown_outcome' });
    publishPostNow({ db: db!, clock: systemClock, wake: () => scheduler!.wake() }, run.postId);
    await runUntilSettled();
    expect(run.count()).toEqual({ sent: 1, calls: 2 });
    expect(jobState()).toEqual({ state: 'done', reason: null });
  });
});
