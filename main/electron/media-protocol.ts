import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { MEDIA_SCHEME } from '../core/media';
import type { MediaLibrary } from '../services/media/media-library';
import { mediaFileForUrl } from './media-files';

/** Serves library files (thumbnails, originals) to the renderer by id; see mediaFileForUrl for the checks. */
export function handleMediaScheme(media: Pick<MediaLibrary, 'resolveFile' | 'root'>): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const file = request.method === 'GET' || request.method === 'HEAD' ? mediaFileForUrl(request.url, media) : null;
    if (!file) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    // net.fetch of the file answers Range requests, which <video> needs to seek.
    const range = request.headers.get('range');
    const response = await net.fetch(pathToFileURL(file.path).href, range ? { headers: { range } } : {});
    const headers = new Headers(response.headers);
    headers.set('content-type', file.mime);
    headers.set('x-content-type-options', 'nosniff');
    headers.set('cache-control', 'private, max-age=31536000, immutable');
    return new Response(response.body, { status: response.status, headers });
  });
}
