import { conv2dAbs, conv2dExact, createCpuBackend } from '@convroute/backend-cpu';
import {
  type Conv2dSpecInit,
  conv2dSpec,
  seededRandom,
  shapeSize,
  Tensor,
  uniformData,
  WINOGRAD_METHODS,
  type WinogradMethod,
  winogradTransform,
} from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { checkBackend, compareWithBound, ERROR_MODELS, errorBound, fcSettings, stageDepth, winogradAbs, winogradBounds, winogradDepth } from '../src/index.ts';

const { numRuns } = fcSettings({}, 60);
type Matrix = readonly (readonly number[])[];
const mul = (a: Matrix, b: Matrix) => a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
const tr = (a: Matrix) => a[0].map((_, j) => a.map((r) => r[j]));
const abs = (a: Matrix) => a.map((r) => r.map(Math.abs));

describe('Winograd transforms (docs/winograd-bound.md)', () => {
  it.each(WINOGRAD_METHODS)('%s computes the 3x3 correlation of its tile (float64, random data)', (method) => {
    const { m, alpha, bt, g, at } = winogradTransform(method);
    const rnd = seededRandom(7);
    for (let trial = 0; trial < 20; trial++) {
      const d = Array.from({ length: alpha }, () => Array.from({ length: alpha }, () => rnd() * 2 - 1));
      const f = Array.from({ length: 3 }, () => Array.from({ length: 3 }, () => rnd() * 2 - 1));
      const u = mul(mul(g, f), tr(g));
      const v = mul(mul(bt, d), tr(bt));
      const y = mul(
        mul(
          at,
          u.map((r, i) => r.map((x, j) => x * v[i][j])),
        ),
        tr(at),
      );
      for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++) {
          let direct = 0;
          for (let p = 0; p < 3; p++) for (let q = 0; q < 3; q++) direct += f[p][q] * d[i + p][j + q];
          expect(y[i][j]).toBeCloseTo(direct, 12);
        }
    }
  });

  it('rounding depths: F(2,3) K = C + 11, F(4,3) K = C + 23', () => {
    const t2 = winogradTransform('winograd-2x3');
    const t4 = winogradTransform('winograd-4x3');
    expect([stageDepth(t2.bt), stageDepth(t2.g), stageDepth(t2.at)]).toEqual([1, 2, 2]);
    expect([stageDepth(t4.bt), stageDepth(t4.g), stageDepth(t4.at)]).toEqual([3, 4, 4]);
    expect(winogradDepth('winograd-2x3', 64)).toBe(75);
    expect(winogradDepth('winograd-4x3', 64)).toBe(87);
  });

  it.each(WINOGRAD_METHODS)('%s: the matrix facts the flushed-subnormal term rests on', (method) => {
    const { bt, g, at } = winogradTransform(method);
    // every row and column of |B^T| has an entry >= 1; (|G| 1 |G^T|) . (|B^T| 1 |B|) >= 1; every
    // row of |A^T| and column of |A^T| has an entry >= 1
    const hasOne = (v: readonly number[]) => v.some((x) => Math.abs(x) >= 1);
    expect(bt.every(hasOne) && tr(bt).every(hasOne) && at.every(hasOne) && tr(at).every(hasOne)).toBe(true);
    const ones = (r: number, c: number) => Array.from({ length: r }, () => new Array<number>(c).fill(1));
    const u1 = mul(mul(abs(g), ones(3, 3)), tr(abs(g)));
    const v1 = mul(mul(abs(bt), ones(bt.length, bt.length)), tr(abs(bt)));
    expect(Math.min(...u1.flatMap((r, i) => r.map((x, j) => x * v1[i][j])))).toBeGreaterThanOrEqual(1);
  });
});

/** Median and max of W / A over every output of a conv on uniform [-1, 1) data. */
function abspassRatios(method: WinogradMethod, init: Conv2dSpecInit, seed: number): { median: number; max: number; min: number } {
  const spec = conv2dSpec(init);
  const x = Tensor.fromData(uniformData(shapeSize(spec.input), seed), spec.input);
  const w = Tensor.fromData(uniformData(shapeSize(spec.weight), seed + 1), spec.weight);
  const b = spec.bias ? Tensor.fromData(uniformData(spec.weight[0], seed + 2), [spec.weight[0]]) : undefined;
  const direct = conv2dAbs(spec, x, w, b).data;
  const wa = winogradAbs(method, spec, x, w, b).w;
  const r = Array.from(direct, (a, i) => wa[i] / a).sort((p, q) => p - q);
  return { median: r[r.length >> 1], max: r[r.length - 1], min: r[0] };
}

describe('the abs-pass against the direct abs conv', () => {
  it.each(WINOGRAD_METHODS)('%s: W >= A everywhere; ratios printed', (method) => {
    const out: string[] = [];
    for (const [i, init] of [
      { input: [1, 16, 12, 12], weight: [16, 16, 3, 3], padding: 1 },
      { input: [2, 8, 9, 11], weight: [4, 8, 3, 3], padding: [1, 0, 2, 1], bias: true },
      { input: [1, 6, 10, 10], weight: [6, 2, 3, 3], groups: 3 },
    ].entries()) {
      const r = abspassRatios(method, init as Conv2dSpecInit, 100 + i);
      out.push(`median ${r.median.toFixed(2)}, max ${r.max.toFixed(1)}`);
      expect(r.min).toBeGreaterThanOrEqual(1);
    }
    console.log(`${method} abs-pass / direct abs conv on uniform [-1, 1) data: ${out.join('; ')}`);
  });
});

describe('CPU fast Winograd within its own bound (conformance kit, cases from the descriptors)', () => {
  it.each(WINOGRAD_METHODS)('%s: every data kind, edge cases included', async (method) => {
    const report = await checkBackend(createCpuBackend({ mode: 'fast' }), { numRuns, specs: { method }, ops: ['conv2d'] });
    console.log(report.summary);
    expect(report.ok, report.summary).toBe(true);
    expect(report.coverage[`conv2d/${method}`]).toBeGreaterThan(numRuns);
  });

  it.each(WINOGRAD_METHODS)('%s in exact mode is the correctly rounded conv (bitwise)', async (method) => {
    const report = await checkBackend(createCpuBackend({ mode: 'exact' }), { numRuns, specs: { method }, ops: ['conv2d'], bitwise: true });
    expect(report.ok, report.summary).toBe(true);
    expect(report.coverage[`conv2d/${method}`]).toBeGreaterThan(0);
  });
});

describe('the direct (reordering) bound does not hold for Winograd; its own does', () => {
  // One large input x[0, 2] whose tap in output (0, 0) has weight 0: the direct A of y[0, 0] does
  // not contain it, but the input transform mixes it into tile points whose products y[0, 0]
  // sums and cancels, so their rounding errors land there.
  it.each(WINOGRAD_METHODS)('%s: a large value under a zero weight', async (method) => {
    const { m } = winogradTransform(method);
    const spec = conv2dSpec({ input: [1, 1, m + 2, m + 2], weight: [1, 1, 3, 3] });
    const rnd = seededRandom(3);
    const xd = Float32Array.from({ length: (m + 2) ** 2 }, () => Math.fround(rnd() * 2 - 1));
    xd[2] = 3e6;
    const x = Tensor.fromData(xd, [1, 1, m + 2, m + 2]);
    const wd = Float32Array.from({ length: 9 }, () => Math.fround(rnd() * 2 - 1));
    wd[2] = 0;
    const w = Tensor.fromData(wd, [1, 1, 3, 3]);
    const got = await createCpuBackend({ mode: 'fast' }).run({ op: 'conv2d', spec }, method, [x, w]);
    const ref = conv2dExact(spec, x, w);
    const a = conv2dAbs(spec, x, w);
    const reordering = compareWithBound(got, ref, a, 10, { shape: ref.shape });
    const own = compareWithBound(got, ref, a, 10, { model: ERROR_MODELS.winograd, bounds: winogradBounds(method, spec, [x, w], ref, a, 10), shape: ref.shape });
    console.log(`${method}: reordering bound: ${reordering.message}\n${method}: winograd bound: ${own.message}`);
    expect(reordering.ok).toBe(false);
    expect(own.ok).toBe(true);
    expect(Math.abs(got.data[0] - ref.data[0])).toBeGreaterThan(errorBound(10, a.data[0], ref.data[0]));
  });
});
