import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { resolve } from 'node:path';
import { buildCsp } from './main/core/csp';

/** Writes the one CSP into index.html: strict when built, relaxed only for the dev server. */
function cspMeta(): Plugin {
  let devOrigin: string | undefined;
  return {
    name: 'outpost-csp',
    configureServer(server) {
      server.httpServer?.once('listening', () => {
        const address = server.httpServer?.address();
        if (address && typeof address === 'object') devOrigin = `http://localhost:${address.port}`;
      });
    },
    transformIndexHtml: {
      order: 'pre',
      handler(html, ctx) {
        const dev = ctx.server ? { devServerOrigin: devOrigin ?? 'http://localhost:5173' } : {};
        const policy = buildCsp({ ...dev, delivery: 'meta' });
        return html.replace('%OUTPOST_CSP%', policy);
      },
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        input: { index: resolve(__dirname, 'main/index.ts'), host: resolve(__dirname, 'main/host/cli.ts') },
        external: ['better-sqlite3', '@github/keytar', 'sharp'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: {
        input: { index: resolve(__dirname, 'preload/index.ts') },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react(), cspMeta()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rolldownOptions: {
        input: { index: resolve(__dirname, 'renderer/index.html') },
      },
    },
  },
});
