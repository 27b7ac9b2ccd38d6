import { MEDIA_SCHEME } from './media';

/**
 * The Content-Security-Policy for every page Outpost shows. One builder serves the packaged
 * app, the browser host and the dev server, so the policies cannot drift apart.
 */
export interface CspOptions {
  /** The vite dev server needs its inline React-refresh preamble and a websocket for reloads. */
  devServerOrigin?: string;
  /**
   * 'meta' leaves out directives a <meta> tag cannot carry (Chromium logs an error for
   * frame-ancestors there); those stay in the HTTP header, which is the default.
   */
  delivery?: 'header' | 'meta';
}

const headerOnly = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

export function buildCsp(options: CspOptions = {}): string {
  const dev = options.devServerOrigin;
  const devWs = dev ? dev.replace(/^http/, 'ws') : undefined;
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': dev ? ["'self'", "'unsafe-inline'", dev] : ["'self'"],
    'style-src': dev ? ["'self'", "'unsafe-inline'", dev] : ["'self'"],
    // Library files: outpost-media: in Electron, /api/media ('self') in the browser host.
    'img-src': ["'self'", 'data:', 'blob:', `${MEDIA_SCHEME}:`],
    'media-src': ["'self'", 'blob:', `${MEDIA_SCHEME}:`],
    'font-src': ["'self'", 'data:'],
    // Library files are also read by range with fetch: the window reads a video's frames itself (WebCodecs).
    'connect-src': dev && devWs ? ["'self'", `${MEDIA_SCHEME}:`, dev, devWs] : ["'self'", `${MEDIA_SCHEME}:`],
    'worker-src': ["'self'", 'blob:'],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
    'object-src': ["'none'"],
  };
  return Object.entries(directives)
    .filter(([name]) => options.delivery !== 'meta' || !headerOnly.has(name))
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}
