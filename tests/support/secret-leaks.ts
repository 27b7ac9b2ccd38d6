import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * Every place under a data folder where one of `secrets` appears — raw, URL-encoded or
 * JSON-escaped — in any file: the database and its WAL, log files (rotated ones too), backups,
 * exports, and whatever else is there. Each file is scanned byte for byte; gzip is unzipped,
 * a tar archive is also opened entry by entry (so a compressed or nested file inside is read
 * too), and every SQLite database (with its WAL applied) is also read cell by cell through
 * SQLite, because a value longer than a page's free space is split across overflow pages and
 * a byte scan alone could miss it. `alsoScan` adds files or folders outside the data folder
 * (an export written to the user's own folder). Returns "where: first characters…" lines.
 */
export function findSecretLeaks(dataDir: string, secrets: readonly string[], options: { alsoScan?: readonly string[] } = {}): string[] {
  const forms = secrets.flatMap((s) => [...new Set([s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)])]);
  const needles = forms.map((form) => ({ form, latin1: Buffer.from(form, 'utf8').toString('latin1') }));
  const leaks: string[] = [];
  const report = (where: string, form: string) => leaks.push(`${where}: ${form.slice(0, 6)}…`);

  const scanBytes = (where: string, raw: Buffer, depth: number, sqlite?: { path: string; wal?: string }) => {
    let bytes = raw;
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        bytes = gunzipSync(bytes);
      } catch {
        // Not gzip after all: scanned raw.
      }
    }
    // A database read through SQLite from its own file (with its WAL), or from these bytes when it was zipped or archived.
    const database = bytes === raw ? sqlite : undefined;
    const text = bytes.toString('latin1');
    for (const { form, latin1 } of needles) if (text.includes(latin1)) report(where, form);
    if (depth > 4) return;
    if (isTar(bytes)) for (const entry of tarEntries(bytes)) scanBytes(`${where} › ${entry.name}`, entry.data, depth + 1);
    if (isSqlite(bytes)) for (const hit of scanDatabase(bytes, database, forms)) report(`${where} (SQLite ${hit.table}.${hit.column})`, hit.form);
  };

  const scanFile = (path: string, label: string) => {
    // The WAL is read with its database (below) and on its own as bytes.
    const wal = `${path}-wal`;
    scanBytes(label, readFileSync(path), 0, { path, ...(existsSync(wal) ? { wal } : {}) });
  };
  const walk = (path: string, root: string) => {
    if (!existsSync(path)) return;
    if (!statSync(path).isDirectory()) {
      scanFile(path, relative(root, path) || basename(path));
      return;
    }
    for (const name of readdirSync(path)) walk(join(path, name), root);
  };
  walk(dataDir, dataDir);
  for (const extra of options.alsoScan ?? []) walk(extra, statSync(extra).isDirectory() ? extra : join(extra, '..'));
  return leaks;
}

/** Every file the scan looked at, so a test can prove it covered the log, the WAL, backups and exports. */
export function filesUnder(dataDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.push(relative(dataDir, path));
    }
  };
  walk(dataDir);
  return found.sort();
}

function isSqlite(bytes: Buffer): boolean {
  return bytes.length >= 100 && bytes.subarray(0, 16).toString('latin1') === 'SQLite format 3\0';
}

function isTar(bytes: Buffer): boolean {
  return bytes.length >= 512 && bytes.subarray(257, 262).toString('latin1') === 'ustar';
}

/** The files of an (uncompressed) tar, read by hand: synchronous and enough for ustar/pax as node-tar writes them. */
export function tarEntries(bytes: Buffer): { name: string; data: Buffer }[] {
  const entries: { name: string; data: Buffer }[] = [];
  let offset = 0;
  while (offset + 512 <= bytes.length) {
    const header = bytes.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    // Sizes past 8 GB are base-256; none of ours are, but a wrong size must not loop forever.
    const size = header[124]! & 0x80 ? Number(header.subarray(125, 136).readBigUInt64BE(3)) : parseInt(field(124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) break;
    const type = String.fromCharCode(header[156]!);
    const data = bytes.subarray(offset + 512, Math.min(bytes.length, offset + 512 + size));
    if (type === '0' || type === '\0' || type === 'x' || type === 'g' || type === 'L') entries.push({ name, data });
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/** Every text and blob cell of every table, read through SQLite from a private copy (opening never touches the original). */
function scanDatabase(bytes: Buffer, files: { path: string; wal?: string } | undefined, forms: readonly string[]): { table: string; column: string; form: string }[] {
  const work = mkdtempSync(join(tmpdir(), 'outpost-leakscan-'));
  const hits: { table: string; column: string; form: string }[] = [];
  try {
    const copy = join(work, 'scan.db');
    if (files) {
      copyFileSync(files.path, copy);
      if (files.wal) copyFileSync(files.wal, `${copy}-wal`);
    } else writeFileSync(copy, bytes);
    let db: Database.Database;
    try {
      db = new Database(copy, { fileMustExist: true });
    } catch {
      return hits; // Looks like SQLite but is not one (a cut-short file): its bytes were scanned.
    }
    try {
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[];
      for (const table of tables) {
        let statement: Database.Statement;
        try {
          statement = db.prepare(`SELECT * FROM "${table.replaceAll('"', '""')}"`).raw(true);
        } catch {
          continue; // A virtual table whose module this build lacks.
        }
        const columns = statement.columns().map((c) => c.name);
        for (const row of statement.iterate() as Iterable<unknown[]>) {
          row.forEach((cell, i) => {
            const text = typeof cell === 'string' ? cell : Buffer.isBuffer(cell) ? cell.toString('utf8') : null;
            if (text === null) return;
            for (const form of forms) if (text.includes(form)) hits.push({ table, column: columns[i] ?? String(i), form });
          });
        }
      }
    } finally {
      db.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return hits;
}
