import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../../main/core/errors';
import { systemClock } from '../../../main/services/ports';
import { openOutpost, type Outpost } from '../../../main/services/runtime';
import { startTelegramFake, type TelegramFake } from '../../fakes/telegram-fake';
import { filesUnder, findSecretLeaks } from '../../support/secret-leaks';
import { makeTempDir, MemorySecretStore } from '../../unit/support/backend';

/**
 * Secrets live in the keychain and nowhere else: a bot token stored through the secret store,
 * used to publish, revoked (the publish fails, the account needs reconnecting) and replaced by a
 * new one, is found in none of the files Outpost writes — log files, the database, its WAL,
 * backups and exports.
 */

let outpost: Outpost | undefined;
let telegram: TelegramFake | undefined;
const dirs: { remove(): void }[] = [];

afterEach(async () => {
  await outpost?.shutdown();
  outpost = undefined;
  await telegram?.close();
  for (const dir of dirs.splice(0)) dir.remove();
});

async function until(check: () => Promise<boolean>, what: string, limitMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('no secret outside the keychain', () => {
  it('a token that was stored, used, revoked and replaced is in no log, database, WAL, backup or export', async () => {
    const dir = makeTempDir('outpost-leaks-');
    dirs.push(dir);
    telegram = await startTelegramFake();
    const oldBot = telegram.addBot({ username: 'old_bot' });
    const channel = telegram.addChannel({ username: 'outpost_leaks' });
    telegram.setMember(channel, oldBot, { status: 'administrator', canPostMessages: true });
    const keychain = new MemorySecretStore();
    outpost = openOutpost({
      dataDir: dir.path,
      clock: systemClock,
      emit: () => {},
      secrets: keychain,
      platform: { host: 'browser', version: 'test', openExternal: async () => {} },
      networks: { baseUrls: { telegram: telegram.baseUrl } },
      dailyBackup: false,
      log: () => {},
    });
    outpost.onOpen((backend) => backend.services.scheduler.start());
    const call = async <T>(name: string, args: unknown): Promise<T> => {
      const result = (await outpost!.dispatch(name, args)) as Result<T>;
      if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.error)}`);
      return result.value;
    };

    const project = await call<{ id: string }>('projects.create', { name: 'Gym', color: '#2563eb', timezone: 'Europe/Moscow' });
    const { account } = await call<{ account: { id: string } }>('accounts.connect', {
      projectId: project.id,
      connection: { network: 'telegram', botToken: oldBot.token, channel: '@outpost_leaks' },
    });
    const publish = async (body: string) => {
      const post = await call<{ id: string }>('posts.create', { projectId: project.id, body, targets: [{ accountId: account.id }] });
      await call('publishing.publishNow', { id: post.id });
      return post.id;
    };
    const accountStatus = async () => (await call<{ id: string; status: string }[]>('accounts.list', { projectId: project.id }))[0]?.status;

    await publish('Morning class at seven');
    await until(async () => telegram!.messages.some((m) => m.text === 'Morning class at seven'), 'the first post');

    // BotFather revoked the token: the next publish fails with 401 and the account needs reconnecting.
    telegram.revokeToken(oldBot.token);
    await publish('Evening class at eight');
    await until(async () => (await accountStatus()) === 'reconnect_needed', 'the account to need reconnecting');

    const newBot = telegram.addBot({ username: 'new_bot' });
    telegram.setMember(channel, newBot, { status: 'administrator', canPostMessages: true });
    await call('accounts.reconnect', { id: account.id, credentials: { network: 'telegram', botToken: newBot.token } });
    await until(async () => telegram!.messages.some((m) => m.text === 'Evening class at eight'), 'the held post after reconnecting');

    await call('data.backupNow', {});
    const exported = await outpost.dispatch('data.export', {});
    // While the app still runs, the WAL holds the latest pages: scanned live, then again after the checkpoint at shutdown.
    const wal = join(dir.path, 'outpost.db-wal');
    expect(statSync(wal).size).toBeGreaterThan(0);
    expect(findSecretLeaks(dir.path, [oldBot.token, newBot.token])).toEqual([]);
    await outpost.shutdown();
    outpost = undefined;

    const files = filesUnder(dir.path);
    // The scan covered every kind of file named in the promise.
    expect(files).toEqual(expect.arrayContaining(['outpost.db', 'logs/outpost.log']));
    expect(files.some((f) => f.startsWith('backups/'))).toBe(true);
    if (exported.ok) expect(files.some((f) => f.startsWith('exports/'))).toBe(true);
    // The log did record the failure and the decisions around it, in words, not secrets.
    const log = readFileSync(join(dir.path, 'logs', 'outpost.log'), 'utf8');
    expect(log).toMatch(/Unauthorized/);
    expect(log).toMatch(/"state":"published"/);
    expect(log).toMatch(/"msg":"scheduler: claimed"/);
    expect(log.split('\n').some((l) => l.includes('"msg":"scheduler: the network call failed"') && l.includes('"kind":"auth","status":401'))).toBe(true);
    expect(log).toMatch(/"msg":"start-up: database open, integrity checked"/);
    expect(log).toMatch(/"available":true.*"msg":"start-up: keychain"/);
    expect(findSecretLeaks(dir.path, [oldBot.token, newBot.token])).toEqual([]);
    expect(keychain.secrets.get(`account:${account.id}`)).toContain(newBot.token);
  }, 60_000);
});

describe('the leak scan itself', () => {
  it('finds a secret in any form, in plain and gzipped files', async () => {
    const dir = makeTempDir('outpost-scan-');
    dirs.push(dir);
    const token = '123456:AA-planted/token+x';
    mkdirSync(join(dir.path, 'logs'));
    writeFileSync(join(dir.path, 'logs', 'outpost.log'), `{"url":"${encodeURIComponent(token)}"}`);
    writeFileSync(join(dir.path, 'export.tar.gz'), gzipSync(Buffer.from(`secret=${token}`)));
    expect(findSecretLeaks(dir.path, [token]).sort()).toEqual(['export.tar.gz: 123456…', 'logs/outpost.log: 123456…']);
  });

  it('opens tar archives entry by entry: a gzipped file inside one is read too, and so is a database', async () => {
    const dir = makeTempDir('outpost-scan-');
    dirs.push(dir);
    const work = makeTempDir('outpost-scan-work-');
    dirs.push(work);
    const token = '987654:BB-planted-inside-an-archive';
    writeFileSync(join(work.path, 'notes.json.gz'), gzipSync(Buffer.from(JSON.stringify({ token }))));
    const db = new Database(join(work.path, 'outpost.db'));
    db.exec(`CREATE TABLE settings (key TEXT, value TEXT) STRICT`);
    db.prepare(`INSERT INTO settings VALUES ('x', ?)`).run(`token=${token}`);
    db.close();
    mkdirSync(join(dir.path, 'exports'));
    tar.create({ file: join(dir.path, 'exports', 'outpost-export.tar'), cwd: work.path, sync: true, portable: true }, ['notes.json.gz', 'outpost.db']);
    const leaks = findSecretLeaks(dir.path, [token]);
    expect(leaks).toContain('exports/outpost-export.tar › notes.json.gz: 987654…');
    expect(leaks).toContain('exports/outpost-export.tar › outpost.db (SQLite settings.value): 987654…');
    // A folder outside the data folder (an export saved in the user's own folder) when asked.
    expect(findSecretLeaks(makeTempDir('outpost-scan-empty-').path, [token], { alsoScan: [work.path] })).toContain('notes.json.gz: 987654…');
  });

  it('reads databases through SQLite too, where a long value split across overflow pages hides from a byte scan', () => {
    const dir = makeTempDir('outpost-scan-');
    dirs.push(dir);
    const token = '555555:CC-a-token-that-straddles-pages';
    const db = new Database(join(dir.path, 'outpost.db'));
    db.pragma('page_size = 512');
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE posts (id INTEGER PRIMARY KEY, body TEXT) STRICT`);
    // Padding of every length up to two pages: in some rows the token crosses a page boundary.
    const insert = db.prepare(`INSERT INTO posts (body) VALUES (?)`);
    for (let pad = 400; pad < 1_400; pad++) insert.run(`${'x'.repeat(pad)}${token}`);
    // Left in the WAL (no checkpoint) and read with the database.
    const copy = readFileSync(join(dir.path, 'outpost.db-wal'));
    expect(copy.length).toBeGreaterThan(0);
    const leaks = findSecretLeaks(dir.path, [token]);
    db.close();
    expect(leaks).toContain('outpost.db (SQLite posts.body): 555555…');
  });
});
