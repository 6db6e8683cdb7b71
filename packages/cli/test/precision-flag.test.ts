import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpy, Tensor, writeNpy } from '@convroute/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { convroute } from './cli-helpers.ts';

// Issue 14: --precision f32|f16-storage|f16 on the commands that run convs.
const dir = mkdtempSync(join(tmpdir(), 'convroute-precision-'));
const p = (f: string) => join(dir, f);
const lavapipe = { VK_ICD_FILENAMES: '/usr/share/vulkan/icd.d/lvp_icd.json', LP_NUM_THREADS: '1' };

beforeAll(() => {
  // 2048 + 1 = 2049 is not an f16 value: f16 sums give 2048, f16-storage (f32 sums) 2049.
  writeFileSync(p('x.npy'), writeNpy(Tensor.fromData(new Float32Array([2048, 1]), [1, 2, 1, 1])));
  writeFileSync(p('w.npy'), writeNpy(Tensor.fromData(new Float32Array([1, 1]), [1, 2, 1, 1])));
});

const args = (out: string, ...rest: string[]) => ['conv2d', '--input', p('x.npy'), '--weight', p('w.npy'), '--output', p(out), ...rest];

describe('convroute conv2d --precision', () => {
  it.each([
    ['f16', 2048],
    ['f16-storage', 2049],
  ])('%s on webgpu computes in that precision and says so in --json', (precision, value) => {
    const r = convroute(args(`y-${precision}.npy`, '--backend', 'webgpu', '--precision', precision, '--json'), lavapipe);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ precision, backend: 'webgpu' });
    expect(readNpy(readFileSync(p(`y-${precision}.npy`))).data[0]).toBe(value);
  });

  it('is refused on the cpu, and an unknown value is refused, with the flag named', () => {
    const cpu = convroute(args('y-cpu.npy', '--backend', 'cpu', '--precision', 'f16'));
    expect(cpu.code).not.toBe(0);
    expect(cpu.stderr).toMatch(/UNSUPPORTED_PRECISION: precision = "f16"/);
    const bad = convroute(args('y-bad.npy', '--backend', 'cpu', '--precision', 'half'));
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/INVALID_ARGUMENT: --precision = "half": must be f32, f16-storage, f16/);
  });
});
