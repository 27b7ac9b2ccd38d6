import { readHead } from '../files';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { QuarantineItem } from '../../core/contract';
import { kindOfMime } from '../../core/media';
import { ensurePrivateDir, makePrivate } from '../data/data-folder';
import { SNIFF_BYTES, sniffFormat } from './sniff';

/** How long a quarantined file is kept before start-up removes it for good. */
export const QUARANTINE_DAYS = 30;
const QUARANTINE_MS = QUARANTINE_DAYS * 24 * 60 * 60 * 1000;
/** Names we create: the file's own name (a sha256 for library files), safe characters only. */
const ITEM_ID = /^[A-Za-z0-9._-]{1,200}$/;

interface Sidecar {
  quarantinedAt: number;
  /** Where the file was, relative to the data folder, for the log and a curious user. */
  from: string;
}

/**
 * `<dataDir>/quarantine/<id>` with `<id>.json` beside it: library files found without a row at
 * start. Moved, never copied-then-deleted, so a file is never in neither place.
 */
export class Quarantine {
  constructor(readonly dir: string) {}

  add(path: string, name: string, now: number): string {
    ensurePrivateDir(this.dir);
    const safe = basename(name).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 150) || 'file';
    let id = safe;
    for (let n = 2; existsSync(join(this.dir, id)); n++) id = `${safe}-${n}`;
    const target = join(this.dir, id);
    try {
      renameSync(path, target);
    } catch (error) {
      // Another file system (a media folder linked elsewhere): copy, then remove the original.
      if ((error as { code?: string }).code !== 'EXDEV') throw error;
      copyFileSync(path, target);
      rmSync(path, { force: true });
    }
    makePrivate(target);
    const sidecar: Sidecar = { quarantinedAt: now, from: path };
    writeFileSync(join(this.dir, `${id}.json`), JSON.stringify(sidecar), { mode: 0o600 });
    return id;
  }

  pathOf(id: string): string | undefined {
    if (!ITEM_ID.test(id) || id.endsWith('.json')) return undefined;
    const path = join(this.dir, id);
    return existsSync(path) ? path : undefined;
  }

  list(): QuarantineItem[] {
    if (!existsSync(this.dir)) return [];
    const items: QuarantineItem[] = [];
    for (const id of readdirSync(this.dir)) {
      if (id.endsWith('.json') || !ITEM_ID.test(id)) continue;
      const path = join(this.dir, id);
      let bytes: number;
      try {
        const info = statSync(path);
        if (!info.isFile()) continue;
        bytes = info.size;
      } catch {
        continue;
      }
      const quarantinedAt = this.sidecar(id)?.quarantinedAt ?? statSync(path).mtimeMs;
      items.push({ id, kind: kindOfFile(path, bytes), bytes, quarantinedAt, expiresAt: quarantinedAt + QUARANTINE_MS });
    }
    return items.sort((a, b) => b.quarantinedAt - a.quarantinedAt || a.id.localeCompare(b.id));
  }

  remove(id: string): void {
    const path = this.pathOf(id);
    if (path) rmSync(path, { force: true });
    rmSync(join(this.dir, `${id}.json`), { force: true });
  }

  /** The 30 days are over: these go for good. Returns how many. */
  purgeExpired(now: number): number {
    let purged = 0;
    for (const item of this.list()) {
      if (item.expiresAt > now) continue;
      this.remove(item.id);
      purged++;
    }
    return purged;
  }

  private sidecar(id: string): Sidecar | undefined {
    try {
      const parsed = JSON.parse(readFileSync(join(this.dir, `${id}.json`), 'utf8')) as Partial<Sidecar>;
      return typeof parsed.quarantinedAt === 'number' ? { quarantinedAt: parsed.quarantinedAt, from: String(parsed.from ?? '') } : undefined;
    } catch {
      return undefined;
    }
  }
}

function kindOfFile(path: string, size: number): QuarantineItem['kind'] {
  try {
    const format = sniffFormat(readHead(path, SNIFF_BYTES), size);
    return format.supported ? kindOfMime(format.mime) : 'other';
  } catch {
    return 'other';
  }
}
