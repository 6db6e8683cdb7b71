import { conv2dExact } from '@convroute/backend-cpu';
import { type Conv2dSpec, type ConvMethod, conv2dSpec, GraphBuilder, runGraph, Tensor } from '@convroute/core';
import { afterAll, describe, expect, it } from 'vitest';
import { gpuBackendOrSkip } from './gpu.ts';

// Issue 12, item 2: weights were cached per Tensor object for the backend's life, so mutating a
// tensor's data gave the old answer, and every fresh weight tensor kept its GPU buffer.
const backend = await gpuBackendOrSkip();
afterAll(() => backend?.dispose());

/** Small integers: every order of summation is exact, so the GPU must match the CPU bit for bit. */
function ints(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = ((i * 7 + seed * 13) % 9) - 4;
  return a;
}

function inputs(s: Conv2dSpec, seed: number): [Tensor, Tensor, Tensor] {
  const size = (d: readonly number[]) => d.reduce((p, q) => p * q, 1);
  return [
    Tensor.fromData(ints(size(s.input), seed), s.input),
    Tensor.fromData(ints(size(s.weight), seed + 1), s.weight),
    Tensor.fromData(ints(s.weight[0], seed + 2), [s.weight[0]]),
  ];
}

const cases: [ConvMethod, Conv2dSpec][] = [
  ['direct', conv2dSpec({ input: [1, 4, 6, 6], weight: [8, 4, 3, 3], padding: 1, bias: true })],
  ['im2col-gemm', conv2dSpec({ input: [1, 4, 6, 6], weight: [8, 4, 3, 3], padding: 1, bias: true })],
  ['implicit-gemm', conv2dSpec({ input: [1, 4, 6, 6], weight: [8, 4, 3, 3], padding: 1, bias: true })],
  ['pointwise', conv2dSpec({ input: [1, 8, 5, 5], weight: [8, 8, 1, 1], bias: true })],
  ['depthwise', conv2dSpec({ input: [1, 8, 5, 5], weight: [8, 1, 3, 3], groups: 8, padding: 1, bias: true })],
];

describe.skipIf(!backend)('webgpu weights: a result is a function of the data passed', () => {
  it.each(cases)('%s: mutating weights and bias between calls gives the new answer', async (method, s) => {
    const [x, w, b] = inputs(s, 1);
    const op = { op: 'conv2d' as const, spec: s };
    const first = await backend!.run(op, method, [x, w, b]);
    expect(Array.from(first.data)).toEqual(Array.from(conv2dExact(s, x, w, b).data));
    w.data.fill(0);
    b.data.fill(5);
    const second = await backend!.run(op, method, [x, w, b]);
    expect(second.data.every((v) => v === 5)).toBe(true);
    w.data.set(ints(w.data.length, 9));
    const third = await backend!.run(op, method, [x, w, b]);
    expect(Array.from(third.data)).toEqual(Array.from(conv2dExact(s, x, w, b).data));
  });

  it('a graph run after its constants are mutated gives the new answer', async () => {
    const s = cases[0][1];
    const [x, w, b] = inputs(s, 3);
    const g = new GraphBuilder();
    g.input('x', s.input);
    g.constant('w', w);
    g.constant('b', b);
    g.conv2d('y', 'x', 'w', 'b', { padding: 1 }, { method: 'im2col-gemm' });
    const graph = g.output('y').build();
    const before = await runGraph(graph, backend!, { x });
    expect(Array.from(before.outputs.y.data)).toEqual(Array.from(conv2dExact(s, x, w, b).data));
    w.data.fill(0);
    b.data.fill(-2);
    const after = await runGraph(graph, backend!, { x });
    expect(after.outputs.y.data.every((v) => v === -2)).toBe(true);
  });

  it('within one run scope a weight used twice is uploaded once; close frees it', async () => {
    const s = cases[3][1];
    const [x, w, b] = inputs(s, 5);
    const scope = backend!.openRunScope();
    const op = { op: 'conv2d' as const, spec: s };
    const y1 = await scope.run(op, 'pointwise', [x, w, b]);
    const y2 = await scope.run(op, 'pointwise', [y1, w, b]);
    expect(scope.weights.size).toBe(2);
    scope.close();
    expect(scope.weights.size).toBe(0);
    expect(Array.from(y2.data)).toEqual(Array.from(conv2dExact(s, conv2dExact(s, x, w, b), w, b).data));
    await expect(scope.run(op, 'pointwise', [x, w, b])).rejects.toThrow(/DEVICE.*closed/);
  });

  it('GPU buffers stay bounded over 400 calls with fresh weight tensors', async () => {
    const s = conv2dSpec({ input: [1, 4, 8, 8], weight: [16, 4, 3, 3], padding: 1, bias: true });
    const op = { op: 'conv2d' as const, spec: s };
    const pool = backend!.runtime.pool;
    const call = async (i: number) => backend!.run(op, 'im2col-gemm', inputs(s, i));
    // Earlier tests in this file leave pooled buffers of other sizes: count only this test's own.
    const before = pool.liveBuffers;
    for (let i = 0; i < 10; i++) await call(i);
    const [buffers, bytes] = [pool.liveBuffers, pool.liveBytes];
    for (let i = 10; i < 400; i++) await call(i);
    expect(pool.liveBuffers).toBe(buffers);
    expect(pool.liveBytes).toBe(bytes);
    expect(buffers - before).toBeLessThan(20);
  });
});
