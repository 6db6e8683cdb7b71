import {
  averagepoolSpec,
  concatSpec,
  flattenSpec,
  globalaveragepoolSpec,
  isConvrouteError,
  type Method,
  maxpoolSpec,
  type OpSpec,
  padSpec,
  reducemeanSpec,
  reshapeSpec,
  resizeSpec,
  squeezeSpec,
  Tensor,
  transposeSpec,
  unsqueezeSpec,
} from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/index.ts';

const iota = (shape: number[]) =>
  Tensor.fromData(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i + 1),
    shape,
  );
const x4 = [1, 2, 4, 4];

/** One case per op, with what the CPU backend must return in both modes. */
const CASES: { op: OpSpec; inputs: Tensor[]; shape: number[]; first: number }[] = [
  { op: { op: 'maxpool', spec: maxpoolSpec({ input: x4, kernel: 3, stride: 2, ceilMode: true }) }, inputs: [iota(x4)], shape: [1, 2, 2, 2], first: 11 },
  { op: { op: 'averagepool', spec: averagepoolSpec({ input: x4, kernel: 3, stride: 2, ceilMode: true }) }, inputs: [iota(x4)], shape: [1, 2, 2, 2], first: 6 },
  { op: { op: 'globalaveragepool', spec: globalaveragepoolSpec({ input: x4 }) }, inputs: [iota(x4)], shape: [1, 2, 1, 1], first: 8.5 },
  { op: { op: 'reducemean', spec: reducemeanSpec({ input: x4, axes: [1], keepdims: false }) }, inputs: [iota(x4)], shape: [1, 4, 4], first: 9 },
  { op: { op: 'concat', spec: concatSpec({ inputs: [x4, [1, 1, 4, 4]], axis: 1 }) }, inputs: [iota(x4), iota([1, 1, 4, 4])], shape: [1, 3, 4, 4], first: 1 },
  { op: { op: 'reshape', spec: reshapeSpec({ input: x4, shape: [0, -1] }) }, inputs: [iota(x4)], shape: [1, 32], first: 1 },
  { op: { op: 'flatten', spec: flattenSpec({ input: x4, axis: 2 }) }, inputs: [iota(x4)], shape: [2, 16], first: 1 },
  { op: { op: 'transpose', spec: transposeSpec({ input: x4, perm: [0, 2, 3, 1] }) }, inputs: [iota(x4)], shape: [1, 4, 4, 2], first: 1 },
  { op: { op: 'squeeze', spec: squeezeSpec({ input: x4 }) }, inputs: [iota(x4)], shape: [2, 4, 4], first: 1 },
  { op: { op: 'unsqueeze', spec: unsqueezeSpec({ input: x4, axes: [0, -1] }) }, inputs: [iota(x4)], shape: [1, 1, 2, 4, 4, 1], first: 1 },
  { op: { op: 'pad', spec: padSpec({ input: x4, pads: [0, 0, 1, 1, 0, 0, 1, 1], value: -2 }) }, inputs: [iota(x4)], shape: [1, 2, 6, 6], first: -2 },
  {
    op: { op: 'resize', spec: resizeSpec({ input: x4, mode: 'linear', scales: [1, 1, 2, 2] }) },
    inputs: [iota(x4)],
    shape: [1, 2, 8, 8],
    first: 1,
  },
];

describe('cpu backend: pooling, reductions, shape ops and resize', () => {
  for (const mode of ['exact', 'fast'] as const) {
    const backend = createCpuBackend({ mode });
    for (const c of CASES) {
      it(`${mode}: ${c.op.op} runs as its own method, with the spec's output shape`, async () => {
        expect(backend.methodsFor(c.op)).toEqual([c.op.op]);
        const y = await backend.run(c.op, c.op.op as Method, c.inputs);
        expect(y.shape).toEqual(c.shape);
        expect(y.data[0]).toBe(c.first);
        const prepared = await backend.prepare?.(c.op, c.op.op as Method, c.inputs);
        await prepared?.execute();
        expect((await prepared?.read())?.data).toEqual(y.data);
      });
    }
  }

  it('refuses another method and a wrong input shape with typed errors', async () => {
    const backend = createCpuBackend();
    const { op, inputs } = CASES[0];
    await expect(backend.run(op, 'averagepool', inputs)).rejects.toSatisfy((e) => isConvrouteError(e, 'UNSUPPORTED_METHOD'));
    await expect(backend.run(op, 'maxpool', [iota([1, 2, 4, 5])])).rejects.toSatisfy((e) => isConvrouteError(e, 'SHAPE_MISMATCH'));
  });

  it('resize by sizes to length 1: pytorch_half_pixel and align_corners read index 0 even when size / in is inexact in float32', async () => {
    const backend = createCpuBackend();
    const x = iota([1, 1, 1, 3]); // 1 / 3 in float32 times 3 is 1.0000000298
    for (const ctm of ['pytorch_half_pixel', 'align_corners'] as const) {
      for (const mode of ['nearest', 'linear'] as const) {
        const op: OpSpec = { op: 'resize', spec: resizeSpec({ input: [1, 1, 1, 3], mode, coordinateTransformationMode: ctm, sizes: [1, 1, 1, 1] }) };
        expect(Array.from((await backend.run(op, 'resize', [x])).data)).toEqual([1]);
      }
    }
    // half_pixel reads the centre: (0 + 0.5) * 3 - 0.5 = 1
    const half: OpSpec = { op: 'resize', spec: resizeSpec({ input: [1, 1, 1, 3], mode: 'linear', sizes: [1, 1, 1, 1] }) };
    expect(Array.from((await backend.run(half, 'resize', [x])).data)).toEqual([2]);
  });
});
