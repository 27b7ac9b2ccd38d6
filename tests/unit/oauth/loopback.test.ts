import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createPkce, openLoopbackListener, pkceChallenge, randomState, SignInError, type LoopbackListener } from '../../../main/services/oauth/loopback';

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
});
