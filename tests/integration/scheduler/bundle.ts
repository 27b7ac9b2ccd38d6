import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';

const root = resolve(__dirname, '../../..');

/**
 * Bundles a TypeScript entry into one ESM file that plain `node` runs (Node 20 has no type
 * stripping). Written under tests/.tmp so better-sqlite3 resolves from the project's node_modules.
 */
export async function bundleForNode(entry: string, name: string): Promise<string> {
  const outDir = join(root, 'tests/.tmp/bundles', name);
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      ssr: entry,
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rolldownOptions: { output: { format: 'esm', entryFileNames: `${name}.mjs` } },
    },
  });
  const file = join(outDir, `${name}.mjs`);
  if (!existsSync(file)) throw new Error(`The bundle ${file} was not written.`);
  return file;
}
