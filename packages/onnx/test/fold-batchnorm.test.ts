import { conv2dAbs, createCpuBackend, defaultCpuConvMethod } from '@convroute/backend-cpu';
import { type Conv2dSpec, type Graph, runGraph, Tensor } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { encodeOnnx, loadOnnx } from '../src/index.ts';
import { randomData } from './onnx-models.ts';

const U = 2 ** -24;

const bytes = encodeOnnx({
  opset: 17,
  inputs: [{ name: 'x', dims: [1, 4, 7, 7] }],
  outputs: [{ name: 'y' }],
  initializers: [
    { name: 'w', dims: [6, 4, 3, 3], data: randomData(216, 1) },
    { name: 'b', dims: [6], data: randomData(6, 2) },
    { name: 'g', dims: [6], data: randomData(6, 3) },
    { name: 'be', dims: [6], data: randomData(6, 4) },
    { name: 'm', dims: [6], data: randomData(6, 5) },
    { name: 'v', dims: [6], data: randomData(6, 6).map((t) => t + 1.5) },
  ],
  nodes: [
    { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attrs: { pads: [1, 1, 1, 1] } },
    { op: 'BatchNormalization', inputs: ['c', 'g', 'be', 'm', 'v'], outputs: ['y'] },
  ],
});

async function exact(graph: Graph, x: Tensor): Promise<Tensor> {
  const route = (spec: Conv2dSpec) => ({ method: defaultCpuConvMethod(spec), reasons: [] });
  return (await runGraph(graph, createCpuBackend({ mode: 'exact' }), { x }, { route })).outputs.y;
}

describe('foldBatchNorm: two graphs, each exact as run', () => {
  it('the folded graph stays within the rounding of its folded weights of the unfolded one', async () => {
    const x = Tensor.fromData(randomData(196, 9), [1, 4, 7, 7]);
    const unfoldedGraph = await loadOnnx(bytes);
    const foldedGraph = await loadOnnx(bytes, { foldBatchNorm: true });
    expect(unfoldedGraph.nodes.map((n) => n.op.op)).toEqual(['conv2d', 'batchnormalization']);
    expect(foldedGraph.nodes.map((n) => n.op.op)).toEqual(['conv2d']);
    const unfolded = await exact(unfoldedGraph, x);
    const folded = await exact(foldedGraph, x);
    // Folded: R(sum fl(w s) x + fl(b')), each folded value within u of w s and b'. Unfolded:
    // R((R(sum w x + b) - mean) s + beta): the conv's rounding scaled by |s|. So
    // |folded - unfolded| <= u (A' + |s| A) + u |folded| + u |unfolded|, to first order; x2 slack.
    const conv = foldedGraph.nodes[0];
    const spec = conv.op.spec as Conv2dSpec;
    const value = (n: string) => foldedGraph.values.get(n)!.tensor!;
    const aFolded = conv2dAbs(spec, x, value(conv.inputs[1]), value(conv.inputs[2]));
    const cNode = unfoldedGraph.nodes[0];
    const aConv = conv2dAbs(cNode.op.spec as Conv2dSpec, x, unfoldedGraph.values.get('w')!.tensor!, unfoldedGraph.values.get('b')!.tensor!);
    const [gamma, variance] = [randomData(6, 3), randomData(6, 6).map((t) => t + 1.5)];
    const s = Array.from(gamma, (gm, c) => Math.abs(gm / Math.sqrt(variance[c] + Math.fround(1e-5))));
    let differ = 0;
    for (let i = 0; i < folded.data.length; i++) {
      const c = Math.floor(i / 49);
      const bound = 2 * (U * (aFolded.data[i] + s[c] * aConv.data[i]) + U * (Math.abs(folded.data[i]) + Math.abs(unfolded.data[i])));
      expect(Math.abs(folded.data[i] - unfolded.data[i]), `element ${i}`).toBeLessThanOrEqual(bound);
      if (folded.data[i] !== unfolded.data[i]) differ++;
    }
    console.log(`[foldBatchNorm] ${differ} of ${folded.data.length} elements differ between the folded and unfolded graphs (each exact as run)`);
  });
});
