import { checkGraphNodes, relativeDifference } from '@convroute/conformance';
import { buildNetwork, type Method, NETWORK_NAMES, runGraph, Tensor, uniformData } from '@convroute/core';
import { afterAll, describe, expect, it } from 'vitest';
import { gpuBackendOrSkip } from './gpu.ts';

// Whole networks on WebGPU at 32x32: the device-resident run's logits against the exact CPU run,
// and every node judged on its own from its exact inputs under its op's bound. The convs take the
// backend's methods in turn (node i gets available[i mod n]), so one network exercises each conv
// method the spec allows, not only the router's pick.
const gpu = await gpuBackendOrSkip();
afterAll(() => gpu?.dispose());

describe.each(NETWORK_NAMES)('%s end to end on WebGPU', (name) => {
  it.skipIf(!gpu)(
    'device-resident logits match the exact run; every node within its bound',
    async () => {
      const backend = gpu!;
      const graph = buildNetwork(name, { size: 32, seed: 5 });
      const feeds = { input: Tensor.fromData(uniformData(3 * 32 * 32, 6), [1, 3, 32, 32]) };
      let k = 0;
      const run = await runGraph(graph, backend, feeds, { route: (_spec, ctx) => ({ method: ctx.available[k++ % ctx.available.length], reasons: [] }) });
      const methods = new Map<string, Method>(run.records.map((r) => [r.node, r.method]));
      const check = await checkGraphNodes(graph, feeds, backend, methods);
      for (const n of check.nodes) expect(n.report.ok, n.report.message).toBe(true);
      expect(check.nodes.length).toBe(graph.nodes.length);
      const diff = relativeDifference(run.outputs.logits, check.exactOutputs.logits);
      const convMethods = [...new Set(run.records.filter((r) => r.op === 'conv2d').map((r) => r.method))].sort();
      console.log(`${name} webgpu: conv methods ${convMethods.join(', ')}; logits ${diff.toExponential(2)} of max |y| from exact`);
      expect(diff).toBeLessThan(2 ** -10);
    },
    600_000,
  );
});
