import { afterEach, describe, expect, it } from 'vitest';
import { fieldOf, fileOf, seededRandom, startFakeServer, type FakeServer, type NetworkAnswers } from '../../fakes/fake-server';
import type { RequestValidator } from '../../fakes/validate/spec';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ok = () => ({ status: 200, json: { ok: true } });

describe('fake-server plumbing', () => {
  it('parses JSON, urlencoded and multipart bodies as fetch sends them', async () => {
    server = await startFakeServer(ok);
    await fetch(`${server.baseUrl}/a?x=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":1}' });
    await fetch(`${server.baseUrl}/b`, { method: 'POST', body: new URLSearchParams([['media_ids[]', '1'], ['media_ids[]', '2']]) });
    const form = new FormData();
    form.set('caption', 'héllo "quoted"');
    form.set('photo', new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' }), 'a b.png');
    form.set('raw', new Blob([new Uint8Array([9])]), 'x.bin');
    await fetch(`${server.baseUrl}/c`, { method: 'POST', body: form });

    const [a, b, c] = server.requests;
    expect(a!.query.get('x')).toBe('1');
    expect(a!.body).toMatchObject({ type: 'json', json: { n: 1 } });
    expect(b!.body.type).toBe('urlencoded');
    expect(b!.body.fields).toEqual([['media_ids[]', '1'], ['media_ids[]', '2']]);
    expect(c!.body.type).toBe('multipart');
    expect(fieldOf(c!.body, 'caption')).toBe('héllo "quoted"');
    const photo = fileOf(c!.body, 'photo')!;
    expect(photo.fileName).toBe('a b.png');
    expect(photo.contentType).toBe('image/png');
    expect([...photo.bytes]).toEqual([1, 2, 3]);
    expect(fileOf(c!.body, 'raw')!.contentType).toBe('application/octet-stream');
  });

  it('marks a broken multipart body as malformed instead of throwing', async () => {
    server = await startFakeServer(ok);
    await fetch(`${server.baseUrl}/m`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=XYZ' },
      body: '--XYZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end',
    });
    expect(server.requests[0]!.body.type).toBe('malformed');
  });

  it('applies count faults before the handler, then lets requests through', async () => {
    let handled = 0;
    server = await startFakeServer(() => {
      handled += 1;
      return ok();
    });
    server.faults.next({ kind: 'respond', response: { status: 502, text: 'Bad Gateway' } }, 2);
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await fetch(server.baseUrl)).status);
    expect(statuses).toEqual([502, 502, 200]);
    expect(handled).toBe(1);
  });

  it('resets and hangs; afterHandling runs the handler first', async () => {
    let handled = 0;
    server = await startFakeServer(() => {
      handled += 1;
      return ok();
    });
    server.faults.next({ kind: 'reset', afterHandling: true });
    await expect(fetch(server.baseUrl)).rejects.toThrow(TypeError);
    expect(handled).toBe(1);
    server.faults.next({ kind: 'hang' });
    await expect(fetch(server.baseUrl, { signal: AbortSignal.timeout(100) })).rejects.toThrow(/timeout|aborted/i);
    expect(handled).toBe(1);
  });

  it('ratio faults are reproducible with the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(seqA.every((n) => n >= 0 && n < 1)).toBe(true);
  });

  it('records spec violations on arrival; a refusal answers them, close() throws for the rest', async () => {
    // A toy spec: `n` must be a number, `x` is not a known field (servers ignore it).
    const validator: RequestValidator = {
      warm: () => undefined,
      check: (req) => ({
        operation: req.path,
        path: {},
        query: {},
        body: undefined,
        violations: [
          ...(req.query.has('n') && !/^\d+$/.test(req.query.get('n')!) ? [{ message: 'n must be a number', refused: true }] : []),
          ...(req.query.has('x') ? [{ message: 'unexpected x', refused: false }] : []),
        ],
      }),
    };
    const answers: NetworkAnswers = {
      rateLimited: (ms) => ({ status: 429, json: { wait: ms }, headers: { 'retry-after': String(ms / 1000) } }),
      serverError: (status) => ({ status, text: 'down' }),
      refused: (messages) => ({ status: 422, json: { errors: messages } }),
    };
    const fake = await startFakeServer((req) => fake.refusal(req) ?? ok(), { name: 'toy', validator, answers });
    const refused = await fetch(`${fake.baseUrl}/a?n=abc`);
    expect([refused.status, await refused.json()]).toEqual([422, { errors: ['n must be a number'] }]);
    expect((await fetch(`${fake.baseUrl}/b?n=1`)).status).toBe(200);
    expect(fake.violations).toEqual(['GET /a: n must be a number']);
    expect(fake.requests[0]!.spec?.violations).toEqual([{ message: 'n must be a number', refused: true }]);

    fake.faults.next(fake.fault({ kind: 'rate_limited', retryAfterMs: 3000 }));
    const limited = await fetch(`${fake.baseUrl}/c?x=1`);
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
    await expect(fake.close()).rejects.toThrow('toy: 1 request(s) broke the network\'s spec');
  });

  it('a violation a test has asserted on and emptied does not fail close()', async () => {
    server = await startFakeServer(ok);
    await fetch(server.baseUrl);
    server.violate(server.requests[0]!, 'sent on purpose', false);
    expect(server.violations).toEqual(['GET /: sent on purpose']);
    server.violations.splice(0);
  });
});
