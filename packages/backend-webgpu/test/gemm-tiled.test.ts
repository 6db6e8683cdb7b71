import { compareWithBound, gemmInputs, referenceGemm } from '@convroute/conformance';
import { type Conv2dSpecInit, conv2dSpec, type GemmSpecInit, gemmSpec } from '@convroute/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type GemmTuning, tiledGemmTuning, type WebGpuBackend } from '../src/index.ts';
import { gpuBackendOrSkip } from './gpu.ts';
import { expectMatchesReference } from './reference.ts';

// The tiled workgroup-memory GEMM is what NVIDIA adapters get by default (ops/gemm-launch.ts);
// CI has only lavapipe, so every tile NVIDIA can select is forced here through the tuning
// overrides and held to the exact reference (bitwise on small integers).
const TILES: Record<string, Partial<GemmTuning>> = {
  '128x128 8x8 db': { variant: 'tiled', tm: 8, tn: 8, wgX: 16, wgY: 16, bk: 8, doubleBuffer: true },
  '64x64 8x8 db': { variant: 'tiled', tm: 8, tn: 8, wgX: 8, wgY: 8, bk: 8, doubleBuffer: true },
  '32x32 4x4 db': { variant: 'tiled', tm: 4, tn: 4, wgX: 8, wgY: 8, bk: 8, doubleBuffer: true },
  '64x32 8x4 bk16 single': { variant: 'tiled', tm: 8, tn: 4, wgX: 8, wgY: 8, bk: 16, doubleBuffer: false },
};

const first = await gpuBackendOrSkip();
const backends: [string, WebGpuBackend][] = [];
if (first) {
  for (const [name, gemm] of Object.entries(TILES))
    backends.push([name, (await gpuBackendOrSkip({ device: first.acquired!.device, ownDevice: false, tuning: { gemm } }))!]);
}
// The default tiles (the shape rule NVIDIA uses), with tiny submissions: chunked grids too.
const byRule =
  first && (await gpuBackendOrSkip({ device: first.acquired!.device, ownDevice: false, tuning: { gemm: { variant: 'tiled' } }, maxFlopsPerSubmit: 1 << 16 }));
afterAll(() => {
  for (const [, b] of backends) b.dispose();
  byRule?.dispose();
  first?.dispose();
});

async function expectGemm(be: WebGpuBackend, init: GemmSpecInit, kind: 'small-int' | 'float', seed: number) {
  const spec = gemmSpec(init);
  const xs = gemmInputs(spec, kind, seed);
  const ref = await referenceGemm(spec, xs);
  const y = await be.run({ op: 'gemm', spec }, 'gemm', xs);
  const r = compareWithBound(y, ref.y, ref.abs, spec.k + (spec.bias ? 1 : 0), { bitwise: kind === 'small-int', shape: y.shape, label: 'webgpu tiled gemm' });
  expect(r.ok, r.message).toBe(true);
}

const built = async (be: WebGpuBackend, run: () => Promise<unknown>) => {
  const before = new Set(be.runtime.pipelineKeys());
  await run();
  return be.runtime.pipelineKeys().filter((k) => !before.has(k));
};

// Ragged M/N/K against every tile, vec4 and scalar operand paths, transposes, bias, batch.
const GEMMS: GemmSpecInit[] = [
  { a: [37, 36], b: [36, 44], bias: true, activation: 'relu' }, // vec4 A and B, ragged tiles
  { a: [130, 20], b: [20, 129] }, // N % 4 != 0: scalar B
  { a: [33, 18], b: [18, 40], bias: true }, // K % 4 != 0: scalar A, K tile ragged
  { a: [24, 36], b: [20, 36], transB: true },
  { a: [36, 24], b: [36, 20], transA: true, activation: { kind: 'clamp', min: -2, max: 3 } },
  { a: [2, 70, 40], b: [2, 40, 72] }, // batch
];
const CONVS: [Conv2dSpecInit, 'im2col-gemm' | 'pointwise' | 'implicit-gemm'][] = [
  [{ input: [2, 8, 7, 9], weight: [40, 4, 3, 3], groups: 2, stride: [2, 1], padding: [1, 0, 2, 1], bias: true, activation: 'relu' }, 'implicit-gemm'],
  [{ input: [1, 6, 6, 6], weight: [20, 6, 3, 3], padding: 1, dilation: [2, 1] }, 'implicit-gemm'], // K = 54: scalar A
  [{ input: [2, 8, 6, 8], weight: [40, 4, 3, 3], groups: 2, padding: 1, bias: true }, 'im2col-gemm'],
  [{ input: [2, 32, 8, 8], weight: [20, 32, 1, 1], stride: 2, activation: 'relu' }, 'pointwise'],
];

describe.skipIf(!first)('tiled GEMM (NVIDIA default), forced on this adapter', () => {
  it.each(Object.keys(TILES))('gemm op, %s', async (name) => {
    const be = backends.find(([n]) => n === name)![1];
    for (const [i, init] of GEMMS.entries()) {
      const keys = await built(be, () => expectGemm(be, init, 'small-int', i + 1));
      expect(
        keys.every((k) => k.includes(':tiled:')),
        keys.join(' '),
      ).toBe(true);
      await expectGemm(be, init, 'float', i + 11);
    }
  });

  it.each(Object.keys(TILES))('convs through it, %s', async (name) => {
    const be = backends.find(([n]) => n === name)![1];
    for (const [i, [init, method]] of CONVS.entries()) {
      const spec = conv2dSpec(init);
      const keys = await built(be, () => expectMatchesReference(be, spec, method, 'small-int', i + 31));
      expect(
        keys.some((k) => k.includes(':tiled:')),
        keys.join(' '),
      ).toBe(true);
      await expectMatchesReference(be, spec, method, 'float', i + 41);
    }
  });

  it('the shape rule picks each of its tiles, and each runs exactly (tiny submissions)', async () => {
    const shapes: [GemmSpecInit, string][] = [
      [{ a: [1536, 36], b: [36, 1408] }, 'tiled:8x8:wg16x16'], // 12 x 11 tiles of 128
      [{ a: [512, 36], b: [36, 2100] }, 'tiled:4x4:wg16x16'], // 8 x 33 tiles of 64
      [{ a: [40, 36], b: [36, 52] }, 'tiled:4x4:wg8x8'],
    ];
    for (const [i, [init, tile]] of shapes.entries()) {
      const s = gemmSpec(init);
      expect(`tiled:${Object.values(pick(tiledGemmTuning(s.m, s.n, 1, s.k))).join(':')}`).toBe(tile);
      const keys = await built(byRule!, () => expectGemm(byRule!, init, 'small-int', i + 51));
      expect(
        keys.some((k) => k.includes(tile)),
        keys.join(' '),
      ).toBe(true);
    }
  });
});

const pick = (t: GemmTuning) => ({ tile: `${t.tm}x${t.tn}`, wg: `wg${t.wgX}x${t.wgY}` });
