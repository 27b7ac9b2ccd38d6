import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttentionEntry, HistoryLine, Post } from '../../../main/core/contract';
import type { OutpostError } from '../../../main/core/errors';
import { CAPTCHA_IMAGE_MAX_BYTES, fetchCaptchaImage } from '../../../main/services/scheduler/captcha';
import { liveJobOfTarget, recordStop } from '../../../main/services/scheduler/jobs-repo';
import { encodePng } from '../../support/png';
import { dispatcher, makeTempDir, openTestBackend, type TestBackend } from '../support/backend';

/**
 * publishing.answerCaptcha and publishing.captchaImage through the real boundary on a real store:
 * malformed answers refused with a clear error, the answer stored (trimmed) for one attempt, a stale
 * answer refused, and the picture fetched by main into a bounded data: URL.
 */

let dir: ReturnType<typeof makeTempDir>;
let t: TestBackend;
let projectId: string;
let server: Server;
let base: string;
const { call, ok, refused } = dispatcher(() => t.backend);

const PNG = Buffer.from(encodePng(120, 50, (x) => [x * 2, 80, 200]));

beforeEach(async () => {
  dir = makeTempDir();
  t = openTestBackend(dir.path);
  projectId = (await ok<{ id: string }>('projects.create', { name: 'Bakery', color: '#2563eb', timezone: 'Europe/Berlin' })).id;
  t.backend.services.db
    .prepare(`INSERT INTO accounts (id, project_id, network, handle, display_name, status, created_at, updated_at) VALUES ('acc-vk', ?, 'vk', 'club1', 'Bakery', 'connected', 0, 0)`)
    .run(projectId);
  server = createServer((req, res) => {
    if (req.url?.startsWith('/captcha.php')) return void res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    if (req.url === '/huge') return void res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.concat([PNG, Buffer.alloc(CAPTCHA_IMAGE_MAX_BYTES)]));
    if (req.url === '/page') return void res.writeHead(200, { 'content-type': 'image/png' }).end('<html><script>alert(1)</script></html>');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  t.backend.close();
  dir.remove();
  await new Promise((resolve) => server.close(resolve));
});

/** A scheduled VK post whose job the engine stopped on a captcha. */
async function waitingOnCaptcha(sid = '1002'): Promise<{ post: Post; jobId: string }> {
  const draft = await ok<Post>('posts.create', { projectId, body: 'Fresh bread at nine', targets: [{ accountId: 'acc-vk' }], local: '2026-01-05T11:00' });
  const { post } = await ok<{ post: Post }>('posts.schedule', { id: draft.id, revision: draft.revision });
  const db = t.backend.services.db;
  const job = liveJobOfTarget(db, post.targets[0]!.id)!;
  const challenge = { kind: 'captcha' as const, id: sid, imageUrl: `${base}/captcha.php?sid=${sid}`, call: 'wall.post' };
  recordStop(db, job, { state: 'needs_attention', reason: 'captcha', message: 'VK wants to make sure a person is posting.', networkSaid: 'Captcha needed', challenge }, t.clock.now());
  return { post, jobId: job.id };
}

const stored = (jobId: string) =>
  t.backend.services.db.prepare(`SELECT state, challenge_answer AS answer, next_attempt_at AS next FROM jobs WHERE id = ?`).get(jobId) as { state: string; answer: string | null; next: number };

describe('publishing.answerCaptcha', () => {
  it('refuses a malformed answer with a clear error naming the field, and stores nothing', async () => {
    const { jobId } = await waitingOnCaptcha();
    const cases: [unknown, string, RegExp][] = [
      [{ jobId, answer: '' }, 'answer', /type the characters in the picture/],
      [{ jobId, answer: '   ' }, 'answer', /type the characters in the picture/],
      [{ jobId, answer: 'x'.repeat(65) }, 'answer', /at most 64 characters/],
      [{ jobId }, 'answer', /answer/],
      [{ jobId, answer: 42 }, 'answer', /answer/],
      [{ answer: 'abc' }, 'jobId', /jobId/],
      [{ jobId, answer: 'abc', key: 'x' }, 'key', /key/],
    ];
    for (const [args, field, message] of cases) {
      const error = await refused('publishing.answerCaptcha', args);
      expect(error).toMatchObject({ code: 'bad_request', field });
      expect(error.message).toMatch(message);
    }
    expect(stored(jobId)).toMatchObject({ state: 'needs_attention', answer: null });
  });

  it('stores the trimmed answer, makes the job due now and the post scheduled again; a second answer is refused as not waiting', async () => {
    const { post, jobId } = await waitingOnCaptcha();
    const attention = await ok<AttentionEntry[]>('publishing.attention', { projectId });
    expect(attention.map((a) => ({ reason: a.reason, captcha: a.captcha }))).toEqual([{ reason: 'captcha', captcha: { id: '1002' } }]);

    t.clock.advance(60_000);
    const after = await ok<Post>('publishing.answerCaptcha', { jobId, captchaId: '1002', answer: '  x7kq2\t' });
    expect(after.status).toBe('scheduled');
    expect(after.revision).toBeGreaterThan(post.revision);
    expect(stored(jobId)).toEqual({ state: 'pending', answer: 'x7kq2', next: t.clock.now() });
    expect(await ok<AttentionEntry[]>('publishing.attention', { projectId })).toEqual([]);
    const history = await ok<HistoryLine[]>('publishing.history', { id: post.id });
    expect(history.at(-1)).toMatchObject({ event: 'answered' });
    // The journal keeps that it was answered, never the answer.
    const detail = t.backend.services.db.prepare(`SELECT detail FROM job_log WHERE job_id = ? AND event = 'answered'`).get(jobId) as { detail: string };
    expect(detail.detail).not.toContain('x7kq2');

    expect(await refused('publishing.answerCaptcha', { jobId, answer: 'again' })).toMatchObject({ code: 'conflict', reason: 'captcha_not_waiting' });
    expect(stored(jobId).answer).toBe('x7kq2');
  });

  it('refuses an answer to an older captcha, and one for a job that does not exist', async () => {
    const { jobId } = await waitingOnCaptcha('2001');
    expect(await refused('publishing.answerCaptcha', { jobId, captchaId: '1002', answer: 'old' })).toMatchObject({ code: 'conflict', reason: 'captcha_not_waiting' });
    expect(stored(jobId)).toMatchObject({ state: 'needs_attention', answer: null });
    expect(await refused('publishing.answerCaptcha', { jobId: 'no-such-job', answer: 'abc' })).toMatchObject({ code: 'not_found' });
  });
});

describe('publishing.captchaImage', () => {
  it('gives the picture as a data: URL fetched by main, for the captcha it shows', async () => {
    const { jobId } = await waitingOnCaptcha();
    const image = await ok<{ captchaId: string; dataUrl: string }>('publishing.captchaImage', { jobId });
    expect(image.captchaId).toBe('1002');
    expect(image.dataUrl).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
  });

  it('is refused for a job that waits on no captcha', async () => {
    const { jobId } = await waitingOnCaptcha();
    await ok('publishing.answerCaptcha', { jobId, answer: 'abc' });
    expect(await refused('publishing.captchaImage', { jobId })).toMatchObject({ code: 'conflict', reason: 'captcha_not_waiting' });
    expect((await call('publishing.captchaImage', {})).ok).toBe(false);
  });

  it('takes only a small JPEG, PNG or GIF: a huge file, a page, a missing file or a non-web address is refused in words', async () => {
    const refusedWith = async (address: string) => {
      const error = await fetchCaptchaImage(fetch, address).then(
        () => undefined,
        (e: { toData(): OutpostError }) => e.toData(),
      );
      expect(error).toMatchObject({ code: 'network', reason: 'captcha_image_unavailable' });
      return error!.message;
    };
    expect(await refusedWith(`${base}/huge`)).toMatch(/larger than a captcha/);
    expect(await refusedWith(`${base}/page`)).toMatch(/not an image/);
    expect(await refusedWith(`${base}/missing`)).toMatch(/HTTP 404/);
    expect(await refusedWith('file:///etc/passwd')).toMatch(/not at a web address/);
    expect(await refusedWith('not a url')).toMatch(/cannot read/);
  });

  it('asks for https where VK gave an http address (VK’s own example does)', async () => {
    const asked: string[] = [];
    const recording = (async (input: string | URL | Request) => {
      asked.push(String(input));
      return new Response(PNG);
    }) as typeof fetch;
    expect(await fetchCaptchaImage(recording, 'http://api.vk.com/captcha.php?sid=239633676097&s=1')).toMatch(/^data:image\/png;base64,/);
    expect(asked).toEqual(['https://api.vk.com/captcha.php?sid=239633676097&s=1']);
  });
});
