import { createHash, createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * A local S3-compatible server for the relay tests: s3rver (files in a temp folder) behind a gate
 * that checks each request's AWS Signature V4 against the real secret, which s3rver itself skips
 * ("Signature version 4 calculation is unimplemented", its authentication middleware), so a wrong
 * secret is refused as AWS would refuse it.
 */

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The keys of the objects in the bucket now. */
  keys(): Promise<string[]>;
  /** Header-signed requests the gate saw (method and path), to see what the relay did. */
  calls: { method: string; path: string }[];
  close(): Promise<void>;
}

/** node:crypto as the signer's hash, HMAC when given a key. */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytesOf(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {}
}

function bytesOf(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  return data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

interface KoaContext {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  status: number;
  type: string;
  body: unknown;
}

/** s3rver's default account's key id; the secret is the gate's own (s3rver never checks it). */
const ACCESS_KEY_ID = 'S3RVER';
const SECRET = 'local-s3-secret-for-tests';

export async function startLocalS3(bucket = 'outpost-media'): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 'outpost-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const calls: LocalS3['calls'] = [];
  // Koa composes its middleware list when it starts listening: the gate goes first.
  (server as unknown as { middleware: ((ctx: KoaContext, next: () => Promise<void>) => Promise<void>)[] }).middleware.unshift(async (ctx, next) => {
    const authorization = ctx.headers['authorization'];
    if (typeof authorization === 'string') {
      calls.push({ method: ctx.method, path: ctx.url.split('?')[0] ?? '' });
      if (!(await signatureMatches(ctx, authorization))) {
        ctx.status = 403;
        ctx.type = 'application/xml';
        ctx.body =
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message></Error>';
        return;
      }
    }
    await next();
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET,
    calls,
    async keys() {
      const root = join(directory, bucket);
      if (!existsSync(root)) return [];
      const found: string[] = [];
      const walk = async (dir: string, prefix: string): Promise<void> => {
        for (const entry of await readdir(join(root, dir), { withFileTypes: true })) {
          const path = dir ? `${dir}/${entry.name}` : entry.name;
          if (entry.isDirectory()) await walk(path, `${prefix}${entry.name}/`);
          // s3rver keeps each object as <key>._S3rver_object beside its metadata files.
          else if (entry.name.endsWith('._S3rver_object')) found.push(`${prefix}${entry.name.replace(/\._S3rver_object$/, '')}`);
        }
      };
      await walk('', '');
      return found.sort();
    },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

async function signatureMatches(ctx: KoaContext, authorization: string): Promise<boolean> {
  const parts = /Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)/.exec(authorization);
  const amzDate = ctx.headers['x-amz-date'];
  if (!parts || typeof amzDate !== 'string') return false;
  const [, keyId, , region, signedHeaders, signature] = parts as unknown as [string, string, string, string, string, string];
  if (keyId !== ACCESS_KEY_ID) return false;
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(';')) {
    const value = ctx.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const [path = '/', search = ''] = ctx.url.split('?');
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(search)) query[name] = value;
  const signer = new SignatureV4({ credentials: { accessKeyId: keyId, secretAccessKey: SECRET }, region, service: 's3', sha256: Sha256, uriEscapePath: false, applyChecksum: false });
  const at = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  const signed = await signer.sign({ method: ctx.method, protocol: 'http:', hostname: headers['host'] ?? '', path, query, headers }, { signingDate: at });
  const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers['authorization']))?.[1];
  return expected === signature;
}
