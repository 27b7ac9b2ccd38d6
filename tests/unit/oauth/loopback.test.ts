import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createPkce,
  openLoopbackListener,
  parseTarget,
  pkceChallenge,
  randomState,
  SignInError,
  type LoopbackListener,
} from '../../../main/services/oauth/loopback';

const open: LoopbackListener[] = [];
afterEach(() => {
  for (const listener of open.splice(0)) listener.close();
});

async function listen(options: Parameters<typeof openLoopbackListener>[0] = {}): Promise<LoopbackListener> {
  const listener = await openLoopbackListener(options);
  open.push(listener);
  return listener;
}

/** A fresh TCP connection (not a pooled keep-alive one) to the listener's port is refused. */
function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** Sends bytes over a bare TCP socket and returns everything the listener answered before closing. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const done = () => resolve(answer);
    socket.setTimeout(3000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      // One answer is all we wait for; a keep-alive connection would otherwise stay open.
      if (/\r\n\r\n/.test(answer)) socket.end();
    });
    // The listener may close while a huge header is still being sent; what it answered still counts.
    socket.on('error', () => undefined);
    socket.on('close', done);
    socket.write(bytes);
  });
}

const statusLine = (answer: string) => /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];

describe('PKCE and state', () => {
  it('matches the RFC 7636 appendix B example', () => {
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes fresh verifiers of 43–128 unreserved characters with their S256 challenge', () => {
    const a = createPkce();
    const b = createPkce(96);
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b.verifier).toMatch(/^[A-Za-z0-9_-]{128}$/);
    expect(a.verifier).not.toBe(createPkce().verifier);
    expect(a.challenge).toBe(createHash('sha256').update(a.verifier).digest('base64url'));
    expect(a.method).toBe('S256');
    expect(() => createPkce(16)).toThrow(RangeError);
    expect(randomState()).not.toBe(randomState());
  });
});

describe('loopback listener', () => {
  it('listens on 127.0.0.1 at a random port and answers /callback once', async () => {
    const listener = await listen();
    expect(listener.redirectUri).toBe(`http://127.0.0.1:${listener.port}/callback`);
    expect(listener.port).toBeGreaterThan(0);

    const stray = await fetch(`http://127.0.0.1:${listener.port}/favicon.ico`);
    expect(stray.status).toBe(404);

    const answer = await fetch(`${listener.redirectUri}?code=abc&state=${listener.state}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await answer.text()).toContain('You can close this tab and return to Outpost');
    await expect(listener.result).resolves.toMatchObject({ code: 'abc' });
    expect(await refused(listener.redirectUri)).toBe(true);
  });

  it('ignores a wrong state and still takes the right one', async () => {
    const listener = await listen();
    const forged = await fetch(`${listener.redirectUri}?code=evil&state=guess`);
    expect(forged.status).toBe(400);
    const right = await fetch(`${listener.redirectUri}?code=good&state=${listener.state}`);
    expect(right.status).toBe(200);
    await expect(listener.result).resolves.toMatchObject({ code: 'good' });
  });

  it('ends with a typed error for access_denied, timeout, abort and a browser that cannot open', async () => {
    const denied = await listen();
    await fetch(`${denied.redirectUri}?error=access_denied&state=${denied.state}`);
    await expect(denied.result).rejects.toMatchObject({ name: 'SignInError', code: 'denied' });

    const slow = await listen({ timeoutMs: 50 });
    await expect(slow.result).rejects.toMatchObject({ code: 'timeout' });
    expect(await refused(slow.redirectUri)).toBe(true);

    const controller = new AbortController();
    const aborted = await listen({ signal: controller.signal });
    controller.abort();
    await expect(aborted.result).rejects.toMatchObject({ code: 'cancelled' });

    const noBrowser = await listen();
    const failure = await noBrowser.authorize('https://example.test/authorize', () => Promise.reject(new Error('no browser'))).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SignInError);
    expect((failure as SignInError).code).toBe('browser');
    expect(await refused(noBrowser.redirectUri)).toBe(true);
  });

  it('says a fixed, registered port is taken by another program instead of failing with EADDRINUSE', async () => {
    const first = await listen();
    const port = Number(new URL(first.redirectUri).port);
    const failure = await openLoopbackListener({ port }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SignInError);
    expect(failure).toMatchObject({ code: 'port_busy', message: expect.stringContaining(String(port)) });
    // The one already listening is untouched and still completes.
    await fetch(`${first.redirectUri}?code=abc&state=${first.state}`);
    await expect(first.result).resolves.toMatchObject({ code: 'abc' });
  });

  it('survives whatever a local stranger sends, answers 400 (431), and still completes the real sign-in', async () => {
    const listener = await listen();
    const { port, state } = listener;
    const hostLine = `Host: 127.0.0.1:${port}\r\n`;
    const cases: Array<[label: string, bytes: string, expected: string[]]> = [
      ['GET //', `GET // HTTP/1.1\r\n${hostLine}\r\n`, ['400']],
      ['GET //host/callback', `GET //evil.example/callback?code=x&state=${state} HTTP/1.1\r\n${hostLine}\r\n`, ['400']],
      ['malformed request line', 'THIS IS NOT HTTP\r\n\r\n', ['400']],
      ['request line without version', 'GET /callback\r\n\r\n', ['400']],
      ['bad bytes in the target', `GET /call\u0001back HTTP/1.1\r\n${hostLine}\r\n`, ['400']],
      ['header over 16 KB', `GET /callback HTTP/1.1\r\n${hostLine}X-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`, ['431']],
      ['absolute-form URL', `GET http://127.0.0.1:${port}/callback?code=stolen&state=${state} HTTP/1.1\r\n${hostLine}\r\n`, ['400']],
      ['asterisk-form', `OPTIONS * HTTP/1.1\r\n${hostLine}\r\n`, ['400']],
      ['bad percent-encoding', `GET /callback?code=%E0%A4%A&state=${state} HTTP/1.1\r\n${hostLine}\r\n`, ['400']],
      ['bad percent-encoding in the path', `GET /%ZZ HTTP/1.1\r\n${hostLine}\r\n`, ['400']],
    ];
    for (const [label, bytes, expected] of cases) {
      const answer = await rawExchange(port, bytes);
      expect(expected, `${label}: ${answer.slice(0, 60)}`).toContain(statusLine(answer));
    }
    // A connection that just drops mid-request harms nothing either.
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write('GET /callback?code=');
        socket.destroy();
        resolve();
      });
    });

    const right = await fetch(`${listener.redirectUri}?code=real&state=${state}`);
    expect(right.status).toBe(200);
    await expect(listener.result).resolves.toMatchObject({ code: 'real' });
    expect(await refused(listener.redirectUri)).toBe(true);
  });

  it('reads only plain paths as request targets', () => {
    expect(parseTarget('/callback?code=a%25b&state=s')?.searchParams.get('code')).toBe('a%b');
    expect(parseTarget('/callback/../callback')?.pathname).toBe('/callback');
    for (const target of [undefined, '', '*', '//', '//evil.example/callback', 'http://127.0.0.1/callback', 'callback', '/callback?code=%E0%A4%A', '/%ZZ']) {
      expect(parseTarget(target), String(target)).toBeNull();
    }
  });
});
