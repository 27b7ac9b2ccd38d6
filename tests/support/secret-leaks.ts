import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * Every place under a data folder where one of `secrets` appears — raw, URL-encoded or
 * JSON-escaped — in any file: the database and its WAL, log files, backups, exports (tar
 * archives are scanned as they are, and gzipped ones after unzipping). Returns "file: form" lines.
 */
export function findSecretLeaks(dataDir: string, secrets: readonly string[]): string[] {
  const forms = secrets.flatMap((s) => [...new Set([s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)])]);
  const leaks: string[] = [];
  const scan = (path: string) => {
    let bytes = readFileSync(path);
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        bytes = gunzipSync(bytes);
      } catch {
        // Not gzip after all: scanned raw.
      }
    }
    const text = bytes.toString('latin1');
    for (const form of forms) if (text.includes(Buffer.from(form, 'utf8').toString('latin1'))) leaks.push(`${relative(dataDir, path)}: ${form.slice(0, 6)}…`);
  };
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else scan(path);
    }
  };
  walk(dataDir);
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
