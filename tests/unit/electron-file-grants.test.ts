import { describe, expect, it } from 'vitest';
import { createFileGrants } from '../../main/electron/file-grants';

const WINDOW = 1;
const OTHER = 2;
const importing = (...files: object[]) => ({ files });
const refusedReason = (error: ReturnType<ReturnType<typeof createFileGrants>['authorize']>) => error && { code: error.code, reason: error.reason };

describe('media.import in Electron reads only files main handed out', () => {
  it('takes a path granted to this window, once', () => {
    const grants = createFileGrants();
    expect(grants.grant(WINDOW, '/home/me/photo.jpg')).toBe(true);
    expect(grants.authorize(WINDOW, 'media.import', importing({ path: '/home/me/photo.jpg', fileName: 'photo.jpg' }))).toBeNull();
    // Used up: a page that saw the path cannot import it again on its own.
    expect(refusedReason(grants.authorize(WINDOW, 'media.import', importing({ path: '/home/me/photo.jpg' })))).toEqual({
      code: 'unauthorized',
      reason: 'path_not_granted',
    });
  });

  it('refuses a path the page names itself, and the whole batch with it', () => {
    const grants = createFileGrants();
    grants.grant(WINDOW, '/home/me/photo.jpg');
    for (const path of ['/home/me/.ssh/id_rsa', '/home/me/photo.jpg/../.ssh/id_rsa', '/home/me/./photo.jpg', '/HOME/ME/PHOTO.JPG', 'photo.jpg']) {
      expect(refusedReason(grants.authorize(WINDOW, 'media.import', importing({ path: '/home/me/photo.jpg' }, { path }))), path).toEqual({
        code: 'unauthorized',
        reason: 'path_not_granted',
      });
    }
    // Nothing was used up by the refused batches.
    expect(grants.authorize(WINDOW, 'media.import', importing({ path: '/home/me/photo.jpg' }))).toBeNull();
  });

  it('keeps grants per window', () => {
    const grants = createFileGrants();
    grants.grant(WINDOW, '/home/me/photo.jpg');
    expect(grants.authorize(OTHER, 'media.import', importing({ path: '/home/me/photo.jpg' }))?.reason).toBe('path_not_granted');
    grants.forget(WINDOW);
    expect(grants.authorize(WINDOW, 'media.import', importing({ path: '/home/me/photo.jpg' }))?.reason).toBe('path_not_granted');
  });

  it('counts a file dropped twice as two grants', () => {
    const grants = createFileGrants();
    grants.grant(WINDOW, '/tmp/a.png');
    expect(grants.authorize(WINDOW, 'media.import', importing({ path: '/tmp/a.png' }, { path: '/tmp/a.png' }))?.reason).toBe('path_not_granted');
    grants.grant(WINDOW, '/tmp/a.png');
    expect(grants.authorize(WINDOW, 'media.import', importing({ path: '/tmp/a.png' }, { path: '/tmp/a.png' }))).toBeNull();
  });

  it('refuses uploads, which the desktop app never takes', () => {
    const grants = createFileGrants();
    expect(refusedReason(grants.authorize(WINDOW, 'media.import', importing({ uploadId: '00000000-0000-4000-8000-000000000000', fileName: 'x.png' })))).toEqual({
      code: 'unauthorized',
      reason: 'upload_not_available',
    });
  });

  it('grants only sane absolute paths', () => {
    const grants = createFileGrants();
    for (const path of ['', 'relative/photo.jpg', '/tmp/a\0.png', `/${'x'.repeat(5000)}`, 42, null, { path: '/etc/passwd' }]) {
      expect(grants.grant(WINDOW, path), String(path).slice(0, 20)).toBe(false);
    }
  });

  it('lets grants lapse after a while, and caps how many a window holds', () => {
    let now = 0;
    const grants = createFileGrants({ now: () => now, ttlMs: 1000, maxPerOwner: 2 });
    grants.grant(WINDOW, '/tmp/old.png');
    now = 1000;
    expect(grants.authorize(WINDOW, 'media.import', importing({ path: '/tmp/old.png' }))?.reason).toBe('path_not_granted');
    grants.grant(WINDOW, '/tmp/1.png');
    grants.grant(WINDOW, '/tmp/2.png');
    grants.grant(WINDOW, '/tmp/3.png');
    expect(grants.authorize(WINDOW, 'media.import', importing({ path: '/tmp/1.png' }))?.reason).toBe('path_not_granted');
    expect(grants.authorize(WINDOW, 'media.import', importing({ path: '/tmp/2.png' }, { path: '/tmp/3.png' }))).toBeNull();
  });

  it('leaves other requests, and malformed imports, to the contract', () => {
    const grants = createFileGrants();
    expect(grants.authorize(WINDOW, 'projects.list', {})).toBeNull();
    expect(grants.authorize(WINDOW, 'media.import', { files: 'nope' })).toBeNull();
    expect(grants.authorize(WINDOW, 'media.import', null)).toBeNull();
  });
});
