import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChild } from '../src/bench/runner.ts';

// Issue 15: on the H200 machine the CLI runs as an esbuild bundle with no tsx; its bench children
// are the bundled child.mjs, forked with this Node and no TypeScript loader.
describe('bench child processes', () => {
  it('a JavaScript child is forked by plain Node (no tsx loader); a TypeScript one through tsx', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-child-'));
    const js = join(dir, 'child.mjs');
    // Reports its loader flags, then finishes as a bench child does.
    writeFileSync(
      js,
      "process.once('message', () => process.send({ type: 'argv', execArgv: process.execArgv }, () => process.send({ type: 'done' }, () => process.exit(0))));\n",
    );
    const ts = join(dir, 'child.ts');
    writeFileSync(
      ts,
      "const flags: string[] = process.execArgv;\nprocess.once('message', () => process.send!({ type: 'argv', execArgv: flags }, () => process.send!({ type: 'done' }, () => process.exit(0))));\n",
    );
    for (const [script, tsx] of [
      [js, false],
      [ts, true],
    ] as const) {
      let execArgv: string[] | null = null;
      const outcome = await runChild({}, { script, idleTimeoutMs: 60_000 }, (msg) => {
        if (msg.type === 'argv') execArgv = (msg as unknown as { execArgv: string[] }).execArgv;
      });
      expect(outcome.ok, outcome.stderrTail).toBe(true);
      expect(
        execArgv!.some((a) => a.includes('tsx')),
        JSON.stringify(execArgv),
      ).toBe(tsx);
    }
  });
});
