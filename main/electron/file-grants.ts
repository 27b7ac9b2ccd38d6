import { isAbsolute } from 'node:path';
import type { OutpostError } from '../core/errors';

/**
 * Which files `media.import` may read in Electron: only paths main itself was told of by the
 * preload, for a File the user picked or dropped (webUtils.getPathForFile, which yields nothing
 * for a File the page made up). The page never reaches the grant channel (context isolation), so
 * script injected into it cannot make main read ~/.ssh/id_rsa by naming it. Kept free of Electron
 * so a unit test can prove it; app.ts wires it to IPC.
 */
export interface FileGrants {
  /** Records a path for this window; false (and nothing recorded) for anything but a sane absolute path. */
  grant(owner: number, path: unknown): boolean;
  /**
   * Null when the request may go on; an `unauthorized` error when it is a media.import naming a
   * path not granted to this window. A granted import uses its grants up.
   */
  authorize(owner: number, name: unknown, args: unknown): OutpostError | null;
  /** The window is gone: its grants go with it. */
  forget(owner: number): void;
}

export interface FileGrantOptions {
  now?: () => number;
  /** A grant unused this long lapses (default 10 minutes: the import follows the drop at once). */
  ttlMs?: number;
  /** Most open grants per window; the oldest lapse first (default 1000). */
  maxPerOwner?: number;
}

interface Grant {
  count: number;
  expiresAt: number;
}

const MAX_PATH = 4096;

export function createFileGrants(options: FileGrantOptions = {}): FileGrants {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const maxPerOwner = options.maxPerOwner ?? 1000;
  const owners = new Map<number, Map<string, Grant>>();

  const live = (owner: number): Map<string, Grant> => {
    const grants = owners.get(owner) ?? new Map<string, Grant>();
    owners.set(owner, grants);
    const at = now();
    for (const [path, grant] of grants) if (grant.expiresAt <= at) grants.delete(path);
    return grants;
  };

  return {
    grant(owner, path) {
      if (typeof path !== 'string' || path.length === 0 || path.length > MAX_PATH || path.includes('\0') || !isAbsolute(path)) return false;
      const grants = live(owner);
      const previous = grants.get(path);
      // Re-inserting keeps the Map in order of last grant, so the oldest are dropped first.
      grants.delete(path);
      grants.set(path, { count: (previous?.count ?? 0) + 1, expiresAt: now() + ttlMs });
      while (grants.size > maxPerOwner) grants.delete(grants.keys().next().value as string);
      return true;
    },

    authorize(owner, name, args) {
      if (name !== 'media.import') return null;
      const files = typeof args === 'object' && args !== null ? (args as { files?: unknown }).files : undefined;
      // A malformed request is left to the contract's validation, which refuses it as bad_request.
      if (!Array.isArray(files)) return null;
      const grants = live(owner);
      const wanted = new Map<string, number>();
      for (const file of files) {
        if (typeof file !== 'object' || file === null) continue;
        if ('uploadId' in file) {
          return { code: 'unauthorized', message: 'The desktop app imports files by path; there are no uploads here.', reason: 'upload_not_available' };
        }
        const path = (file as { path?: unknown }).path;
        if (typeof path !== 'string') continue;
        wanted.set(path, (wanted.get(path) ?? 0) + 1);
      }
      for (const [path, count] of wanted) {
        if ((grants.get(path)?.count ?? 0) < count) {
          return {
            code: 'unauthorized',
            message: 'Outpost imports only files picked or dropped in its window.',
            reason: 'path_not_granted',
          };
        }
      }
      for (const [path, count] of wanted) {
        const grant = grants.get(path) as Grant;
        if (grant.count === count) grants.delete(path);
        else grant.count -= count;
      }
      return null;
    },

    forget(owner) {
      owners.delete(owner);
    },
  };
}
