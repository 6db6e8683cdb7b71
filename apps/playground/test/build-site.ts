import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
export const DIST_DIR = fileURLToPath(new URL('../dist', import.meta.url));

/** Builds the site exactly as `pnpm --filter @convroute/playground build` does. */
export async function buildSite(): Promise<void> {
  await build({ root: APP_DIR, configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), logLevel: 'warn' });
}
