import { compareWithBound, conv2dInputs, gemmInputs, referenceGemm } from '@convroute/conformance';
import { type Conv2dSpecInit, conv2dSpec, type GemmSpecInit, gemmSpec } from '@convroute/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { WebGpuBackend } from '../src/index.ts';
import { gpuBackendOrSkip } from './gpu.ts';
import { expectMatchesReference } from './reference.ts';

const backend = await gpuBackendOrSkip();
const tiny = backend && (await gpuBackendOrSkip({ device: backend.acquired!.device, im2colBudgetBytes: 256, maxFlopsPerSubmit: 4096 }));
afterAll(() => {
  tiny?.dispose();
  backend?.dispose();
});
const subgroups = backend?.runtime.device.features.has('subgroups' as GPUFeatureName) ?? false;
const sgSize = backend?.runtime.subgroupSize ?? null;

/** Runs the gemm op and holds it to the exact reference (bitwise on small integers). */
async function expectGemm(be: WebGpuBackend, init: GemmSpecInit, kind: 'small-int' | 'float', seed: number) {
  const spec = gemmSpec(init);
  const xs = gemmInputs(spec, kind, seed);
  const ref = await referenceGemm(spec, xs);
  const y = await be.run({ op: 'gemm', spec }, 'gemm', xs);
  const r = compareWithBound(y, ref.y, ref.abs, spec.k + (spec.bias ? 1 : 0), { bitwise: kind === 'small-int', shape: y.shape, label: 'webgpu gemm' });
  expect(r.ok, r.message).toBe(true);
}

/** The pipelines `run` built, by kernel variant. */
const newKeys = async (be: WebGpuBackend, run: () => Promise<unknown>) => {
  const before = new Set(be.runtime.pipelineKeys());
  await run();
  return be.runtime.pipelineKeys().filter((k) => !before.has(k));
};

describe.skipIf(!backend)('GEMM variants chosen by default', () => {
  it.skipIf(!subgroups)('B shared by broadcast (vec4 A and B): ragged rows and columns, K % 8 == 4, bias, relu, batch', async () => {
    const cases: GemmSpecInit[] = [
      { a: [37, 36], b: [36, 44], bias: true, activation: 'relu' },
      { a: [2, 20, 40], b: [2, 40, 24] }, // M < 32: 2 rows per lane
      { a: [64, 128], b: [128, 32], bias: true },
    ];
    for (const [i, init] of cases.entries()) {
      const keys = await newKeys(backend!, () => expectGemm(backend!, init, 'small-int', i + 1));
      expect(
        keys.some((k) => k.includes(':sgB')),
        keys.join(' '),
      ).toBe(true);
      await expectGemm(backend!, init, 'float', i + 11);
    }
  });

  it.skipIf(!subgroups)('A shared by broadcast where B cannot be read as vec4 (N or K not a multiple of 4, transposed B)', async () => {
    const cases: GemmSpecInit[] = [
      { a: [24, 33], b: [33, 20] },
      { a: [24, 36], b: [36, 22], bias: true },
      { a: [24, 36], b: [20, 36], transB: true },
    ];
    for (const [i, init] of cases.entries()) {
      const keys = await newKeys(backend!, () => expectGemm(backend!, init, 'small-int', i + 21));
      expect(keys.some((k) => k.includes(`:sg${sgSize}:`)) && !keys.some((k) => k.includes(':sgB')), keys.join(' ')).toBe(true);
    }
  });

  it.skipIf(!subgroups)('convs through the broadcast-B GEMM: grouped im2col-gemm, its row-tiled path, pointwise', async () => {
    const convs: [Conv2dSpecInit, 'im2col-gemm' | 'pointwise'][] = [
      [{ input: [2, 8, 6, 8], weight: [40, 4, 3, 3], groups: 2, padding: 1, bias: true, activation: 'relu' }, 'im2col-gemm'],
      [{ input: [1, 32, 6, 6], weight: [24, 32, 1, 1], bias: true }, 'pointwise'],
      [{ input: [2, 32, 8, 8], weight: [20, 32, 1, 1], stride: 2, activation: 'relu' }, 'pointwise'], // a key no earlier case built
    ];
    for (const [i, [init, method]] of convs.entries()) {
      const spec = conv2dSpec(init);
      const keys = await newKeys(backend!, () => expectMatchesReference(backend!, spec, method, 'small-int', i + 31));
      expect(
        keys.some((k) => k.includes(':sgB')),
        keys.join(' '),
      ).toBe(true);
      await expectMatchesReference(backend!, spec, method, 'float', i + 41, conv2dInputs(spec, 'float', i + 41));
      // One output row per im2col tile (and tiny submissions); the pipelines may be cached already.
      await expectMatchesReference(tiny!, spec, method, 'small-int', i + 51);
      await expectMatchesReference(tiny!, spec, method, 'float', i + 61);
    }
  });

  // Only on 8-wide subgroups (src/ops/conv-plans.ts gemmConfig).
  it.skipIf(sgSize !== 8)('implicit GEMM through the broadcast-B kernel: groups, strides, dilation, asymmetric padding, K % 8 == 4', async () => {
    const convs: Conv2dSpecInit[] = [
      { input: [2, 8, 7, 9], weight: [40, 4, 3, 3], groups: 2, stride: [2, 1], padding: [1, 0, 2, 1], bias: true, activation: 'relu' },
      { input: [1, 16, 6, 6], weight: [32, 16, 3, 3], padding: 1, dilation: [2, 1] },
      { input: [1, 4, 9, 9], weight: [17, 4, 3, 3], padding: 2, stride: 2, bias: true },
    ];
    for (const [i, init] of convs.entries()) {
      const spec = conv2dSpec(init);
      const keys = await newKeys(backend!, () => expectMatchesReference(backend!, spec, 'implicit-gemm', 'small-int', i + 71));
      expect(
        keys.some((k) => k.includes(':sgB') && k.includes('im2col(')),
        keys.join(' '),
      ).toBe(true);
      await expectMatchesReference(backend!, spec, 'implicit-gemm', 'float', i + 81);
      await expectMatchesReference(tiny!, spec, 'implicit-gemm', 'float', i + 91);
    }
  });
});
