import { createCpuBackend } from '@convroute/backend-cpu';
import { averagepoolSpec, maxpoolSpec, type OpSpec, resizeSpec, Tensor } from '@convroute/core';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPoolShapeResizeOnBackend, comparePoolShapeResize, fcParams, poolShapeResizeCaseArb } from '../src/index.ts';

// Issue 13: pooling, reductions, shape ops and resize under their error model
// (docs/error-model.md, "Pooling, reductions and resize").
describe('pooling, reductions, shape ops and resize conformance', () => {
  it('CPU fast conforms on random ops and data (copies bitwise, means and linear resize within the bound)', async () => {
    const fast = createCpuBackend({ mode: 'fast' });
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(poolShapeResizeCaseArb, async ({ op, inputs, kind }) => {
        seen.add(op.op);
        const report = await checkPoolShapeResizeOnBackend(fast, op, inputs);
        expect(report.ok, `${kind} data: ${report.message}`).toBe(true);
      }),
      fcParams('pool/shape/resize: cpu fast', {}, 120),
    );
    // every op of the family was drawn (with the default run count)
    if (!process.env.FC_NUM_RUNS) expect(seen.size).toBe(12);
  });

  const x = Tensor.fromData(
    Float32Array.from({ length: 16 }, (_, i) => (i + 1) / 3),
    [1, 1, 4, 4],
  );

  it('fails a mean one bound away, a max that drops NaN, and a nearest resize off by one index', async () => {
    const avg: OpSpec = { op: 'averagepool', spec: averagepoolSpec({ input: [1, 1, 4, 4], kernel: 3, padding: 1 }) };
    const exact = await createCpuBackend().run(avg, 'averagepool', [x]);
    const ok = comparePoolShapeResize(avg, [x], exact);
    expect(ok.ok).toBe(true);
    const last = exact.data.length - 1;
    const moved = (rel: number) => {
      const d = exact.data.slice();
      d[last] *= 1 + rel;
      return Tensor.fromData(d, exact.shape);
    };
    // a 9-tap mean: n = 11, gamma(11) ~ 6.6e-7 relative to A = mean |x| here
    expect(comparePoolShapeResize(avg, [x], moved(1e-7)).ok).toBe(true);
    const bad = comparePoolShapeResize(avg, [x], moved(1e-5));
    expect(bad.ok).toBe(false);
    expect(bad.message).toContain('exceed');

    const max: OpSpec = { op: 'maxpool', spec: maxpoolSpec({ input: [1, 1, 4, 4], kernel: 2, stride: 2 }) };
    const withNan = Tensor.fromData(
      x.data.map((v, i) => (i === 0 ? Number.NaN : v)),
      x.shape,
    );
    const dropped = Tensor.fromData(Float32Array.from([6 / 3, 8 / 3, 14 / 3, 16 / 3]), [1, 1, 2, 2]);
    expect(comparePoolShapeResize(max, [withNan], dropped).ok).toBe(false);

    const near: OpSpec = { op: 'resize', spec: resizeSpec({ input: [1, 1, 4, 4], mode: 'nearest', scales: [1, 1, 0.5, 0.5] }) };
    const y = await createCpuBackend().run(near, 'resize', [x]);
    const shifted = Tensor.fromData(
      Float32Array.from(y.data, (v) => v + 1 / 3),
      y.shape,
    );
    const report = comparePoolShapeResize(near, [x], shifted);
    expect(report.ok).toBe(false);
    expect(report.mode).toBe('bitwise');
  });
});
