import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { APP_SCHEME, appFileForUrl, privilegedSchemes } from './app-files';

/** Must run once, before the app is ready: app:// and outpost-media: as standard, secure schemes. */
export function registerSchemes(): void {
  protocol.registerSchemesAsPrivileged(privilegedSchemes());
}

/** Serves the built renderer on app://outpost; see appFileForUrl for what may be read. */
export function handleAppScheme(rendererDir: string, csp: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = request.method === 'GET' || request.method === 'HEAD' ? appFileForUrl(request.url, rendererDir) : null;
    if (!file) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    const response = await net.fetch(pathToFileURL(file.path).href);
    return new Response(request.method === 'HEAD' ? null : response.body, {
      status: response.status,
      headers: {
        'content-type': file.mime,
        // On the response itself: frame-ancestors cannot ride in the page's <meta> policy.
        'content-security-policy': csp,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-cache',
      },
    });
  });
}
