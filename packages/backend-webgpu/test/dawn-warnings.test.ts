import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./fixtures/acquire-child.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const LAVAPIPE = '/usr/share/vulkan/icd.d/lvp_icd.json';

/** Acquires a device in a child whose stderr is a shell pipe (`| cat`), as a user's terminal or
 * CI log reads it (Node's own child pipes are sockets, which cannot be redirected). */
function acquire(args: string[]) {
  const r = spawnSync('bash', ['-c', 'exec 2> >(cat >&2); exec "$0" "$@"', tsx, child, ...args], {
    env: { ...process.env, VK_ICD_FILENAMES: LAVAPIPE, LP_NUM_THREADS: '1' },
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { json: JSON.parse(r.stdout.trim().split('\n').pop()!), stderr: r.stderr };
}

// lavapipe reports 1000000 dynamic buffers per layout, and Dawn prints from C++ that it lowers
// them to 16 while it enumerates adapters: a message about its internals on the user's stderr.
describe.skipIf(!existsSync(LAVAPIPE))("Dawn's adapter warnings", () => {
  it('stay off stderr by default', () => {
    const r = acquire([]);
    expect(r.json.ok).toBe(true);
    expect(r.stderr).not.toMatch(/artificially reduced|Warning:/);
    expect(r.stderr).toMatch(/acquire-child: stderr restored/);
    expect(r.json.logs.join('\n')).not.toMatch(/dawn:/);
  }, 60_000);

  it('go to the log callback with verbose, still not to stderr', () => {
    const r = acquire(['--verbose']);
    expect(r.json.ok).toBe(true);
    expect(r.json.logs.join('\n')).toMatch(/^dawn: Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced/m);
    expect(r.stderr).not.toMatch(/artificially reduced/);
  }, 60_000);
});
