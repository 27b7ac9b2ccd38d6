import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isMediaId, MAX_VIDEO_BYTES, type MediaVariant } from '../core/media';
import type { OutpostError } from '../core/errors';
import type { MediaLibrary } from '../services/media/media-library';

/** What the browser host needs from the media library: receive uploads, and find files to serve. */
export type MediaHost = Pick<MediaLibrary, 'receiveUpload' | 'resolveFile'>;

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...extra,
  });
  res.end(JSON.stringify(body));
}

const failure = (error: OutpostError) => ({ ok: false, error });

/**
 * POST /api/upload: the request body is the file, streamed to `media/.uploads/` (never held in
 * memory); answers `{ ok, value: { uploadId } }` for `media.import`. A body declared larger than
 * the library's limit is refused before any of it is read.
 */
export async function handleUpload(req: IncomingMessage, res: ServerResponse, media: MediaHost): Promise<void> {
  const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  if (declared !== undefined && (!Number.isSafeInteger(declared) || declared > MAX_VIDEO_BYTES)) {
    // Closing stops the client from sending gigabytes we would only throw away.
    sendJson(res, 413, failure({ code: 'validation', reason: 'too_large', message: `Uploads can be at most ${MAX_VIDEO_BYTES} bytes.` }), {
      connection: 'close',
    });
    res.once('finish', () => req.destroy());
    return;
  }
  const result = await media.receiveUpload(req, declared);
  if (result.ok) {
    sendJson(res, 200, { ok: true, value: { uploadId: result.uploadId } });
    return;
  }
  const status = result.reason === 'too_large' ? 413 : result.reason === 'storage_full' ? 507 : 500;
  const code = result.reason === 'too_large' ? 'validation' : result.reason === 'storage_full' ? 'storage_full' : 'internal';
  sendJson(res, status, failure({ code, reason: result.reason, message: result.message }), status === 413 ? { connection: 'close' } : {});
}

/** `/api/media/<id>/<thumb|file>` → the id and variant; anything else (a path, `..`, an odd id) → null. */
export function parseMediaPath(pathname: string): { id: string; variant: MediaVariant } | null {
  const match = /^\/api\/media\/([^/]+)\/(thumb|file)$/.exec(pathname);
  if (!match || !isMediaId(match[1] ?? '')) return null;
  return { id: match[1] as string, variant: match[2] as MediaVariant };
}

/** Parses one `bytes=start-end` range (what <video> asks for); null means "send it all". */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match) return null;
  const [, from, to] = match;
  let start: number;
  let end: number;
  if (from === '') {
    const suffix = Number(to);
    if (!suffix) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  return start > end || start >= size ? 'unsatisfiable' : { start, end };
}

/** GET/HEAD /api/media/<id>/<thumb|file>: a library file by id, never a path from the request. */
export function serveMedia(req: IncomingMessage, res: ServerResponse, media: MediaHost, pathname: string): void {
  const parsed = parseMediaPath(pathname);
  const file = parsed && media.resolveFile(parsed.id, parsed.variant);
  if (!file) {
    sendJson(res, 404, failure({ code: 'not_found', reason: 'media_missing', message: 'No such media file.' }));
    return;
  }
  const range = parseRange(req.headers.range, file.size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { 'content-range': `bytes */${file.size}` });
    res.end();
    return;
  }
  const headers: Record<string, string> = {
    'content-type': file.mime,
    'accept-ranges': 'bytes',
    // An id always names the same bytes (content-addressed), so the browser may keep it.
    'cache-control': 'private, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cross-origin-resource-policy': 'same-origin',
  };
  const span = range ?? { start: 0, end: file.size - 1 };
  headers['content-length'] = String(span.end - span.start + 1);
  if (range) headers['content-range'] = `bytes ${span.start}-${span.end}/${file.size}`;
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // A file deleted while being sent ends this response, not the host.
  createReadStream(file.path, { start: span.start, end: span.end })
    .on('error', () => res.destroy())
    .pipe(res);
}
