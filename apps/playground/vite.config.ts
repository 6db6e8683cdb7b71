import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const stub = (name: string) => fileURLToPath(new URL(`./src/stubs/${name}.ts`, import.meta.url));

// base './' so the built site works from any folder of any static server.
// @convroute/conformance's barrel re-exports its .npy writer (node:fs, node:path); the page never
// calls it, so those two modules are replaced by stubs that throw if they ever were called.
export default defineConfig({
  base: './',
  resolve: {
    alias: [
      { find: /^node:fs$/, replacement: stub('node-fs') },
      { find: /^node:path$/, replacement: stub('node-path') },
    ],
  },
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
});
