import { comparePoolShapeResize, fcParams } from '@convroute/conformance';
import {
  averagepoolSpec,
  concatSpec,
  flattenSpec,
  globalaveragepoolSpec,
  maxpoolSpec,
  type OpSpec,
  padSpec,
  reducemeanSpec,
  reshapeSpec,
  resizeSpec,
  seededRandom,
  squeezeSpec,
  Tensor,
  transposeSpec,
  unsqueezeSpec,
} from '@convroute/core';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { onnxPoolResize } from '../src/onnx-pool-resize.ts';

/**
 * CPU exact's pooling, reductions and resize against ONNX Runtime (an implementation nobody here
 * wrote), judged by the family's error model: max pooling and nearest resize bitwise, means and
 * linear resize within their bound. Linear and nearest resize run with power-of-two scales only:
 * ORT computes source coordinates in float32, which is exact there and off by ~2^-24 elsewhere,
 * so other scales would measure ORT's coordinates, not the interpolation.
 */
function data(shape: readonly number[], seed: number): Tensor {
  const rnd = seededRandom(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return Tensor.fromData(
    Float32Array.from({ length: n }, () => (rnd() * 2 - 1) * 2 ** Math.floor(rnd() * 8 - 4)),
    shape,
  );
}

function built(make: () => OpSpec): OpSpec[] {
  try {
    return [make()];
  } catch {
    return [];
  }
}

const dim = (max: number) => fc.integer({ min: 1, max });
const nchw = fc.tuple(dim(2), dim(3), dim(8), dim(8)).map((s) => [...s]);
const poolArb = fc
  .record({
    input: nchw,
    kernel: fc.tuple(dim(3), dim(3)),
    stride: fc.tuple(dim(3), dim(3)),
    padding: fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)),
    dilation: fc.tuple(dim(2), dim(2)),
    ceilMode: fc.boolean(),
    countIncludePad: fc.boolean(),
    max: fc.boolean(),
  })
  .map((r) => built(() => (r.max ? { op: 'maxpool', spec: maxpoolSpec(r) } : { op: 'averagepool', spec: averagepoolSpec(r) })));
const reduceArb = nchw.chain((input) =>
  fc.oneof(
    fc.constant(built(() => ({ op: 'globalaveragepool', spec: globalaveragepoolSpec({ input }) }))),
    fc
      .record({ axes: fc.subarray([0, 1, 2, 3], { minLength: 1 }), keepdims: fc.boolean() })
      .map((r) => built(() => ({ op: 'reducemean', spec: reducemeanSpec({ input, ...r }) }))),
  ),
);
const pow2 = fc.constantFrom(0.5, 1, 2, 4);
const resizeArb = fc
  .record({
    input: fc.tuple(dim(2), dim(2), dim(6), dim(6)).map((s) => [s[0], s[1], s[2] * 2, s[3] * 2]),
    mode: fc.constantFrom('nearest' as const, 'linear' as const),
    coordinateTransformationMode: fc.constantFrom('half_pixel' as const, 'pytorch_half_pixel' as const, 'asymmetric' as const),
    nearestMode: fc.constantFrom('round_prefer_floor' as const, 'round_prefer_ceil' as const, 'floor' as const, 'ceil' as const),
    scales: fc.tuple(pow2, pow2),
  })
  .map((r) => built(() => ({ op: 'resize', spec: resizeSpec({ ...r, scales: [1, 1, ...r.scales] }) })));

describe('pooling, reductions, shape ops and resize: cpu exact vs onnxruntime', () => {
  it('shape ops are bitwise equal to ONNX Runtime (concat, reshape with 0 and -1, flatten, transpose, squeeze, unsqueeze, pad)', async () => {
    const { createCpuBackend } = await import('@convroute/backend-cpu');
    const cpu = createCpuBackend();
    const x4 = [2, 3, 1, 4];
    const cases: OpSpec[] = [
      { op: 'concat', spec: concatSpec({ inputs: [x4, [2, 2, 1, 4]], axis: 1 }) },
      { op: 'concat', spec: concatSpec({ inputs: [x4, x4, [2, 3, 1, 1]], axis: -1 }) },
      { op: 'reshape', spec: reshapeSpec({ input: x4, shape: [0, -1, 2] }) },
      { op: 'flatten', spec: flattenSpec({ input: x4, axis: 3 }) },
      { op: 'flatten', spec: flattenSpec({ input: x4, axis: 0 }) },
      { op: 'transpose', spec: transposeSpec({ input: x4, perm: [3, 0, 2, 1] }) },
      { op: 'transpose', spec: transposeSpec({ input: x4 }) },
      { op: 'squeeze', spec: squeezeSpec({ input: x4, axes: [2] }) },
      { op: 'unsqueeze', spec: unsqueezeSpec({ input: x4, axes: [0, 5] }) },
      { op: 'pad', spec: padSpec({ input: x4, pads: [0, 1, 2, 0, 1, 0, 1, 3], value: -0.3 }) },
    ];
    for (const [k, op] of cases.entries()) {
      const shapes = op.op === 'concat' ? op.spec.inputs : [(op.spec as { input: readonly number[] }).input];
      const inputs = shapes.map((s, i) => data(s, 17 * k + i));
      const got = await onnxPoolResize(op, inputs);
      const report = comparePoolShapeResize(op, inputs, got, `onnxruntime ${op.op}`);
      expect(report.ok, report.message).toBe(true);
      expect(report.mode).toBe('bitwise');
      expect((await cpu.run(op, op.op as never, inputs)).shape).toEqual(got.shape);
    }
  });

  it('agree within the error model on random specs', async () => {
    const { createCpuBackend } = await import('@convroute/backend-cpu');
    const cpu = createCpuBackend();
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(poolArb, reduceArb, resizeArb).filter((o) => o.length === 1),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        async ([op], seed) => {
          cases++;
          const x = data((op.spec as { input: readonly number[] }).input, seed);
          const got = await onnxPoolResize(op, [x]);
          const report = comparePoolShapeResize(op, [x], got, `onnxruntime ${op.op}`);
          expect(report.ok, `${JSON.stringify(op)}: ${report.message}`).toBe(true);
          // and convroute's own run of the same op is the reference itself
          expect(comparePoolShapeResize(op, [x], await cpu.run(op, op.op as never, [x])).failures).toBe(0);
        },
      ),
      fcParams('pool/resize vs onnxruntime', {}, 60),
    );
    expect(cases).toBeGreaterThan(0);
  });
});
