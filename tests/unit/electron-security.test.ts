import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildCsp } from '../../main/core/csp';
import { mediaSchemeUrl } from '../../main/core/media';
import { mediaFileForUrl } from '../../main/electron/media-files';
import { MediaLibrary } from '../../main/services/media/media-library';
import { openDatabase, type Db } from '../../main/services/store/database';
import { makeTempDir } from './support/backend';
import {
  decideNavigation,
  decideWindowOpen,
  isTrustedSender,
  windowOptions,
  type AppLocation,
} from '../../main/electron/security';

const packaged: AppLocation = { kind: 'file', indexUrl: 'file:///opt/Outpost/resources/app.asar/out/renderer/index.html' };
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
  it('stays inside the packaged app', () => {
    expect(decideNavigation('file:///opt/Outpost/resources/app.asar/out/renderer/index.html#/calendar', packaged)).toEqual({
      allow: true,
    });
  });

  it('sends web links to the system browser instead of navigating', () => {
    expect(decideNavigation('https://mastodon.social/@someone', packaged)).toEqual({ allow: false, openExternally: true });
    expect(decideNavigation('http://example.com/', dev)).toEqual({ allow: false, openExternally: true });
  });

  it('refuses other local files and script URLs without opening them', () => {
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
    expect(isTrustedSender('file:///opt/Outpost/resources/app.asar/out/renderer/index.html', packaged)).toBe(true);
    expect(isTrustedSender('https://evil.example/', packaged)).toBe(false);
    expect(isTrustedSender(undefined, packaged)).toBe(false);
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
    expect(directive(csp, 'connect-src')).toEqual(["'self'"]);
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

  it('relaxes only what the dev server needs, and still forbids eval', () => {
    const csp = buildCsp({ devServerOrigin: 'http://localhost:5173' });
    expect(directive(csp, 'connect-src')).toEqual(["'self'", 'http://localhost:5173', 'ws://localhost:5173']);
    expect(csp).not.toContain('unsafe-eval');
  });
});

describe('preload', () => {
  it('exposes window.outpost with invoke, on and pathForFile, and nothing else', async () => {
    const exposed: Array<[string, unknown]> = [];
    const invoke = vi.fn(async () => ({ ok: true, value: 1 }));
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
    const pathForFile = api.pathForFile as (file: { name: string }) => string | null;
    expect(pathForFile({ name: 'photo.jpg' })).toBe('/home/me/photo.jpg');
    // A pasted image has no file on disk: null, so the UI can say so instead of importing ''.
    expect(pathForFile({ name: 'pasted.png' })).toBeNull();
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
