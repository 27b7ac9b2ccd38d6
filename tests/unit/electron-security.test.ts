import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildCsp } from '../../main/core/csp';
import { mediaSchemeUrl } from '../../main/core/media';
import { APP_INDEX_URL, APP_ORIGIN, appFileForUrl, privilegedSchemes } from '../../main/electron/app-files';
import { mediaFileForUrl } from '../../main/electron/media-files';
import { MediaLibrary } from '../../main/services/media/media-library';
import { openDatabase, type Db } from '../../main/services/store/database';
import { makeTempDir } from './support/backend';
import {
  allowPrintRequest,
  decideNavigation,
  decideWindowOpen,
  isExternalWebUrl,
  isTrustedSender,
  openHttpsExternally,
  windowOptions,
  type AppLocation,
} from '../../main/electron/security';

const packaged: AppLocation = { kind: 'app', origin: APP_ORIGIN };
const dev: AppLocation = { kind: 'dev', origin: 'http://localhost:5173' };

describe('window settings', () => {
  it('isolates the renderer from Node and Electron', () => {
    const prefs = windowOptions('/app/out/preload/index.js').webPreferences ?? {};
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/out/preload/index.js',
    });
  });
});

describe('packaging fuses', () => {
  const root = join(__dirname, '../..');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { build: { electronFuses?: Record<string, unknown> } };
  const fuses = pkg.build.electronFuses ?? {};

  it('flips the fuses that would let someone run the packaged app as something else', () => {
    // Each of these turns a signed Outpost binary into a general Node runtime or debugger, or loads code from outside the asar.
    expect(fuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      // The app is served from app://; only the print window (self-contained HTML) still loads a file:// page.
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('uses only fuse names electron-builder knows (a misspelt key would be dropped silently)', () => {
    const scheme = JSON.parse(readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as {
      definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
    };
    const known = Object.keys(scheme.definitions.FuseOptionsV1.properties);
    expect(known.length).toBeGreaterThan(5);
    for (const key of Object.keys(fuses)) expect(known, key).toContain(key);
  });
});

describe('navigation', () => {
  it('stays inside the packaged app, on its app:// origin', () => {
    expect(APP_INDEX_URL).toBe('app://outpost/index.html');
    expect(decideNavigation('app://outpost/index.html#/calendar', packaged)).toEqual({ allow: true });
    expect(decideNavigation('app://outpost/', packaged)).toEqual({ allow: true });
  });

  it('sends https links to the system browser instead of navigating; http links are refused, not opened', () => {
    expect(decideNavigation('https://mastodon.social/@someone', packaged)).toEqual({ allow: false, openExternally: true });
    expect(decideNavigation('http://example.com/', dev)).toEqual({ allow: false, openExternally: false });
    expect(decideNavigation('http://example.com/', packaged)).toEqual({ allow: false, openExternally: false });
    expect(decideWindowOpen('http://bsky.app/profile/x')).toEqual({ action: 'deny', openExternally: false });
  });

  it('refuses other local files, other app:// hosts and script URLs without opening them', () => {
    // Once served from app://, no file:// page is the app, not even its own index.html.
    expect(decideNavigation('file:///opt/Outpost/resources/app.asar/out/renderer/index.html', packaged).allow).toBe(false);
    expect(decideNavigation('app://evil/index.html', packaged)).toEqual({ allow: false, openExternally: false });
    expect(decideNavigation('app://outpost@evil/index.html', packaged).allow).toBe(false);
    expect(decideNavigation('app://outpost:8080/index.html', packaged).allow).toBe(false);
    expect(decideNavigation('outpost-media://media/x/file', packaged)).toEqual({ allow: false, openExternally: false });
    expect(decideNavigation('file:///etc/passwd', packaged)).toEqual({ allow: false, openExternally: false });
    expect(decideNavigation('javascript:alert(1)', packaged)).toEqual({ allow: false, openExternally: false });
    expect(decideNavigation('smb://evil/share', packaged)).toEqual({ allow: false, openExternally: false });
    expect(decideNavigation('not a url', packaged)).toEqual({ allow: false, openExternally: false });
  });

  it('in development allows only the dev server origin', () => {
    expect(decideNavigation('http://localhost:5173/#/media', dev)).toEqual({ allow: true });
    expect(decideNavigation('http://localhost:5174/', dev).allow).toBe(false);
  });

  it('never opens a new window; web links go to the system browser', () => {
    expect(decideWindowOpen('https://bsky.app/profile/x')).toEqual({ action: 'deny', openExternally: true });
    expect(decideWindowOpen('file:///etc/passwd')).toEqual({ action: 'deny', openExternally: false });
    expect(decideWindowOpen('mailto:someone@example.com')).toEqual({ action: 'deny', openExternally: false });
  });

  it('answers IPC only from the app itself', () => {
    expect(isTrustedSender('app://outpost/index.html', packaged)).toBe(true);
    expect(isTrustedSender('app://outpost/index.html#/media', packaged)).toBe(true);
    expect(isTrustedSender('file:///opt/Outpost/resources/app.asar/out/renderer/index.html', packaged)).toBe(false);
    expect(isTrustedSender('app://evil/index.html', packaged)).toBe(false);
    expect(isTrustedSender('https://evil.example/', packaged)).toBe(false);
    expect(isTrustedSender('http://localhost:5173/', dev)).toBe(true);
    expect(isTrustedSender('app://outpost/index.html', dev)).toBe(false);
    expect(isTrustedSender(undefined, packaged)).toBe(false);
  });
});

describe('links to the system browser', () => {
  it('are https only, without credentials in them', () => {
    expect(isExternalWebUrl('https://mastodon.social/@me')).toBe(true);
    for (const url of ['http://mastodon.social/@me', 'file:///etc/passwd', 'smb://host/share', 'javascript:alert(1)', 'mailto:a@b.c', 'https://user:pw@example.com/', 'HTTPS//x', '']) {
      expect(isExternalWebUrl(url), url).toBe(false);
    }
  });

  it('refuse anything else with a clear error, and never call the OS', async () => {
    const opened: string[] = [];
    const open = async (url: string) => void opened.push(url);
    await openHttpsExternally('https://example.com/authorize?x=1', open);
    expect(opened).toEqual(['https://example.com/authorize?x=1']);
    await expect(openHttpsExternally('http://example.com/authorize?code=secret', open)).rejects.toThrow(/only https:\/\/ links.*http:/);
    await expect(openHttpsExternally('http://example.com/authorize?code=secret', open)).rejects.not.toThrow(/secret/);
    await expect(openHttpsExternally('file:///etc/passwd', open)).rejects.toThrow(/file:/);
    await expect(openHttpsExternally('nonsense', open)).rejects.toThrow(/only https/);
    expect(opened).toHaveLength(1);
  });
});

describe('app:// protocol', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let renderer: string;

  beforeAll(() => {
    dir = makeTempDir('outpost-app-scheme-');
    renderer = join(dir.path, 'renderer');
    mkdirSync(join(renderer, 'assets'), { recursive: true });
    writeFileSync(join(renderer, 'index.html'), '<!doctype html>');
    writeFileSync(join(renderer, 'assets', 'index-abc.js'), 'export {}');
    writeFileSync(join(renderer, 'assets', 'font.woff2'), '');
    writeFileSync(join(dir.path, 'secret.txt'), 'secret');
    mkdirSync(join(dir.path, 'renderer-evil'));
    writeFileSync(join(dir.path, 'renderer-evil', 'x.js'), 'evil');
    symlinkSync(join(dir.path, 'secret.txt'), join(renderer, 'assets', 'link.txt'));
  });

  afterAll(() => dir.remove());

  it('registers app:// and outpost-media: as standard, secure schemes in one call', () => {
    const schemes = privilegedSchemes();
    expect(schemes.map((s) => s.scheme)).toEqual(['app', 'outpost-media']);
    for (const { privileges } of schemes) expect(privileges).toMatchObject({ standard: true, secure: true, supportFetchAPI: true });
  });

  it('serves files of the renderer folder, and index.html for the app and its client routes', () => {
    expect(appFileForUrl('app://outpost/index.html', renderer)).toEqual({ path: join(renderer, 'index.html'), mime: 'text/html; charset=utf-8' });
    expect(appFileForUrl('app://outpost/', renderer)?.path).toBe(join(renderer, 'index.html'));
    expect(appFileForUrl('app://outpost', renderer)?.path).toBe(join(renderer, 'index.html'));
    expect(appFileForUrl('app://outpost/assets/index-abc.js?v=1', renderer)).toEqual({
      path: join(renderer, 'assets', 'index-abc.js'),
      mime: 'text/javascript; charset=utf-8',
    });
    expect(appFileForUrl('app://outpost/assets/font.woff2', renderer)?.mime).toBe('font/woff2');
    expect(appFileForUrl('app://outpost/calendar/week', renderer)?.path).toBe(join(renderer, 'index.html'));
  });

  it.each([
    'app://outpost/assets/missing.js',
    'app://outpost/../secret.txt',
    'app://outpost/%2e%2e/secret.txt',
    'app://outpost/..%2fsecret.txt',
    'app://outpost/assets/..%2f..%2fsecret.txt',
    'app://outpost/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://outpost/..%5csecret.txt',
    'app://outpost/..\\secret.txt',
    'app://outpost/../renderer-evil/x.js',
    'app://outpost/%2e%2e/renderer-evil/x.js',
    'app://outpost//etc/passwd',
    'app://outpost/C:/Windows/win.ini',
    'app://outpost/assets/index-abc.js%00.png',
    'app://outpost/%E0%A4%A',
    'app://outpost/assets/link.txt',
    'app://evil/index.html',
    'app://outpost@evil/index.html',
    'app://user:pw@outpost/index.html',
    'app://outpost:1/index.html',
    'file:///etc/passwd',
    'outpost-media://outpost/index.html',
    'not a url',
  ])('refuses %s', (url) => {
    const file = appFileForUrl(url, renderer);
    expect(file).toBeNull();
  });

  it('never reads outside the renderer folder, whatever it is asked', () => {
    for (const url of ['app://outpost/../secret.txt', 'app://outpost/%2e%2e/%2e%2e/%2e%2e/etc/passwd', 'app://outpost/..%2F..%2F..%2Fetc%2Fpasswd']) {
      const file = appFileForUrl(url, renderer);
      expect(file === null || file.path.startsWith(`${renderer}/`), url).toBe(true);
    }
  });
});

describe('content security policy', () => {
  const directive = (csp: string, name: string) =>
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .find(([n]) => n === name)
      ?.slice(1);

  it('is strict when packaged: nothing but our own scripts, no eval, no inline', () => {
    const csp = buildCsp();
    expect(directive(csp, 'default-src')).toEqual(["'none'"]);
    expect(directive(csp, 'script-src')).toEqual(["'self'"]);
    // The media scheme serves only library files; the window reads video frames from it with fetch.
    expect(directive(csp, 'connect-src')).toEqual(["'self'", 'outpost-media:']);
    expect(directive(csp, 'object-src')).toEqual(["'none'"]);
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('unsafe-inline');
  });

  it('lets images and video come only from the app, data/blob URLs and the media scheme', () => {
    for (const csp of [buildCsp(), buildCsp({ devServerOrigin: 'http://localhost:5173' })]) {
      expect(directive(csp, 'img-src')).toEqual(["'self'", 'data:', 'blob:', 'outpost-media:']);
      expect(directive(csp, 'media-src')).toEqual(["'self'", 'blob:', 'outpost-media:']);
    }
  });

  it('names no file: or plain-http source when packaged: served from app://, its own origin is all self covers', () => {
    const csp = buildCsp();
    expect(csp).not.toMatch(/file:|http:|\*/);
    expect(directive(csp, 'frame-ancestors')).toEqual(["'none'"]);
  });

  it('relaxes only what the dev server needs, and still forbids eval', () => {
    const csp = buildCsp({ devServerOrigin: 'http://localhost:5173' });
    expect(directive(csp, 'connect-src')).toEqual(["'self'", 'outpost-media:', 'http://localhost:5173', 'ws://localhost:5173']);
    expect(csp).not.toContain('unsafe-eval');
  });
});

describe('preload', () => {
  it('exposes window.outpost with invoke, on and pathForFile, and nothing else', async () => {
    const exposed: Array<[string, unknown]> = [];
    const granted: string[] = [];
    const invoke = vi.fn(async (channel: string, ...args: unknown[]) => {
      if (channel !== 'outpost:grant-file') return { ok: true, value: 1 };
      granted.push(args[0] as string);
      // Main refuses anything but an absolute path.
      return String(args[0]).startsWith('/');
    });
    const getPathForFile = vi.fn((file: { name: string }) => (file.name === 'pasted.png' ? '' : `/home/me/${file.name}`));
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push([key, api]) },
      ipcRenderer: { invoke, on: vi.fn(), removeListener: vi.fn() },
      webUtils: { getPathForFile },
    }));
    await import('../../preload/index');
    expect(exposed.map(([key]) => key)).toEqual(['outpost']);
    const api = exposed[0]?.[1] as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on', 'pathForFile']);
    await (api.invoke as (n: string, a: unknown) => Promise<unknown>)('projects.list', {});
    expect(invoke).toHaveBeenCalledWith('outpost:invoke', 'projects.list', {});
    const pathForFile = api.pathForFile as (file: { name: string }) => Promise<string | null>;
    // The path is registered with main on its own channel before the page may import it.
    expect(await pathForFile({ name: 'photo.jpg' })).toBe('/home/me/photo.jpg');
    expect(invoke).toHaveBeenCalledWith('outpost:grant-file', '/home/me/photo.jpg');
    // A pasted image has no file on disk: null, so the UI can say so instead of importing ''.
    expect(await pathForFile({ name: 'pasted.png' })).toBeNull();
    expect(granted).toEqual(['/home/me/photo.jpg']);
    vi.doUnmock('electron');
  });
});

describe('outpost-media: protocol', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let db: Db;
  let library: MediaLibrary;
  let id: string;

  beforeAll(async () => {
    dir = makeTempDir('outpost-protocol-');
    db = openDatabase(join(dir.path, 'outpost.db'));
    library = new MediaLibrary({ db, dataDir: dir.path, clock: { now: () => 0 } });
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    writeFileSync(join(dir.path, 'dot.png'), png);
    const outcome = await library.importOne({ path: join(dir.path, 'dot.png') });
    if (!outcome.ok) throw new Error(outcome.message);
    id = outcome.media.id;
  });

  afterAll(() => {
    db.close();
    dir.remove();
  });

  it('serves a library file and its thumbnail by id, from inside the media folder', () => {
    const file = mediaFileForUrl(mediaSchemeUrl(id, 'file'), library);
    expect(file).toMatchObject({ mime: 'image/png' });
    expect(file?.path.startsWith(join(dir.path, 'media'))).toBe(true);
    expect(mediaFileForUrl(mediaSchemeUrl(id, 'thumb'), library)).toMatchObject({ mime: 'image/webp' });
  });

  it.each([
    'outpost-media://media/../../outpost.db',
    'outpost-media://media/%2e%2e/%2e%2e/outpost.db',
    'outpost-media://media/..%2f..%2foutpost.db/file',
    'outpost-media://media/ID/..%2F..%2Foutpost.db',
    'outpost-media://media/ID/file/../../../outpost.db',
    'outpost-media://media/ID%2f..%2f..%2foutpost.db/file',
    'outpost-media://media/..\\..\\outpost.db/file',
    'outpost-media://media//etc/passwd',
    'outpost-media://media/ID/file?x=1',
    'outpost-media://media/ID/original',
    'outpost-media://other/ID/file',
    'outpost-media://media@evil/ID/file',
    'outpost-media://media/00000000-0000-4000-8000-000000000000/file',
    'file:///etc/passwd',
    'outpost-media:/etc/passwd',
    'not a url',
  ])('refuses %s', (url) => {
    expect(mediaFileForUrl(url.replaceAll('ID', id), library)).toBeNull();
  });

  it('refuses a path outside the media folder even if the lookup returned one', () => {
    const lying = { root: library.root, resolveFile: () => ({ path: join(dir.path, 'outpost.db'), mime: 'image/png', size: 1 }) };
    expect(mediaFileForUrl(mediaSchemeUrl(id, 'file'), lying)).toBeNull();
    const sibling = { root: library.root, resolveFile: () => ({ path: `${library.root}-evil/x`, mime: 'image/png', size: 1 }) };
    expect(mediaFileForUrl(mediaSchemeUrl(id, 'file'), sibling)).toBeNull();
  });
});

describe('print window (approval pack PDF)', () => {
  const page = 'file:///tmp/outpost-print-abc/approval-pack.html';

  it('loads the pack itself and what it carries inline', () => {
    expect(allowPrintRequest(page, page)).toBe(true);
    expect(allowPrintRequest('data:image/webp;base64,UklGRg==', page)).toBe(true);
    expect(allowPrintRequest('about:blank', page)).toBe(true);
  });

  it('cancels every request that could reach the network or the disk', () => {
    for (const url of [
      'https://tracker.example/pixel.png',
      'http://127.0.0.1:8080/',
      'ws://127.0.0.1/',
      'file:///etc/passwd',
      'file:///tmp/outpost-print-abc/other.html',
      `${APP_ORIGIN}/index.html`,
      mediaSchemeUrl('0f2c6a8e-1c1f-4a0e-9b8e-6f2f0b9e8c11', 'thumb'),
      'blob:null/1234',
      'not a url',
    ]) {
      expect(allowPrintRequest(url, page), url).toBe(false);
    }
  });
});
