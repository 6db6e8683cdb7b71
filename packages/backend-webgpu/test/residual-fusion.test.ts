import { type Conv2dAttrs, type ConvMethod, type Graph, GraphBuilder, prepareGraph, runGraph, Tensor, uniformData } from '@convroute/core';
import { afterAll, describe, expect, it } from 'vitest';
import { gpuBackendOrSkip } from './gpu.ts';

// Issue 13, "Execution": a conv whose only consumer is an `add` of the same shape computes the
// add in its epilogue: the conv's output as its kernel rounds it (bias, activation), plus the
// residual, rounded once, then a relu or clip that is the add's only use: the nodes' bits.
const backend = await gpuBackendOrSkip();
// The other kernel paths: im2col-gemm's scratch tiled by output rows (a 1 KiB budget) and the
// workgroup-tiled GEMM (NVIDIA's default) for every GEMM-based method.
const tiling = backend ? await gpuBackendOrSkip({ im2colBudgetBytes: 1024, tuning: { gemm: { variant: 'tiled' } } }) : null;
const gemmBased = new Set<ConvMethod>(['im2col-gemm', 'implicit-gemm', 'pointwise', 'winograd-2x3', 'winograd-4x3']);
afterAll(() => {
  backend?.dispose();
  tiling?.dispose();
});

const t = (shape: number[], seed: number) =>
  Tensor.fromData(
    uniformData(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );

type After = 'none' | 'relu' | { min: number; max: number };

/** y = add(conv(x, w, b?), r), or add(r, conv(...)) with `residualFirst`, then relu or clip. */
function convAdd(x: number[], w: number[], attrs: Conv2dAttrs & { bias?: boolean }, method: ConvMethod, residualFirst: boolean, after: After): Graph {
  const g = new GraphBuilder();
  g.input('x', x);
  g.constant('w', t(w, 2));
  if (attrs.bias) g.constant('b', t([attrs.transposed ? w[1] * (attrs.groups ?? 1) : w[0]], 3));
  const { bias, ...rest } = attrs;
  g.conv2d('c', 'x', 'w', bias ? 'b' : undefined, rest, { id: 'conv', method });
  const shape = g.output('c').build().values.get('c')!.shape;
  const h = new GraphBuilder();
  h.input('x', x);
  h.input('r', shape);
  h.constant('w', t(w, 2));
  if (attrs.bias) h.constant('b', t([shape[1]], 3));
  h.conv2d('c', 'x', 'w', bias ? 'b' : undefined, rest, { id: 'conv', method });
  const sum = after === 'none' ? 'y' : 's';
  h.add(sum, residualFirst ? 'r' : 'c', residualFirst ? 'c' : 'r', { id: 'add' });
  if (after === 'relu') h.unary('relu', 'y', 's', { id: 'post' });
  else if (after !== 'none') h.clip('y', 's', after, { id: 'post' });
  return h.output('y').build();
}

const cases: [string, ConvMethod, number[], number[], Conv2dAttrs & { bias?: boolean }][] = [
  ['direct, bias, relu', 'direct', [1, 4, 7, 7], [8, 4, 3, 3], { padding: 1, bias: true, activation: 'relu' }],
  ['im2col-gemm, bias', 'im2col-gemm', [1, 4, 7, 7], [8, 4, 3, 3], { padding: 1, bias: true }],
  ['im2col-gemm, groups 2, relu', 'im2col-gemm', [2, 4, 6, 6], [6, 2, 3, 3], { padding: 1, groups: 2, activation: 'relu' }],
  ['implicit-gemm, stride 2, bias', 'implicit-gemm', [1, 8, 9, 9], [16, 8, 3, 3], { padding: 1, stride: 2, bias: true }],
  ['pointwise', 'pointwise', [1, 8, 6, 6], [8, 8, 1, 1], {}],
  ['pointwise, stride 2 (gathered), bias, relu', 'pointwise', [1, 8, 6, 6], [12, 8, 1, 1], { stride: 2, bias: true, activation: 'relu' }],
  ['depthwise, stride 1, bias', 'depthwise', [1, 8, 9, 9], [8, 1, 3, 3], { padding: 1, groups: 8, bias: true }],
  ['depthwise, stride 2, relu', 'depthwise', [1, 8, 9, 9], [8, 1, 3, 3], { padding: 1, stride: 2, groups: 8, activation: 'relu' }],
  ['transposed, stride 2, bias', 'transposed', [1, 4, 4, 4], [4, 6, 3, 3], { stride: 2, transposed: true, bias: true }],
  // Ragged tiles (7 = 3 * 2 + 1, 9 = 2 * 4 + 1): the output transform's edge stores.
  ['winograd-2x3, bias, relu', 'winograd-2x3', [1, 4, 7, 7], [8, 4, 3, 3], { padding: 1, bias: true, activation: 'relu' }],
  ['winograd-4x3, groups 2', 'winograd-4x3', [1, 4, 9, 9], [6, 2, 3, 3], { padding: 1, groups: 2 }],
];

describe.skipIf(!backend)('webgpu residual-add fusion', () => {
  it.each(cases)('%s: the fused graph gives the bits of conv, add (then relu or clip)', async (_name, method, xs, ws, attrs) => {
    for (const [residualFirst, be, after] of [
      [false, backend!, 'none'],
      [true, gemmBased.has(method) ? tiling! : backend!, method === 'depthwise' || method === 'pointwise' ? { min: -0.25, max: 0.5 } : 'relu'],
    ] as const) {
      const graph = convAdd(xs, ws, attrs, method, residualFirst, after);
      const x = t(xs, 11);
      const r = t(graph.values.get('r')!.shape, 12);
      const convNode = graph.nodes[0];
      const inputs = graph.nodes[0].inputs.map((v) => (v === 'x' ? x : graph.values.get(v)!.tensor!));
      const conv = await be.run(convNode.op, method, inputs);
      const want = new Float32Array(conv.data.length);
      for (let i = 0; i < want.length; i++) {
        const v = Math.fround(conv.data[i] + r.data[i]);
        // The activation nodes' select-based functions (NaN passes; relu(-0) is -0).
        want[i] = after === 'none' ? v : after === 'relu' ? (v < 0 ? 0 : v) : v < after.min ? after.min : v > after.max ? after.max : v;
      }
      const { outputs, records } = await runGraph(graph, be, { x, r });
      expect(new Uint32Array(outputs.y.data.slice().buffer)).toEqual(new Uint32Array(want.buffer));
      const post = after === 'none' ? [] : [['post', undefined, 'conv']];
      expect(records.map((rec) => [rec.node, rec.fused, rec.fusedInto])).toEqual([
        ['conv', after === 'none' ? ['add'] : ['add', 'post'], undefined],
        ['add', undefined, 'conv'],
        ...post,
      ]);
      expect(records[1]).toMatchObject({ method: 'add', timeMs: 0, reasons: [{ rule: 'fusion.residual' }] });
      if (after !== 'none') expect(records[2]).toMatchObject({ timeMs: 0, reasons: [{ rule: 'fusion.activation' }] });
      const prepared = await prepareGraph(graph, be);
      try {
        expect(new Uint32Array((await prepared.run({ x, r })).outputs.y.data.slice().buffer)).toEqual(new Uint32Array(want.buffer));
      } finally {
        prepared.release();
      }
    }
  });
});
