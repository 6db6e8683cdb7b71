import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../../..');
const tsx = resolve(repoRoot, 'node_modules/.bin/tsx');

/** Runs the CLI the way `pnpm convroute ...` does, in a child process. */
export function convroute(args: string[], env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(tsx, [resolve(repoRoot, 'packages/cli/src/bin.ts'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
