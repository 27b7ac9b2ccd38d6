import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A Bluesky AppView for the real test PDS, which has none (TestNetworkNoAppView): the PDS forwards
 * app.bsky.feed.getPosts here with its service-auth token, as it forwards it to api.bsky.app in
 * production. Each post view is built from the record the PDS really holds, with the counts a test
 * sets, and both the parameters and the answer are checked against Bluesky's own lexicons
 * (@atproto/api, installed with the PDS peer), so a wrong call or a wrong shape fails the test.
 */

export interface BlueskyAppViewFake {
  url: string;
  did: string;
  /** Every call's method and whether the PDS's service auth named us and the method. */
  calls: Array<{ method: string; issuer: string | null; audienceOk: boolean; methodOk: boolean }>;
  violations: string[];
  setCounts(uri: string, counts: { likeCount?: number; repostCount?: number; replyCount?: number; quoteCount?: number }): void;
  close(): Promise<void>;
}

interface Lexicons {
  assertValidXrpcParams(nsid: string, value: unknown): unknown;
  assertValidXrpcOutput(nsid: string, value: unknown): unknown;
}

const peerApi = join(resolve(__dirname, '..'), 'peers', 'bluesky', 'node_modules', '@atproto', 'api', 'dist', 'client', 'lexicons.js');

/** The JWT's claims, unverified: the PDS signed it with the user's key; the fake checks who it is for. */
function claims(authorization: string | undefined): Record<string, unknown> | null {
  const token = authorization?.replace(/^Bearer /, '');
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export async function startBlueskyAppViewFake(pdsUrl: () => string): Promise<BlueskyAppViewFake> {
  const { lexicons } = (await import(pathToFileURL(peerApi).href)) as { lexicons: Lexicons };
  const counts = new Map<string, { likeCount?: number; repostCount?: number; replyCount?: number; quoteCount?: number }>();
  const calls: BlueskyAppViewFake['calls'] = [];
  const violations: string[] = [];
  let did = '';

  async function getPosts(uris: string[]): Promise<unknown> {
    const posts = [];
    for (const uri of uris) {
      const [, repo, collection, rkey] = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(uri) ?? [];
      if (!repo || !collection || !rkey) continue;
      const reply = await fetch(`${pdsUrl()}/xrpc/com.atproto.repo.getRecord?${new URLSearchParams({ repo, collection, rkey })}`);
      if (!reply.ok) continue; // deleted: an AppView leaves it out
      const record = (await reply.json()) as { uri: string; cid: string; value: Record<string, unknown> };
      const described = (await (await fetch(`${pdsUrl()}/xrpc/com.atproto.repo.describeRepo?repo=${encodeURIComponent(repo)}`)).json()) as { did: string; handle: string };
      posts.push({
        uri: record.uri,
        cid: record.cid,
        author: { did: described.did, handle: described.handle },
        record: record.value,
        indexedAt: String(record.value['createdAt']),
        likeCount: 0,
        repostCount: 0,
        replyCount: 0,
        quoteCount: 0,
        ...counts.get(uri),
      });
    }
    return { posts };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://appview.local');
    const method = url.pathname.replace(/^\/xrpc\//, '');
    const token = claims(req.headers.authorization);
    calls.push({ method, issuer: typeof token?.['iss'] === 'string' ? token['iss'] : null, audienceOk: token?.['aud'] === did, methodOk: token?.['lxm'] === method });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (method !== 'app.bsky.feed.getPosts') {
      send(501, { error: 'MethodNotImplemented', message: `The fake AppView has no ${method}` });
      return;
    }
    const params = { uris: url.searchParams.getAll('uris') };
    try {
      lexicons.assertValidXrpcParams(method, params);
    } catch (error) {
      violations.push(`${method} params: ${(error as Error).message}`);
      send(400, { error: 'InvalidRequest', message: (error as Error).message });
      return;
    }
    const output = await getPosts(params.uris);
    try {
      lexicons.assertValidXrpcOutput(method, output);
    } catch (error) {
      violations.push(`${method} output (the fake's own fault): ${(error as Error).message}`);
    }
    send(200, output);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      violations.push(`fake failed: ${String(error)}`);
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  did = `did:web:127.0.0.1%3A${port}`;
  return {
    url,
    did,
    calls,
    violations,
    setCounts: (uri, value) => counts.set(uri, value),
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
