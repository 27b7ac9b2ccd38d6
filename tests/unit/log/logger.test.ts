import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileLogger, createLogger, LOG_FILE, nullLogger, type Logger } from '../../../main/services/log/logger';
import { redactingSecretStore } from '../../../main/services/log/redacting-secrets';
import { makeTempDir, MemorySecretStore } from '../support/backend';

const dirs: { remove(): void }[] = [];
const loggers: Logger[] = [];
afterEach(async () => {
  for (const logger of loggers.splice(0)) await logger.close();
  for (const dir of dirs.splice(0)) dir.remove();
});

function open(options: { level?: 'debug' | 'info' | 'warn' | 'error'; maxBytes?: number; maxFiles?: number } = {}) {
  const dir = makeTempDir('outpost-log-');
  dirs.push(dir);
  const logger = createFileLogger({ dir: dir.path, ...options });
  loggers.push(logger);
  return { dir: dir.path, logger };
}

async function linesOf(logger: Logger, dir: string): Promise<Record<string, unknown>[]> {
  await logger.close();
  return readFileSync(join(dir, LOG_FILE), 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the log file', () => {
  it('writes JSON lines with levels and time, and leaves out what is below its level', async () => {
    const { dir, logger } = open({ level: 'info' });
    logger.debug('too chatty');
    logger.info('start-up: database open', { schema: 8 });
    logger.child({ network: 'telegram' }).warn('retrying', { status: 502 });
    const lines = await linesOf(logger, dir);
    expect(lines.map((l) => [l['level'], l['msg']])).toEqual([
      [30, 'start-up: database open'],
      [40, 'retrying'],
    ]);
    expect(lines[1]).toMatchObject({ network: 'telegram', status: 502 });
    expect(typeof lines[0]?.['time']).toBe('string');
    if (process.platform !== 'win32') expect(statSync(join(dir, LOG_FILE)).mode & 0o777).toBe(0o600);
  });

  it('leaves debug out by default, and the null logger writes nothing anywhere', async () => {
    const dir = makeTempDir('outpost-log-');
    dirs.push(dir);
    const logger = createLogger({ dir: dir.path });
    logger.debug('scheduler: deferred for the send budget');
    logger.info('start-up: database open');
    const lines = await linesOf(logger, dir.path);
    expect(lines.map((l) => l['msg'])).toEqual(['start-up: database open']);
    expect(nullLogger.file).toBeNull();
    // Support can ask for debug lines for one run.
    const previous = process.env['OUTPOST_LOG_LEVEL'];
    process.env['OUTPOST_LOG_LEVEL'] = 'debug';
    try {
      const chatty = open();
      chatty.logger.debug('scheduler: waits for the send budget');
      expect((await linesOf(chatty.logger, chatty.dir)).map((l) => l['level'])).toEqual([20]);
    } finally {
      if (previous === undefined) delete process.env['OUTPOST_LOG_LEVEL'];
      else process.env['OUTPOST_LOG_LEVEL'] = previous;
    }
    nullLogger.child({ a: 1 }).error('nowhere', { err: new Error('x') });
    await nullLogger.close();
  });

  it('redacts every registered secret, raw, URL-encoded and JSON-escaped, also inside errors and their causes', async () => {
    const { dir, logger } = open();
    const token = '123456789:AAH-secret_token/with+odd"chars';
    // A child made before the secret was known still redacts it: they share one redactor.
    const child = logger.child({ component: 'scheduler' });
    logger.registerSecret(token);
    child.warn(`child ${token}`, { url: encodeURIComponent(token) });
    logger.info(`calling https://api.telegram.org/bot${token}/sendMessage`);
    logger.info('encoded', { url: `https://x.example/?t=${encodeURIComponent(token)}` });
    logger.error('failed', { err: new Error('outer', { cause: new Error(`inner ${token}`) }) });
    logger.warn('object', { credentials: { botToken: token } });
    await logger.close();
    const text = readFileSync(join(dir, LOG_FILE), 'utf8');
    expect(text).not.toContain(token);
    // The cause chain is serialized (pino's errWithCause), redacted like the rest.
    expect(text).toContain('inner [redacted]');
    expect(text).not.toContain(encodeURIComponent(token));
    expect(text).not.toContain(JSON.stringify(token).slice(1, -1));
    expect(text.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(6);
  });

  it('rotates: the file never grows past its size, and old files are kept up to the limit', async () => {
    const { dir, logger } = open({ maxBytes: 2048, maxFiles: 2 });
    for (let i = 0; i < 200; i++) {
      logger.info('a line long enough to fill the file quickly', { i, filler: 'x'.repeat(60) });
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await logger.close();
    const files = readdirSync(dir);
    expect(files).toContain(LOG_FILE);
    // Rotated files are named by time; rotating-file-stream keeps its list of them in outpost.log.txt.
    const rotated = files.filter((f) => f !== LOG_FILE && f.endsWith(`-${LOG_FILE}`));
    expect(rotated.length).toBeGreaterThan(0);
    expect(rotated.length).toBeLessThanOrEqual(2);
    for (const file of [LOG_FILE, ...rotated]) expect(statSync(join(dir, file)).size).toBeLessThan(2048 + 512);
  });

  it('the secret store registers what it reads and writes, including the tokens inside a JSON secret', async () => {
    const { dir, logger } = open();
    const store = redactingSecretStore(new MemorySecretStore(), logger);
    await store.set('account:1', JSON.stringify({ accessToken: 'mastodon-access-token-1', clientSecret: 'client-secret-abcdef' }));
    logger.info('mastodon-access-token-1 and client-secret-abcdef must not appear');
    const raw = new MemorySecretStore();
    await raw.set('account:2', 'bluesky-app-password');
    const reading = redactingSecretStore(raw, logger);
    await reading.get('account:2');
    logger.info('read bluesky-app-password');
    const text = (await linesOf(logger, dir)).map((l) => String(l['msg'])).join('\n');
    expect(text).not.toMatch(/mastodon-access-token-1|client-secret-abcdef|bluesky-app-password/);
    expect(existsSync(join(dir, LOG_FILE))).toBe(true);
  });
  it('a keychain write or removal that fails is logged (by key, without the secret) and still fails', async () => {
    const { dir, logger } = open();
    const broken = Object.assign(new MemorySecretStore(), {
      set: () => Promise.reject(new Error('The keychain is locked')),
      delete: () => Promise.reject(new Error('The keychain is locked')),
    });
    const store = redactingSecretStore(broken, logger);
    await expect(store.set('account:7', 'telegram-bot-token-123456')).rejects.toThrow('The keychain is locked');
    await expect(store.delete('account:7')).rejects.toThrow('The keychain is locked');
    const lines = await linesOf(logger, dir);
    const failures = lines.filter((l) => String(l['msg']).startsWith('keychain:'));
    expect(failures.map((l) => [l['msg'], l['key'], l['level']])).toEqual([
      ['keychain: a sign-in could not be saved', 'account:7', 50],
      ['keychain: a sign-in could not be removed', 'account:7', 50],
    ]);
    expect(JSON.stringify(lines)).not.toContain('telegram-bot-token-123456');
  });
});
