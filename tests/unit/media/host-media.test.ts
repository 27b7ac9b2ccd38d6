import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_VIDEO_BYTES } from '../../../main/core/media';
import { parseMediaPath } from '../../../main/host/media-routes';
import { startHostServer, type HostServer } from '../../../main/host/server';
import { makeTempDir, openTestBackend, type TestBackend } from '../support/backend';
import { writeJpeg } from './fixtures';

let dir: ReturnType<typeof makeTempDir>;
let t: TestBackend;
let host: HostServer;
let origin: string;
let cookie: string;

beforeAll(async () => {
  dir = makeTempDir('outpost-host-media-');
  mkdirSync(join(dir.path, 'renderer'));
  writeFileSync(join(dir.path, 'renderer', 'index.html'), '<!doctype html><title>t</title>');
  t = openTestBackend(join(dir.path, 'data'));
  host = await startHostServer({ dispatch: t.backend.dispatch, rendererDir: join(dir.path, 'renderer'), media: t.backend.services.media });
  origin = `http://127.0.0.1:${host.port}`;
  cookie = host.pageCookie;
});

afterAll(async () => {
  await host.close();
  t.backend.close();
  dir.remove();
});

async function upload(body: Buffer, headers: Record<string, string> = { 'x-outpost-token': host.token }) {
  const response = await fetch(`${origin}/api/upload`, { method: 'POST', headers, body });
  return { status: response.status, json: (await response.json()) as { ok: boolean; value?: { uploadId: string }; error?: { reason?: string } } };
}

async function importUpload(uploadId: string, fileName: string) {
  const response = await fetch(`${origin}/api/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-outpost-token': host.token },
    body: JSON.stringify({ name: 'media.import', args: { files: [{ uploadId, fileName }] } }),
  });
  return ((await response.json()) as { value: Array<{ ok: boolean; media: { id: string; bytes: number } }> }).value[0];
}

/** A request that claims a huge body and sends a few bytes: the host must answer without waiting for the rest. */
function declareHuge(): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}/api/upload`, {
      method: 'POST',
      headers: { 'x-outpost-token': host.token, 'content-length': String(MAX_VIDEO_BYTES + 1) },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.write(Buffer.alloc(1024));
  });
}

describe('browser host: uploads and media files', () => {
  it('takes an upload, imports it by id and serves its thumbnail and bytes', async () => {
    const jpeg = readFileSync(await writeJpeg(dir.path, 'up.jpg', 400, 300));
    const uploaded = await upload(jpeg);
    expect(uploaded.status).toBe(200);
    const outcome = await importUpload(uploaded.json.value?.uploadId ?? '', 'up.jpg');
    expect(outcome).toMatchObject({ ok: true, media: { bytes: jpeg.length } });
    const id = outcome?.media.id ?? '';

    const thumb = await fetch(`${origin}/api/media/${id}/thumb`, { headers: { cookie } });
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    expect(thumb.headers.get('x-content-type-options')).toBe('nosniff');

    const file = await fetch(`${origin}/api/media/${id}/file`, { headers: { cookie } });
    expect(Buffer.from(await file.arrayBuffer()).equals(jpeg)).toBe(true);

    const part = await fetch(`${origin}/api/media/${id}/file`, { headers: { cookie, range: 'bytes=0-9' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-9/${jpeg.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(jpeg.subarray(0, 10))).toBe(true);
  });

  it('wants the token header for uploads: a cookie (which a cross-site form would carry) is not enough', async () => {
    expect((await upload(Buffer.from('x'), { cookie })).status).toBe(401);
    expect((await upload(Buffer.from('x'), {})).status).toBe(401);
  });

  it('refuses an upload declared larger than the limit without reading it', async () => {
    const answer = await declareHuge();
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'validation', reason: 'too_large' } });
  });

  it('serves media only with the token, and only by id', async () => {
    expect((await fetch(`${origin}/api/media/00000000-0000-4000-8000-000000000000/file`)).status).toBe(401);
    for (const path of [
      '/api/media/..%2F..%2Foutpost.db/file',
      '/api/media/%2e%2e%2f%2e%2e%2foutpost.db/file',
      '/api/media/00000000-0000-4000-8000-000000000000/file',
      '/api/media/x/../../outpost.db',
    ]) {
      expect([path, (await fetch(`${origin}${path}`, { headers: { cookie } })).status]).toEqual([path, 404]);
    }
  });

  it('parses only /api/media/<uuid>/<thumb|file>', () => {
    expect(parseMediaPath('/api/media/0b8f3a51-1111-4222-8333-944455556666/thumb')).toEqual({
      id: '0b8f3a51-1111-4222-8333-944455556666',
      variant: 'thumb',
    });
    expect(parseMediaPath('/api/media/0b8f3a51-1111-4222-8333-944455556666/../../x')).toBeNull();
    expect(parseMediaPath('/api/media/abc/file')).toBeNull();
  });
});
