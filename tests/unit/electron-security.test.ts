import { describe, expect, it, vi } from 'vitest';
import { buildCsp } from '../../main/core/csp';
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

  it('relaxes only what the dev server needs, and still forbids eval', () => {
    const csp = buildCsp({ devServerOrigin: 'http://localhost:5173' });
    expect(directive(csp, 'connect-src')).toEqual(["'self'", 'http://localhost:5173', 'ws://localhost:5173']);
    expect(csp).not.toContain('unsafe-eval');
  });
});

describe('preload', () => {
  it('exposes window.outpost with invoke and on, and nothing else', async () => {
    const exposed: Array<[string, unknown]> = [];
    const invoke = vi.fn(async () => ({ ok: true, value: 1 }));
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push([key, api]) },
      ipcRenderer: { invoke, on: vi.fn(), removeListener: vi.fn() },
    }));
    await import('../../preload/index');
    expect(exposed.map(([key]) => key)).toEqual(['outpost']);
    const api = exposed[0]?.[1] as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    await (api.invoke as (n: string, a: unknown) => Promise<unknown>)('projects.list', {});
    expect(invoke).toHaveBeenCalledWith('outpost:invoke', 'projects.list', {});
    vi.doUnmock('electron');
  });
});
