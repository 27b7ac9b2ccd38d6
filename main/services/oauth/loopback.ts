import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * RFC 8252 sign-in for a desktop app: the system browser, a one-shot listener on
 * http://127.0.0.1:<random port>/callback, PKCE S256 and a random `state`.
 *
 *   const listener = await openLoopbackListener({ timeoutMs });
 *   // register the app with listener.redirectUri if the network needs it, then:
 *   const url = buildAuthorizeUrl(listener);  // with state, code_challenge, code_challenge_method=S256
 *   const { code } = await listener.authorize(url, openExternal);
 *   // exchange `code` with listener.pkce.verifier and listener.redirectUri
 *
 * Decision on a wrong `state`: that request gets a 400 page and is ignored; the listener
 * keeps waiting for the real redirect until its timeout. A stray or forged request (a stale
 * tab, another local page guessing the port) can then neither inject a code nor abort the
 * user's sign-in. An `error=` redirect with the right state ends the sign-in.
 */

export const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60_000;
export const CALLBACK_PATH = '/callback';

/** Why a sign-in ended without a code; the UI picks its words from `code`, never from the message. */
export type SignInFailure = 'timeout' | 'denied' | 'rejected' | 'cancelled' | 'browser' | 'port_busy';

export class SignInError extends Error {
  readonly code: SignInFailure;
  /** The authorization server's own `error` / `error_description`, when it sent one. */
  readonly serverError: string | undefined;

  constructor(code: SignInFailure, message: string, serverError?: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'SignInError';
    this.code = code;
    this.serverError = serverError;
  }
}

/** What every browser sign-in through the loopback redirect takes, beside its network's own fields. */
export interface BrowserSignInOptions {
  /** The system browser (Electron: shell.openExternal). */
  openExternal(url: string): Promise<void>;
  fetch?: typeof fetch;
  now?: () => number;
  signal?: AbortSignal;
  /** How long the browser has to come back (default 5 minutes). */
  timeoutMs?: number;
}

export interface Pkce {
  /** 43–128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1). */
  verifier: string;
  /** base64url(sha256(verifier)) without padding. */
  challenge: string;
  method: 'S256';
}

/** A fresh PKCE pair; `bytes` of randomness become ceil(bytes·4/3) verifier characters. */
export function createPkce(bytes = 32): Pkce {
  if (bytes < 32 || bytes > 96) throw new RangeError('A PKCE verifier needs 32 to 96 random bytes (43 to 128 characters).');
  const verifier = randomBytes(bytes).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier), method: 'S256' };
}

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export function randomState(): string {
  return randomBytes(32).toString('base64url');
}

export interface AuthorizationResult {
  code: string;
  /** Every query parameter of the redirect (some servers add `iss`, …). */
  params: URLSearchParams;
}

export interface LoopbackListenerOptions {
  /** Give up after this long (default 5 minutes); the listener is closed either way. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** A fixed port, for networks that compare the whole redirect URI with a registered one (OK); default: one the OS picks. */
  port?: number;
}

export interface LoopbackListener {
  /** http://127.0.0.1:<port>/callback: register this with the network and send it as redirect_uri. */
  redirectUri: string;
  port: number;
  state: string;
  pkce: Pkce;
  /** Resolves with the code of the first redirect carrying our state; rejects with SignInError. */
  result: Promise<AuthorizationResult>;
  /**
   * Opens `authorizeUrl` with the system browser and waits for the redirect. Failing to open
   * the browser ends the sign-in too, so nothing is left listening.
   */
  authorize(authorizeUrl: string, openExternal: (url: string) => Promise<void>): Promise<AuthorizationResult>;
  /** Stops listening now (idempotent); a pending `result` rejects as cancelled. */
  close(): void;
}

/** Starts the one-shot listener on 127.0.0.1 (never 0.0.0.0) at a port the OS picks. */
export async function openLoopbackListener(options: LoopbackListenerOptions = {}): Promise<LoopbackListener> {
  const state = randomState();
  const pkce = createPkce();
  let settled = false;
  let resolveResult!: (value: AuthorizationResult) => void;
  let rejectResult!: (error: SignInError) => void;
  const result = new Promise<AuthorizationResult>((resolve, reject) => {
    resolveResult = resolve;
    rejectResult = reject;
  });
  // The caller may only look at `result` later; an early timeout must not be an unhandled rejection.
  result.catch(() => undefined);

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch {
      // Nothing a local stranger sends may end the sign-in (or the app): answer and keep waiting.
      if (!res.headersSent) page(res, 500, 'Outpost could not read this request.');
      else res.destroy();
    }
  });
  // A request Node cannot parse (bad request line, headers over its limit) gets a plain answer, not a crash.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  const finish = (outcome: { ok: AuthorizationResult } | { error: SignInError }, answering = false) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    // Stop accepting at once; the answering socket closes itself after its page (Connection: close).
    server.close();
    if (answering) server.closeIdleConnections();
    else server.closeAllConnections();
    if ('ok' in outcome) resolveResult(outcome.ok);
    else rejectResult(outcome.error);
  };

  function handle(req: IncomingMessage, res: ServerResponse): void {
    if (settled) return page(res, 410, 'This sign-in has already finished. You can close this tab.');
    const url = parseTarget(req.url);
    if (!url) return page(res, 400, 'This is not a request Outpost understands.');
    if (url.pathname !== CALLBACK_PATH) return page(res, 404, 'Not found.');
    if (req.method !== 'GET') return page(res, 405, 'Not allowed.');
    const params = url.searchParams;
    if (params.get('state') !== state) {
      return page(res, 400, 'This sign-in link is not the one Outpost is waiting for. Start the sign-in again from Outpost.');
    }
    const error = params.get('error');
    if (error !== null) {
      const description = params.get('error_description') ?? undefined;
      const denied = error === 'access_denied';
      page(res, 200, denied ? 'Sign-in was cancelled. You can close this tab and return to Outpost.' : 'Sign-in did not work. You can close this tab and return to Outpost.', true);
      finish({
        error: new SignInError(
          denied ? 'denied' : 'rejected',
          denied ? 'The sign-in was declined in the browser.' : `The server refused the sign-in: ${description ?? error}`,
          description === undefined ? error : `${error}: ${description}`,
        ),
      }, true);
      return;
    }
    const code = params.get('code');
    if (!code) return page(res, 400, 'The sign-in answer has no code. Start the sign-in again from Outpost.');
    page(res, 200, 'You can close this tab and return to Outpost.', true);
    finish({ ok: { code, params } }, true);
  }

  const onAbort = () => finish({ error: new SignInError('cancelled', 'The sign-in was cancelled.') });
  const timeoutMs = options.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS;
  const timer = setTimeout(
    () => finish({ error: new SignInError('timeout', `No answer from the browser within ${Math.round(timeoutMs / 1000)} s.`) }),
    timeoutMs,
  );

  await new Promise<void>((resolve, reject) => {
    const refused = (error: NodeJS.ErrnoException) => {
      // Only a fixed, registered port can be taken by another program; say so instead of a bare EADDRINUSE.
      if (error.code === 'EADDRINUSE' && options.port) {
        reject(new SignInError('port_busy', `Port ${options.port} on 127.0.0.1 is in use by another program.`, undefined, error));
      } else reject(error);
    };
    server.once('error', refused);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', refused);
      resolve();
    });
  }).catch((error: unknown) => {
    clearTimeout(timer);
    throw error;
  });
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    port,
    state,
    pkce,
    result,
    async authorize(authorizeUrl, openExternal) {
      try {
        await openExternal(authorizeUrl);
      } catch (error) {
        finish({ error: new SignInError('browser', 'The browser could not be opened for the sign-in.', undefined, error) });
      }
      return result;
    },
    close: () => finish({ error: new SignInError('cancelled', 'The sign-in was cancelled.') }),
  };
}

/**
 * The request target as a URL on our own origin, or null unless it is a plain path (origin-form):
 * an absolute-form target (`http://host/...`), `*`, `//…` (which new URL(target, base) reads as a
 * host, or throws on), or bad percent-encoding is refused.
 */
export function parseTarget(target: string | undefined): URL | null {
  if (!target || !target.startsWith('/') || target.startsWith('//')) return null;
  try {
    decodeURIComponent(target);
    const url = new URL(`http://127.0.0.1${target}`);
    return url.host === '127.0.0.1' ? url : null;
  } catch {
    return null;
  }
}

function page(res: ServerResponse, status: number, message: string, last = false): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Outpost</title></head><body style="font-family:system-ui,sans-serif;margin:3rem"><p>${message}</p></body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'cache-control': 'no-store',
    // The URL holds the authorization code: no page may learn it from a Referer.
    'referrer-policy': 'no-referrer',
    ...(last ? { connection: 'close' } : {}),
  });
  res.end(html);
}
