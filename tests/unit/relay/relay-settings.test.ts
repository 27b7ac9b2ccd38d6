import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Project, ProjectRelay, RelayTestResult } from '../../../main/core/contract';
import { openAccountConnection } from '../../../main/services/accounts/account-connection';
import { insertConnectedAccount } from '../../../main/services/accounts/accounts-repo';
import { createNullLogger } from '../../../main/services/log/logger';
import { relayFor } from '../../../main/services/relay/relay-for';
import { createBackend, type Backend } from '../../../main/services/services';
import { startFacebookFake, type FacebookFake, type FakeFbApp, type FakeFbPage } from '../../fakes/facebook-fake';
import { dispatcher, FakeClock, makeTempDir, MemorySecretStore } from '../support/backend';
import { addAccount, addScheduledPost } from '../scheduler/support';
import { startLocalS3, type LocalS3 } from './local-s3';

let dir: ReturnType<typeof makeTempDir>;
let backend: Backend;
let secrets: MemorySecretStore;
let events: { event: string; payload: unknown }[];
let s3: LocalS3;
let fb: FacebookFake;
let app: FakeFbApp;
let page: FakeFbPage;
let project: Project;
const { ok, refused } = dispatcher(() => backend);

beforeEach(async () => {
  dir = makeTempDir('outpost-relay-');
  s3 = await startLocalS3();
  fb = await startFacebookFake();
  app = fb.addApp();
  page = fb.addPage({ name: 'Corner Bakery', instagram: true });
  secrets = new MemorySecretStore();
  events = [];
  backend = createBackend({
    dataDir: dir.path,
    clock: new FakeClock(),
    emit: (event, payload) => events.push({ event, payload }),
    secrets,
    platform: { host: 'browser', version: '0.0.0-test', openExternal: async () => {} },
    networks: { baseUrls: { facebook: fb.baseUrl, instagram: fb.baseUrl } },
    logger: createNullLogger(),
  });
  project = await ok<Project>('projects.create', { name: 'Bakery', color: '#2563eb', timezone: 'Europe/Berlin' });
});

afterEach(async () => {
  backend.close();
  await s3.close();
  await fb.close();
  dir.remove();
});

const SECRET = 'local-s3-secret-for-tests';
const bucket = () => ({ endpoint: s3.endpoint, region: 'us-east-1', bucket: s3.bucket, pathStyle: true, accessKeyId: s3.accessKeyId });

function addInstagramAccount(id = 'ig1'): void {
  insertConnectedAccount(backend.services.db, {
    id,
    projectId: project.id,
    network: 'instagram',
    handle: '@cornerbakery',
    displayName: 'Corner Bakery',
    remoteKey: page.instagramAccountId ?? 'ig',
    baseUrl: null,
    profileUrl: null,
    config: JSON.stringify({ instagramAccountId: page.instagramAccountId, pageId: page.id, username: 'cornerbakery' }),
    secretRef: `account:${id}`,
    now: 1,
  });
  secrets.secrets.set(`account:${id}`, JSON.stringify({ appId: app.id, appSecret: app.secret, pageToken: page.token }));
}

describe('relay settings', () => {
  it('start with no relay', async () => {
    expect(await ok<ProjectRelay>('relay.get', { projectId: project.id })).toEqual({ projectId: project.id, kind: 'none', s3: null, blockedScheduled: 0 });
  });

  it('keep the bucket’s secret key in the keychain under its own entry, never in the answer or in SQLite', async () => {
    const saved = await ok<ProjectRelay>('relay.save', { projectId: project.id, kind: 's3', s3: { ...bucket(), endpoint: `${s3.endpoint}/`, secretAccessKey: SECRET } });
    expect(saved).toEqual({ projectId: project.id, kind: 's3', s3: { ...bucket(), hasSecret: true }, blockedScheduled: 0 });
    expect(JSON.stringify(saved)).not.toContain(SECRET);
    expect(secrets.secrets.get(`relay-s3:${project.id}`)).toBe(SECRET);
    expect(JSON.stringify(await ok('relay.get', { projectId: project.id }))).not.toContain(SECRET);
    expect(events).toContainEqual({ event: 'relay.changed', payload: { projectId: project.id, kind: 's3' } });

    // Saved again without the secret (the form never has it back): the keychain's stays.
    await ok('relay.save', { projectId: project.id, kind: 's3', s3: { ...bucket(), region: 'eu-central-1' } });
    expect(secrets.secrets.get(`relay-s3:${project.id}`)).toBe(SECRET);

    backend.close();
    const files = readdirSync(dir.path).filter((f) => f.includes('.db'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(join(dir.path, file)).includes(SECRET), file).toBe(false);
    backend = createBackend({ dataDir: dir.path, clock: new FakeClock(), emit: () => {}, secrets, platform: { host: 'browser', version: '0', openExternal: async () => {} }, logger: createNullLogger() });
    expect((await ok<ProjectRelay>('relay.get', { projectId: project.id })).s3?.region).toBe('eu-central-1');
  });

  it('refuse a bucket without a secret key, a plain-http endpoint on the internet, and a bad bucket name, saving nothing', async () => {
    expect(await refused('relay.save', { projectId: project.id, kind: 's3', s3: bucket() })).toMatchObject({ code: 'validation', field: 'secretAccessKey', reason: 'relay_secret_missing' });
    expect(await refused('relay.save', { projectId: project.id, kind: 's3', s3: { ...bucket(), endpoint: 'http://s3.example.com', secretAccessKey: 'x' } })).toMatchObject({ field: 'endpoint', reason: 'relay_endpoint_invalid' });
    expect(await refused('relay.save', { projectId: project.id, kind: 's3', s3: { ...bucket(), bucket: 'a', secretAccessKey: 'x' } })).toMatchObject({ field: 'bucket', reason: 'relay_bucket_invalid' });
    expect((await ok<ProjectRelay>('relay.get', { projectId: project.id })).kind).toBe('none');
    expect(await refused('relay.get', { projectId: 'nope' })).toMatchObject({ code: 'not_found' });
  });

  it('stop posts a relay can no longer serve before their time, with the reason, and say how many', async () => {
    const db = backend.services.db;
    const threads = addAccount(db, project.id, { network: 'threads' });
    const clock = { now: () => Date.UTC(2026, 0, 5) };
    const { postId, targetIds } = addScheduledPost(db, clock, project.id, [threads], Date.UTC(2026, 0, 6));
    const textOnly = addScheduledPost(db, clock, project.id, [threads], Date.UTC(2026, 0, 6));
    db.prepare(`INSERT INTO media (id, sha256, mime, bytes, width, height, file_name, created_at) VALUES ('m1', 'abc', 'image/png', 10, 1, 1, 'a.png', 0)`).run();
    db.prepare(`INSERT INTO post_media (post_id, media_id, position) VALUES (?, 'm1', 0)`).run(postId);
    const job = (targetId: string) => db.prepare(`SELECT state, reason, last_error AS message FROM jobs WHERE target_id = ? AND kind = 'publish'`).get(targetId) as { state: string; reason: string | null; message: string | null };

    expect((await ok<ProjectRelay>('relay.save', { projectId: project.id, kind: 's3', s3: { ...bucket(), secretAccessKey: SECRET } })).blockedScheduled).toBe(0);
    expect(job(targetIds[0]!).state).toBe('pending');

    // The Page relay serves Instagram only: the Threads post with an image stops now, not at its time.
    expect((await ok<ProjectRelay>('relay.save', { projectId: project.id, kind: 'page' })).blockedScheduled).toBe(1);
    expect(job(targetIds[0]!)).toMatchObject({ state: 'needs_attention', reason: 'relay' });
    expect(job(targetIds[0]!).message).toMatch(/Threads cannot use the Facebook Page relay/);
    expect(db.prepare('SELECT status FROM posts WHERE id = ?').pluck().get(postId)).toBe('needs_attention');
    expect(events).toContainEqual({ event: 'publishing.changed', payload: expect.objectContaining({ postId, state: 'needs_attention', reason: 'relay' }) });
    // A text-only post needs no relay and keeps its time.
    expect(job(textOnly.targetIds[0]!).state).toBe('pending');
  });

  it('test the bucket: put, fetched back, removed and gone', async () => {
    await ok('relay.save', { projectId: project.id, kind: 's3', s3: { ...bucket(), secretAccessKey: SECRET } });
    const result = await ok<RelayTestResult>('relay.test', { projectId: project.id });
    expect(result).toMatchObject({ ok: true, problem: null, host: new URL(s3.endpoint).host });
    expect(s3.calls.map((c) => c.method)).toEqual(['PUT', 'DELETE']);
    expect(await s3.keys()).toEqual([]);
  });

  it('test says plainly when the secret key is wrong', async () => {
    await ok('relay.save', { projectId: project.id, kind: 's3', s3: { ...bucket(), secretAccessKey: 'wrong' } });
    const result = await ok<RelayTestResult>('relay.test', { projectId: project.id });
    expect(result).toMatchObject({ ok: false, problem: 'keys' });
    expect(result.message).toMatch(/refused the access key id or secret key/);
  });

  it('test the Page relay through the project’s Instagram account, leaving no photo on the Page', async () => {
    await ok('relay.save', { projectId: project.id, kind: 'page' });
    expect(await ok<RelayTestResult>('relay.test', { projectId: project.id })).toMatchObject({ ok: false, problem: 'not_set_up' });
    addInstagramAccount();
    expect(await ok<RelayTestResult>('relay.test', { projectId: project.id })).toMatchObject({ ok: true, problem: null });
    expect(fb.photos).toHaveLength(1);
    expect(fb.photos[0]).toMatchObject({ published: false, deleted: true });
  });
});

describe('relayFor: which relay a publish gets', () => {
  const account = (network: 'instagram' | 'threads' | 'mastodon') => ({
    projectId: project.id,
    network,
    config: { pageId: page.id },
    secret: () => JSON.stringify({ appId: app.id, appSecret: app.secret, pageToken: page.token }),
    facebookBaseUrl: fb.baseUrl,
  });

  it('none: no relay for anyone', () => {
    expect(relayFor(backend.services, account('threads'))).toBeUndefined();
    expect(relayFor(backend.services, account('instagram'))).toBeUndefined();
  });

  it('bucket: Threads and Instagram put into it; other networks get none', async () => {
    await ok('relay.save', { projectId: project.id, kind: 's3', s3: { ...bucket(), secretAccessKey: SECRET } });
    expect(relayFor(backend.services, account('mastodon'))).toBeUndefined();
    for (const network of ['threads', 'instagram'] as const) {
      const relayed = await relayFor(backend.services, account(network))!.put({ fileName: 'a.png', mime: 'image/png', bytes: new Uint8Array([1, 2]), alt: '' });
      expect(await s3.keys()).toHaveLength(1);
      await relayed.remove();
    }
    expect(await s3.keys()).toEqual([]);
  });

  it('Page: Instagram uploads to its own Page; Threads gets none', async () => {
    await ok('relay.save', { projectId: project.id, kind: 'page' });
    expect(relayFor(backend.services, account('threads'))).toBeUndefined();
    const relayed = await relayFor(backend.services, account('instagram'))!.put({ fileName: 'a.png', mime: 'image/png', bytes: new Uint8Array([1, 2]), alt: '' });
    expect(fb.photos).toMatchObject([{ pageId: page.id, published: false }]);
    await relayed.remove();
  });

  it('a bucket whose secret left the keychain fails the put plainly, and only the put', async () => {
    await ok('relay.save', { projectId: project.id, kind: 's3', s3: { ...bucket(), secretAccessKey: SECRET } });
    secrets.secrets.delete(`relay-s3:${project.id}`);
    const relay = relayFor(backend.services, account('threads'))!;
    await expect(relay.put({ fileName: 'a.png', mime: 'image/png', bytes: new Uint8Array([1]), alt: '' })).rejects.toThrow(/no secret key in the keychain; enter it again in Settings/);
  });
});

describe('openAccountConnection: the publish context carries the project’s relay', () => {
  function addThreadsAccount(id = 'th1'): void {
    insertConnectedAccount(backend.services.db, {
      id, projectId: project.id, network: 'threads', handle: '@acme', displayName: 'Acme', remoteKey: 'u1', baseUrl: null, profileUrl: null,
      config: JSON.stringify({ userId: 'u1', username: 'acme' }), secretRef: `account:${id}`, now: 1,
    });
    secrets.secrets.set(`account:${id}`, JSON.stringify({ appId: 'a', accessToken: 'tok', expiresAt: null, issuedAt: 1, userId: 'u1' }));
  }
  const image = { fileName: 'a.png', mime: 'image/png', bytes: new Uint8Array([1, 2, 3]), alt: '' };

  it('none for a project without a relay', async () => {
    addThreadsAccount();
    expect((await openAccountConnection(backend.services, 'th1')).ctx.relay).toBeUndefined();
  });

  it('the bucket for Threads: the file is there while publishing and gone after', async () => {
    addThreadsAccount();
    await ok('relay.save', { projectId: project.id, kind: 's3', s3: { ...bucket(), secretAccessKey: SECRET } });
    const { ctx } = await openAccountConnection(backend.services, 'th1');
    const relayed = await ctx.relay!.put(image);
    expect(await s3.keys()).toHaveLength(1);
    expect(new Uint8Array(await (await fetch(relayed.url)).arrayBuffer())).toEqual(image.bytes);
    await relayed.remove();
    expect(await s3.keys()).toEqual([]);
  });

  it('the Page relay for Instagram, signed with the account’s own Page token', async () => {
    addInstagramAccount();
    await ok('relay.save', { projectId: project.id, kind: 'page' });
    const { ctx } = await openAccountConnection(backend.services, 'ig1');
    const relayed = await ctx.relay!.put(image);
    expect(fb.photos).toMatchObject([{ pageId: page.id, published: false, deleted: false }]);
    await relayed.remove();
    expect(fb.photos[0]?.deleted).toBe(true);
  });
});
