import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conv2dSpec, convMethodsFor } from '@convroute/core';
import { profileFromJson, routerFor } from '@convroute/router';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerCalibrate } from '../src/commands/calibrate.ts';
import { syntheticBench } from './bench-synthetic.ts';

async function run(args: string[]): Promise<string> {
  const program = new Command('convroute').exitOverride();
  registerCalibrate(program);
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string, cb?: () => void) => {
    out += chunk;
    if (typeof cb === 'function') cb();
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    process.stdout.write = write;
  }
  return out;
}

describe('convroute calibrate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'calibrate-'));
  const bench = join(dir, 'bench.json');
  writeFileSync(bench, JSON.stringify(syntheticBench(128)));

  it('writes a device profile whose calibration routes --policy calibrated, and recovers C_out >= 128', async () => {
    const out = join(dir, 'profile.json');
    const text = await run(['calibrate', '--bench', bench, '--out', out, '--tolerance', '0']);
    expect(text).toMatch(/wrote .*profile\.json/);
    expect(text).toMatch(/SlidingWindow: 16 shapes/);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.family).toBe('llvmpipe');
    const sw = doc.calibration.table.rules.find((r: { name: string }) => r.name === 'SlidingWindow.1');
    expect(sw).toMatchObject({ when: { class: 'SlidingWindow', cOut: { min: 128 } }, method: 'im2col-gemm' });
    expect(doc.calibration.evidence.find((e: { rule: string }) => e.rule === 'SlidingWindow.1').boundaries).toEqual(['cOut between 96 (lo) and 128 (hi)']);
    const profile = profileFromJson(readFileSync(out, 'utf8'), out);
    const route = routerFor('calibrated', profile);
    const wide = conv2dSpec({ input: [1, 3, 20, 20], weight: [200, 3, 3, 3] });
    expect(route(wide, { nodeId: 'n', available: convMethodsFor(wide) }).method).toBe('im2col-gemm');
  });

  it('prints held-out times as numbers or n/a with a reason, never NaN; no rule for a one-shape class', async () => {
    // Was: the Pointwise class (one shape here) printed NaN held-out times and got a fitted rule.
    const text = await run(['calibrate', '--bench', bench, '--out', join(dir, 'p2.json')]);
    expect(text).not.toMatch(/NaN/);
    expect(text).toMatch(/Pointwise: 1 shapes, methods .*; no rule: not fitted: one distinct shape/);
    expect(text).toMatch(/n\/a \(one shape\)/);
    expect(text).toMatch(/held out [0-9.]+ \([0-9.]+%\) over the classes with an estimate \(per-layer best [0-9.]+; n\/a for Pointwise: one shape\)/);
    const doc = JSON.parse(readFileSync(join(dir, 'p2.json'), 'utf8'));
    expect(doc.calibration.table.rules.map((r: { name: string }) => r.name)).not.toContain('Pointwise.1');
  });

  it('prints the profile without --out; a CPU bench gives a family-only profile', async () => {
    const cpu = join(dir, 'cpu.json');
    writeFileSync(cpu, JSON.stringify(syntheticBench(128, false)));
    const doc = JSON.parse(await run(['calibrate', '--bench', cpu]));
    expect(doc.family).toBe('unknown');
    expect(doc.info).toBeUndefined();
    expect(() => profileFromJson(doc)).not.toThrow();
  });

  it('refuses a file that is not a bench', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'other' }));
    await expect(run(['calibrate', '--bench', bad])).rejects.toThrow(/convroute-bench/);
    await expect(run(['calibrate', '--bench', bench, '--tolerance', 'x'])).rejects.toThrow(/--tolerance/);
  });
});
