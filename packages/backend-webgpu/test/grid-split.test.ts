import { compareWithBound, gemmInputs, referenceGemm } from '@convroute/conformance';
import { type Conv2dSpecInit, conv2dSpec, type GemmSpecInit, gemmSpec, shapeSize, Tensor } from '@convroute/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createWebGpuBackend, type GemmTuning, type WebGpuBackend } from '../src/index.ts';
import { gpuBackendOrSkip } from './gpu.ts';
import { expectMatchesReference } from './reference.ts';

// Issue 15: a GEMM grid wider than maxComputeWorkgroupsPerDimension (65,535) is split along x by
// the runtime (the kernel adds an xBase uniform). A forced limit of 3 workgroups per dimension
// splits x, y and z at test sizes, for every GEMM kernel variant, against the exact reference;
// one real 2048x2048 pointwise conv exceeds the device's own limit.
const MAX_DIM = 3;
const VARIANTS: Record<string, Partial<GemmTuning> | undefined> = {
  default: undefined, // lavapipe: subgroup-B / subgroup-A / register by shape
  register: { variant: 'register', tm: 4, tn: 4, wgX: 4, wgY: 4, subgroupA: undefined, subgroupB: undefined },
  shared: { variant: 'shared', tm: 4, tn: 4, wgX: 4, wgY: 4, bk: 8 },
  tiled: { variant: 'tiled', tm: 4, tn: 4, wgX: 8, wgY: 8, bk: 8, doubleBuffer: true },
};

const first = await gpuBackendOrSkip();
const split: [string, WebGpuBackend][] = [];
if (first) {
  for (const [name, gemm] of Object.entries(VARIANTS)) {
    const be = await gpuBackendOrSkip({ device: first.acquired!.device, ownDevice: false, maxWorkgroupsPerDimension: MAX_DIM, tuning: gemm ? { gemm } : {} });
    split.push([name, be!]);
  }
}
afterAll(() => {
  for (const [, b] of split) b.dispose();
  first?.dispose();
});

const newKeys = async (be: WebGpuBackend, run: () => Promise<unknown>) => {
  const before = new Set(be.runtime.pipelineKeys());
  await run();
  return be.runtime.pipelineKeys().filter((k) => !before.has(k));
};

async function expectGemm(be: WebGpuBackend, init: GemmSpecInit, kind: 'small-int' | 'float', seed: number) {
  const spec = gemmSpec(init);
  const xs = gemmInputs(spec, kind, seed);
  const ref = await referenceGemm(spec, xs);
  const y = await be.run({ op: 'gemm', spec }, 'gemm', xs);
  const r = compareWithBound(y, ref.y, ref.abs, spec.k + (spec.bias ? 1 : 0), { bitwise: kind === 'small-int', shape: y.shape, label: 'webgpu gemm' });
  expect(r.ok, r.message).toBe(true);
}

// Wide N (many column blocks), ragged M and N, long and short K, scalar and vec4 operands, batch.
const GEMMS: GemmSpecInit[] = [
  { a: [37, 64], b: [64, 600], bias: true, activation: 'relu' }, // vec4 A and B, K >= 32
  { a: [20, 40], b: [40, 301] }, // N % 4 != 0: scalar B
  { a: [2, 9, 12], b: [2, 12, 260] }, // batch, short K
];
const CONVS: [Conv2dSpecInit, 'pointwise' | 'implicit-gemm' | 'im2col-gemm'][] = [
  [{ input: [2, 8, 17, 23], weight: [20, 8, 1, 1], bias: true, activation: 'relu' }, 'pointwise'],
  [{ input: [1, 6, 19, 21], weight: [12, 3, 3, 3], groups: 2, padding: 1, bias: true }, 'implicit-gemm'],
  [{ input: [1, 4, 11, 13], weight: [8, 4, 3, 3], padding: [1, 0, 2, 1], stride: [1, 1] }, 'im2col-gemm'],
];

describe.skipIf(!first)('GEMM grids split along x', () => {
  it.each(Object.keys(VARIANTS))('gemm op and GEMM convs, %s kernels, at most 3 workgroups per dimension', async (name) => {
    const be = split.find(([n]) => n === name)![1];
    for (const [i, init] of GEMMS.entries()) {
      const keys = await newKeys(be, () => expectGemm(be, init, 'small-int', i + 1));
      expect(keys.length > 0 && keys.every((k) => k.includes(':sx')), keys.join(' ')).toBe(true);
      await expectGemm(be, init, 'float', i + 11);
    }
    for (const [i, [init, method]] of CONVS.entries()) {
      const spec = conv2dSpec(init);
      await expectMatchesReference(be, spec, method, 'small-int', i + 21);
      await expectMatchesReference(be, spec, method, 'float', i + 31);
    }
    // Every GEMM pipeline this backend built (a conv may reuse one the gemm op built) splits x.
    const gemms = be.runtime.pipelineKeys().filter((k) => k.startsWith('gemm:'));
    expect(gemms.length >= GEMMS.length && gemms.every((k) => k.includes(':sx')), gemms.join(' ')).toBe(true);
  });

  it('grids within the limit keep the kernels without xBase (unchanged code)', async () => {
    const keys = await newKeys(first!, () => expectGemm(first!, GEMMS[0], 'small-int', 41));
    expect(keys.some((k) => k.includes(':sx'))).toBe(false);
  });

  it('a kernel that cannot split x still refuses a too-wide grid with LIMIT_EXCEEDED', async () => {
    const be = split[0][1];
    const spec = conv2dSpec({ input: [1, 2, 3, 200], weight: [2, 1, 3, 3], groups: 2, padding: 1 });
    await expect(expectMatchesReference(be, spec, 'depthwise', 'small-int')).rejects.toThrow(/LIMIT_EXCEEDED.*workgroups\.x/);
  });

  it('maxWorkgroupsPerDimension above the device limit or below 1 is INVALID_ARGUMENT', async () => {
    const device = first!.acquired!.device;
    for (const v of [0, 2.5, device.limits.maxComputeWorkgroupsPerDimension + 1]) {
      await expect(createWebGpuBackend({ device, ownDevice: false, maxWorkgroupsPerDimension: v })).rejects.toThrow(
        /INVALID_ARGUMENT.*maxWorkgroupsPerDimension/,
      );
    }
  });

  it('a 1x4x2048x2048 pointwise conv (over 65,535 column blocks) runs at the device limit, bit for bit', async () => {
    const init: Conv2dSpecInit = { input: [1, 4, 2048, 2048], weight: [3, 4, 1, 1], bias: true };
    const s = conv2dSpec(init);
    const hw = 2048 * 2048;
    // Small integers: every sum is an exact integer in float32, so plain arithmetic is the exact
    // reference (the CPU reference would take minutes at this size on this machine).
    const x = Tensor.fromData(
      Float32Array.from({ length: shapeSize(s.input) }, (_, i) => ((i * 7 + (i >> 11) * 3) % 9) - 4),
      s.input,
    );
    const w = Tensor.fromData(Float32Array.from([1, -2, 3, -1, 2, 0, -3, 1, -1, 1, 2, 3]), s.weight);
    const b = Tensor.fromData(Float32Array.from([5, -7, 0.5]), [3]);
    const keys = await newKeys(first!, async () => {
      const y = await first!.run({ op: 'conv2d', spec: s }, 'pointwise', [x, w, b]);
      let bad = -1;
      for (let o = 0; o < 3 && bad < 0; o++) {
        for (let p = 0; p < hw; p++) {
          let v = b.data[o];
          for (let c = 0; c < 4; c++) v += w.data[o * 4 + c] * x.data[c * hw + p];
          if (y.data[o * hw + p] !== v) {
            bad = o * hw + p;
            break;
          }
        }
      }
      expect(bad, `first mismatch at ${bad}`).toBe(-1);
    });
    expect(
      keys.some((k) => k.includes(':sx')),
      keys.join(' '),
    ).toBe(true);
  });
});
