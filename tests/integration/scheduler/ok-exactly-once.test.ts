import { afterEach, describe, expect, it } from 'vitest';
import type { Connector } from '../../../main/core/connector';
import { createOkConnector } from '../../../main/services/connectors/ok';
import { systemClock } from '../../../main/services/ports';
import { createScheduler, type Scheduler } from '../../../main/services/scheduler/engine';
import { countOpenJobs } from '../../../main/services/scheduler/jobs-repo';
import { openDatabase, type Db } from '../../../main/services/store/database';
import type { FakeRequest } from '../../fakes/fake-server';
import { okParams } from '../../fakes/validate/ok-methods';
import { startOkFake, type OkFault } from '../../fakes/ok-fake';
import { addAccount, addProject, addScheduledPost } from '../../unit/scheduler/support';

/**
 * Exactly once for OK group topics through the real scheduler: OK has no idempotency key, so an
 * answer lost after OK made the topic is verified by listing the group's topics — found: done,
 * one topic; not listed (no statistics yet): parked for the user, still one topic. Never two.
 */

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
  return db!.prepare(`SELECT state, reason FROM jobs WHERE kind = 'publish' ORDER BY rowid DESC LIMIT 1`).get() as { state: string; reason: string | null };
}

async function okOnce(fault: OkFault | undefined, options: { afterHandling?: boolean; unseen?: boolean } = {}) {
  const ok = await startOkFake();
  closers.push(() => ok.close());
  const app = ok.addApp();
  const user = ok.addUser();
  const group = ok.addGroup();
  ok.setRole(group, user, 'ADMIN');
  const tokens = ok.issueTokens(app, user);
  if (fault) ok.failNext(fault, { method: 'mediatopic.post', afterHandling: options.afterHandling ?? true });
  db = openDatabase(':memory:');
  const project = addProject(db, { graceMinutes: 60 });
  const config = { groupId: group.id, groupName: group.name, userId: user.uid };
  const account = addAccount(db, project, { network: 'ok', config });
  addScheduledPost(db, systemClock, project, [account], Date.now(), { body: 'Rye loaves on Friday' });
  const connector = createOkConnector({ timeoutMs: 400, clockSkewMs: 2_000 }) as Connector;
  // The topic exists, but group.getStatTopics does not list it yet (nobody else has seen it).
  const unseen = setInterval(() => {
    if (options.unseen) for (const topic of ok.topics) topic.hasStats = false;
  }, 1);
  closers.push(async () => clearInterval(unseen));
  scheduler = createScheduler({
    db,
    clock: systemClock,
    connectorFor: () => connector,
    openAccount: async () => ({
      connector,
      ctx: {
        baseUrl: ok.baseUrl,
        credentials: { applicationId: app.id, applicationKey: app.publicKey, applicationSecretKey: app.secretKey, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, accessExpiresAt: tokens.expiresAt },
        config,
        fetch,
        now: Date.now,
      },
    }),
    budgets: { ok: null },
    retry: { baseMs: 50, capMs: 400, maxAttempts: 6, verifySettleMs: 300 },
    log: () => {},
  });
  scheduler.start();
  await runUntilSettled();
  const isPost = (req: FakeRequest) => req.path === '/fb.do' && okParams(req).method === 'mediatopic.post';
  return { topics: ok.liveTopics(group).length, posts: ok.server.requests.filter(isPost).length, violations: [...ok.violations] };
}

describe('OK: the topic was made, then the answer went wrong', () => {
  it.each<[string, OkFault]>([
    ['a reset', { kind: 'reset' }],
    ['a 502 page', { kind: 'server_error', status: 502 }],
    ["OK's SERVICE error", { kind: 'service' }],
  ])('%s after handling: verified in the group, exactly one topic', async (_name, fault) => {
    expect(await okOnce(fault)).toEqual({ topics: 1, posts: 1, violations: [] });
    expect(jobState()).toEqual({ state: 'done', reason: null });
  });

  it('a lost answer for a topic the statistics do not list yet: parked for the user, never resent', async () => {
    expect(await okOnce({ kind: 'reset' }, { unseen: true })).toEqual({ topics: 1, posts: 1, violations: [] });
    expect(jobState()).toEqual({ state: 'needs_attention', reason: 'unknown_outcome' });
  });
});
