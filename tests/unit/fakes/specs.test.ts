import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SPECS_DIR } from '../../fakes/validate/spec';

interface Sources {
  sources: Array<{ local: string; license_file: string | null; files: Record<string, { bytes: number; sha256: string }> }>;
}

describe('the copied network specs', () => {
  const sources = JSON.parse(readFileSync(join(SPECS_DIR, 'SOURCES.json'), 'utf8')) as Sources;

  it('are byte-identical to the upstream blobs SOURCES.json names', () => {
    const files = sources.sources.flatMap((s) => Object.entries(s.files));
    expect(files.length).toBeGreaterThan(30);
    for (const [path, { bytes, sha256 }] of files) {
      const content = readFileSync(join(SPECS_DIR, path));
      expect({ path, bytes: content.length, sha256: createHash('sha256').update(content).digest('hex') }).toEqual({ path, bytes, sha256 });
    }
  });

  it('keep each licence file beside its spec', () => {
    for (const source of sources.sources) {
      for (const file of (source.license_file ?? '').split(';').map((f) => f.trim()).filter(Boolean)) {
        expect(() => readFileSync(join(SPECS_DIR, file)), file).not.toThrow();
      }
    }
  });
});
