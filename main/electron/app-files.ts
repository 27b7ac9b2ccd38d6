import type { CustomScheme } from 'electron';
import { realpathSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { MEDIA_SCHEME } from '../core/media';

/**
 * The packaged renderer is served from `app://outpost/…` rather than file://, so the page's CSP
 * 'self' means the renderer folder and not the whole disk. The decisions live here, free of
 * Electron, so a unit test can prove them; app-protocol.ts only wires them up.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'outpost';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** Every privileged scheme, in one list: Electron honours only one registerSchemesAsPrivileged call. */
export function privilegedSchemes(): CustomScheme[] {
  return [
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    // <img> and <video> load library files from it; stream lets <video> seek.
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ];
}

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export interface AppFile {
  path: string;
  mime: string;
}

function isInsideDir(dir: string, file: string): boolean {
  return file.startsWith(dir + sep);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Which file inside `rendererDir` an app:// request reads, or null (404). Only app://outpost;
 * no `..`, `.`, empty, drive or backslash segment however it is encoded; the resolved path (and
 * its real path, past any symlink) must stay inside the folder. A missing path without an
 * extension is a client route and gets index.html; a missing asset is a 404.
 */
export function appFileForUrl(rawUrl: string, rendererDir: string): AppFile | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password) return null;
  const segments: string[] = [];
  for (const raw of url.pathname === '/' ? [] : url.pathname.split('/').slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '' || segment === '.' || segment === '..' || /[/\\:\0]/.test(segment)) return null;
    segments.push(segment);
  }
  const root = resolve(rendererDir);
  const index = join(root, 'index.html');
  let file = segments.length === 0 ? index : resolve(root, ...segments);
  if (file !== index && !isInsideDir(root, file)) return null;
  if (!isFile(file)) {
    const last = segments.at(-1) ?? '';
    if (extname(last)) return null;
    file = index;
  }
  try {
    if (!isInsideDir(realpathSync(root), realpathSync(file))) return null;
  } catch {
    return null;
  }
  return { path: file, mime: mimeTypes[extname(file).toLowerCase()] ?? 'application/octet-stream' };
}
