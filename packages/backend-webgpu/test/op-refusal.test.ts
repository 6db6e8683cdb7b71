import { opSamples } from '@convroute/conformance';
import { ConvrouteError, GraphBuilder, runGraph, Tensor } from '@convroute/core';
import { afterAll, describe, expect, it } from 'vitest';
import { gpuBackendOrSkip } from './gpu.ts';

// Issue 13: an op without a WebGPU kernel has no method here, and run refuses it with
// UNSUPPORTED_METHOD, directly and inside a graph (before any node runs).
const backend = await gpuBackendOrSkip();
afterAll(() => backend?.dispose());

describe.skipIf(!backend)('webgpu refuses every op it has no kernel for', () => {
  it('each op runs with its method, or run and methodsFor agree it has none', async () => {
    for (const { op, inputs, outputShape } of opSamples()) {
      const methods = backend!.methodsFor(op);
      if (methods.length > 0) {
        expect((await backend!.run(op, methods[0], inputs)).shape, op.op).toEqual(outputShape);
        continue;
      }
      const err = await backend!.run(op, op.op === 'conv2d' ? 'direct' : op.op, inputs).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, op.op).toBeInstanceOf(ConvrouteError);
      expect((err as ConvrouteError).code, op.op).toBe('UNSUPPORTED_METHOD');
    }
  });

  it('a graph with an op it cannot run fails before any node runs, naming the node', async () => {
    const graph = new GraphBuilder();
    graph.input('a', [3, 4]);
    graph.input('b', [4, 5]);
    graph.constant('bias', Tensor.zeros([3, 1]));
    graph.output(graph.gemm('y', 'a', 'b', 'bias', { alpha: 0.5 }));
    const feeds = { a: Tensor.zeros([3, 4]), b: Tensor.zeros([4, 5]) };
    // Meaningful while WebGPU has no alpha/beta gemm; once it has, the first test covers it.
    if (backend!.methodsFor(graph.build().nodes[0].op).length > 0) return;
    await expect(runGraph(graph.build(), backend!, feeds)).rejects.toMatchObject({ code: 'UNSUPPORTED_METHOD', field: 'nodes.y.method' });
  });
});
