import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../../main/core/errors';
import type { LogFields, Logger } from '../../../main/services/log/logger';
import { claimJob, findDueJob, startAttempt } from '../../../main/services/scheduler/jobs-repo';
import { createBackend, type Backend } from '../../../main/services/services';
import { openDatabase } from '../../../main/services/store/database';
import { startTelegramFake, type TelegramFake } from '../../fakes/telegram-fake';
import { addAccount, addProject, addScheduledPost, FakeNetwork, FakeTime, startEngine } from '../scheduler/support';
import { FakeClock, makeTempDir, MemorySecretStore } from '../support/backend';

/**
 * What the scheduler writes to the log as it decides (claimed, published, retry and when,
 * parked, held) and what a connector's failure looks like there — and that the logger is never
 * handed a token at all: this logger keeps what it is given, before any redaction.
 */

interface Line {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  fields: LogFields;
}

function memoryLogger(lines: Line[] = [], secrets: string[] = [], bindings: LogFields = {}): Logger & { lines: Line[]; secrets: string[] } {
  const at = (level: Line['level']) => (msg: string, fields: LogFields = {}) => lines.push({ level, msg, fields: { ...bindings, ...fields } });
  return {
    lines,
    secrets,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => memoryLogger(lines, secrets, { ...bindings, ...more }),
    registerSecret: (value) => secrets.push(value),
    file: null,
    close: async () => undefined,
  };
}

let backend: Backend | undefined;
let telegram: TelegramFake | undefined;
const dirs: { remove(): void }[] = [];
afterEach(async () => {
  await backend?.shutdown();
  backend = undefined;
  await telegram?.close();
  for (const dir of dirs.splice(0)) dir.remove();
});

describe('the scheduler in the log', () => {
  it('logs each decision and each network failure by kind and status, and is never given a token', async () => {
    const dir = makeTempDir('outpost-schedlog-');
    dirs.push(dir);
    telegram = await startTelegramFake();
    const bot = telegram.addBot({ username: 'log_bot' });
    const channel = telegram.addChannel({ username: 'outpost_log' });
    telegram.setMember(channel, bot, { status: 'administrator', canPostMessages: true });
    const logger = memoryLogger();
    const clock = new FakeClock();
    const opened = createBackend({
      dataDir: dir.path,
      clock,
      emit: () => {},
      secrets: new MemorySecretStore(),
      platform: { host: 'browser', version: '0.0.0-test', openExternal: async () => {} },
      networks: { baseUrls: { telegram: telegram.baseUrl } },
      log: () => {},
      logger,
    });
    backend = opened;
    const call = async <T>(name: string, args: unknown): Promise<T> => {
      const result = (await opened.dispatch(name, args)) as Result<T>;
      if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.error)}`);
      return result.value;
    };
    const project = await call<{ id: string }>('projects.create', { name: 'Gym', color: '#2563eb', timezone: 'Europe/Moscow' });
    const { account } = await call<{ account: { id: string } }>('accounts.connect', {
      projectId: project.id,
      connection: { network: 'telegram', botToken: bot.token, channel: '@outpost_log' },
    });
    const publish = async (body: string) => {
      // Past Telegram's send budget (one a second) and any retry-after, so each post goes at once.
      clock.advance(10_000);
      const post = await call<{ id: string }>('posts.create', { projectId: project.id, body, targets: [{ accountId: account.id }] });
      await call('publishing.publishNow', { id: post.id });
      await opened.services.scheduler.whenIdle();
      return post.id;
    };
    opened.services.scheduler.start();
    const find = (msg: string, match: Record<string, unknown> = {}) =>
      logger.lines.find((l) => l.msg === msg && Object.entries(match).every(([k, v]) => l.fields[k] === v));

    await publish('Morning class at seven');
    expect(find('scheduler: claimed', { network: 'telegram', attempt: 1 })?.level).toBe('info');
    expect(find('scheduler', { state: 'published' })?.level).toBe('info');

    // 429 with retry_after: the network's words, its status, and when the next try is.
    telegram.failNext({ kind: 'rate_limited', retryAfter: 7 }, { method: 'sendMessage' });
    await publish('Noon class');
    const limited = find('scheduler: the network call failed', { kind: 'rate_limited' });
    expect(limited?.level).toBe('warn');
    expect(limited?.fields).toMatchObject({ status: 429, network: 'telegram', phase: 'publish', networkMessage: expect.stringMatching(/Too Many Requests/) });
    expect(find('scheduler: retry', { reason: 'rate_limited' })?.fields).toMatchObject({ next: new Date(clock.now() + 7_000).toISOString(), attemptCounted: false });

    // 502 from the front: it may have gone out and Telegram cannot be asked, so the post is parked.
    telegram.failNext({ kind: 'server_error', status: 502 }, { method: 'sendMessage' });
    await publish('Afternoon class');
    expect(find('scheduler: the network call failed', { status: 502 })?.fields).toMatchObject({ kind: 'transient', maybeSent: true });
    expect(find('scheduler', { state: 'needs_attention', reason: 'unknown_outcome' })).toBeDefined();

    // The connection is reset mid-call: the cause is kept by its code, scrubbed of the token by the connector.
    telegram.failNext({ kind: 'reset' }, { method: 'sendMessage' });
    await publish('Late class');
    expect(find('scheduler: the network call failed', { maybeSent: true, status: undefined })?.fields['cause']).toMatchObject({ code: expect.any(String) });

    // The token is revoked: 401, the account needs reconnecting and its jobs are held.
    telegram.revokeToken(bot.token);
    await publish('Evening class');
    expect(find('scheduler: the network call failed', { kind: 'auth', status: 401 })).toBeDefined();
    expect(find('scheduler', { state: 'held', reason: 'auth' })).toBeDefined();
    expect(find('scheduler: account needs reconnecting', { accountId: account.id })?.level).toBe('warn');

    // Start-up checks were written too.
    expect(find('start-up: database open, integrity checked')?.fields['schema']).toEqual(expect.any(Number));
    expect(find('start-up: media folder checked')).toBeDefined();

    // The secret store told the logger the token; no line was ever handed it, in any form.
    expect(logger.secrets).toContain(bot.token);
    const everything = JSON.stringify(logger.lines, (_key, value: unknown) => (value instanceof Error ? { message: value.message, stack: value.stack, cause: value.cause } : value));
    for (const form of [bot.token, encodeURIComponent(bot.token)]) expect(everything).not.toContain(form);
    // Nothing floods: no debug line is an info line in disguise, and every line has words.
    expect(logger.lines.every((l) => l.msg.length > 0)).toBe(true);
  }, 30_000);

  it('logs a job a stopped run left: recovered, retried to verify first, verified found', async () => {
    const db = openDatabase(':memory:');
    const time = new FakeTime();
    const project = addProject(db);
    const account = addAccount(db, project);
    addScheduledPost(db, time.clock, project, [account], time.now(), { body: 'crashed' });
    const job = findDueJob(db, time.now(), [])!;
    claimJob(db, job, time.now(), time.now() + 600_000);
    startAttempt(db, job, time.now(), 1);
    const net = new FakeNetwork(time.clock.now, { verify: true });
    net.plant(account, job.idempotencyKey, 'crashed');
    const logger = memoryLogger();
    const { scheduler } = startEngine(db, time, net, { logger });
    try {
      await time.advance(60_000, scheduler);
      const trail = logger.lines.filter((l) => l.fields['jobId'] === job.id).map((l) => [l.msg, l.fields['sent'] ?? l.fields['verifyFirst'] ?? l.fields['found'] ?? null]);
      expect(trail).toEqual([
        ['scheduler: recovering a job a stopped run left', true],
        ['scheduler: retry', true],
        ['scheduler: claimed', true],
        ['scheduler: verified', true],
      ]);
    } finally {
      await scheduler.stop();
      db.close();
    }
  });
});
