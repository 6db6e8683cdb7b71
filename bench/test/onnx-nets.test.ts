import { isPoolShapeResizeOp, poolShapeResizeExact } from '@convroute/backend-cpu';
import { compareWithBound, opReference } from '@convroute/conformance';
import { type Graph, Tensor, uniformData } from '@convroute/core';
import { loadOnnx } from '@convroute/onnx';
import { runModel } from 'convroute';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { NET_NAMES, type NetName, netModel } from '../src/onnx-nets.ts';

/**
 * ResNet-18, MobileNetV2 and SqueezeNet 1.1 topologies (random weights, BatchNormalization with
 * random statistics left unfolded) imported by loadOnnx and checked against onnxruntime-node's
 * CPU provider, an implementation nobody here wrote. Per node, on ORT's own inputs: every value's
 * shape equals ORT's; every conv, Gemm, Add, BatchNormalization and global average pool output is
 * within its op's error bound of the exact result (conformance's per-op model; ORT sums in
 * float32); max pools, concats, flattens, Relu and Clip are equal bit for bit. Every node is
 * judged.
 * End to end, convroute's CPU exact run of the model as written (BatchNormalization unfolded)
 * against ORT with its default optimizations: the worst |difference| relative to max |y| is
 * reported per model.
 * 32x32 inputs by default; CONVROUTE_NETS_SIZE=224 runs the real size.
 */
const size = Number(process.env.CONVROUTE_NETS_SIZE ?? 32);

async function ortValues(bytes: Uint8Array, x: Tensor, optimized: boolean): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    // Per node: ORT must run each node as written (no fusion of conv + BN across the values read).
    graphOptimizationLevel: optimized ? 'all' : 'disabled',
  });
  try {
    return await session.run({ input: new ort.Tensor('float32', x.data as Float32Array, x.shape) });
  } finally {
    await session.release();
  }
}

const asTensor = (t: ort.Tensor) => Tensor.fromData(t.data as Float32Array, t.dims.map(Number));

// The ops conformance's opReference models (conv2d, gemm, and wt-ops' arithmetic ops).
const ARITH_AND_CONV = [
  'conv2d',
  'gemm',
  'add',
  'sub',
  'mul',
  'div',
  'relu',
  'clip',
  'identity',
  'leakyrelu',
  'hardsigmoid',
  'hardswish',
  'sigmoid',
  'softmax',
  'batchnormalization',
  'matmul',
];

async function perNode(name: NetName, graph: Graph, ortOut: Record<string, ort.Tensor>, x: Tensor) {
  const value = (v: string): Tensor => (v === 'input' ? x : (graph.values.get(v)?.tensor ?? asTensor(ortOut[v])));
  let checked = 0;
  let copies = 0;
  let maxRatio = 0;
  for (const node of graph.nodes) {
    const ort = ortOut[node.output];
    expect(ort, `${name}: ORT has no value ${node.output}`).toBeDefined();
    expect(graph.values.get(node.output)!.shape, `${name} ${node.id} shape`).toEqual(ort.dims.map(Number));
    const inputs = node.inputs.map(value);
    let ref: { y: Tensor; abs: Tensor; n: number } | undefined;
    if (ARITH_AND_CONV.includes(node.op.op)) {
      // conv2d, gemm and the arithmetic ops: the conformance per-op error model (wt-ops), judged
      // on ORT's own inputs to the node.
      const r = await opReference(node.op, inputs);
      const bound = Float32Array.from(r.bound, (b: number) => (Math.fround(b) < b ? Math.fround(b * (1 + 2 ** -23)) : Math.fround(b)));
      const c = compareWithBound(asTensor(ort), r.y, bound, 1, {
        shape: r.y.shape,
        bitwise: r.bitwise,
        label: `${name} ${node.id} (${node.op.op}): onnxruntime vs cpu exact`,
        model: { name: 'reordering', bitwise: false, bound: (_n: number, b: number) => b },
      });
      if (!c.ok) throw new Error(c.message);
      if (r.bitwise) copies++;
      else {
        maxRatio = Math.max(maxRatio, c.maxRatio);
        checked++;
      }
      continue;
    } else if (node.op.op === 'globalaveragepool') {
      // A mean: the exact sum divided once; ORT sums in float32, so gamma(n) * mean |x| (n = H*W).
      const [nb, c, h, w] = inputs[0].shape;
      const abs = new Float32Array(nb * c);
      for (let p = 0; p < nb * c; p++) {
        let s = 0;
        for (let i = 0; i < h * w; i++) s += Math.abs(inputs[0].data[p * h * w + i]);
        abs[p] = s / (h * w);
      }
      ref = { y: poolShapeResizeExact(node.op, inputs), abs: Tensor.fromData(abs, [nb, c, 1, 1]), n: h * w };
    } else if (isPoolShapeResizeOp(node.op) && ['maxpool', 'concat', 'flatten', 'reshape', 'transpose', 'squeeze', 'unsqueeze', 'pad'].includes(node.op.op)) {
      // Exact copies (max, concatenation, views): bit for bit.
      const y = poolShapeResizeExact(node.op, inputs);
      expect(Array.from(ort.data as Float32Array), `${name} ${node.id} (${node.op.op}) bitwise`).toEqual(Array.from(y.data));
      copies++;
      continue;
    }
    if (!ref) continue;
    const c = compareWithBound(asTensor(ort), ref.y, ref.abs, ref.n, {
      shape: ref.y.shape,
      label: `${name} ${node.id} (${node.op.op}): onnxruntime vs cpu exact`,
    });
    if (!c.ok) throw new Error(c.message);
    maxRatio = Math.max(maxRatio, c.maxRatio);
    checked++;
  }
  return { checked, copies, maxRatio };
}

describe(`whole networks against onnxruntime-node (${size}x${size})`, () => {
  for (const name of NET_NAMES) {
    it(`${name}: every value's shape, and every node within its op's error bound on ORT's own inputs`, async () => {
      const x = Tensor.fromData(uniformData(3 * size * size, 11, -1, 1), [1, 3, size, size]);
      const { bytes, output } = netModel(name, { size, exposeAll: true });
      const graph = await loadOnnx(bytes);
      expect(graph.outputs).toContain(output);
      const values = await ortValues(bytes, x, false);
      const { checked, copies, maxRatio } = await perNode(name, graph, values, x);
      const count = (ops: string[]) => graph.nodes.filter((n) => ops.includes(n.op.op)).length;
      expect(checked).toBe(count(['conv2d', 'gemm', 'globalaveragepool', 'add', 'batchnormalization']));
      expect(copies).toBe(count(['maxpool', 'concat', 'flatten', 'relu', 'clip', 'identity']));
      expect(checked + copies).toBe(graph.nodes.length);
      expect(checked).toBeGreaterThan(20);
      console.log(
        `[onnx-nets] ${name} ${size}x${size}: ${graph.nodes.length} nodes; ${checked} nodes within their op's bound (max error / bound ${maxRatio.toExponential(2)}), ${copies} copies bitwise`,
      );
    });
  }
});

describe(`whole networks end to end: CPU exact and fast against onnxruntime-node (${size}x${size})`, () => {
  for (const name of NET_NAMES) {
    it(`${name}: worst |difference| relative to max |y|`, async () => {
      const x = Tensor.fromData(uniformData(3 * size * size, 12, -1, 1), [1, 3, size, size]);
      const { bytes, output } = netModel(name, { size });
      const graph = await loadOnnx(bytes);
      const theirs = (await ortValues(bytes, x, true))[output];
      const y = theirs.data as Float32Array;
      for (const mode of ['exact', 'fast'] as const) {
        const ours = (await runModel(graph, { input: x }, { backend: 'cpu', mode })).outputs[output];
        expect(ours.shape).toEqual(theirs.dims.map(Number));
        let worst = 0;
        let maxY = 0;
        for (let i = 0; i < y.length; i++) {
          worst = Math.max(worst, Math.abs(ours.data[i] - y[i]));
          maxY = Math.max(maxY, Math.abs(y[i]));
        }
        const ratio = worst / maxY;
        console.log(
          `[onnx-nets] ${name} ${size}x${size} end to end, CPU ${mode}: worst |diff| ${worst.toExponential(3)}, max |y| ${maxY.toExponential(3)}, ratio ${ratio.toExponential(3)}`,
        );
        expect(maxY).toBeGreaterThan(0);
        // The error model bounds one op, not a network's amplification of a perturbation: the
        // per-node checks above are the error-model assertion. This one catches a semantic error
        // (pad order, pool window, BN formula: ratios of 1e-2 to 1), 2^-10 being far above float32
        // reordering noise through these depths (measured: below 1e-5).
        expect(ratio).toBeLessThan(2 ** -10);
      }
    });
  }
});
