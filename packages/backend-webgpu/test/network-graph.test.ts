import { runGraph } from '@convroute/core';
import { afterAll, describe, expect, it } from 'vitest';
import { gpuBackendOrSkip } from './gpu.ts';
import { networkGraph } from './network-graph-fixture.ts';
import { tensor } from './network-reference.ts';

// The network kernels inside a device-resident graph run (values stay in GPU buffers between
// nodes, freed buffers reused within the run): the same bits as node by node through
// Backend.run, where each kernel is held to its bound by the other network-*.test.ts files.

const gpu = await gpuBackendOrSkip();
afterAll(() => gpu?.dispose());

describe.skipIf(!gpu)('network kernels in a device-resident graph run', () => {
  it('gives the same bits as node by node, and only the outputs are read back', async () => {
    const graph = networkGraph();
    const feeds = { x: tensor([1, 4, 12, 12], 42) };
    const before = gpu!.runtime.readBacks;
    const resident = await runGraph(graph, gpu!, feeds);
    const readBacks = gpu!.runtime.readBacks - before;
    const perNode = await runGraph(graph, gpu!, feeds, { deviceResident: false });
    for (const name of ['prob', 'hs']) {
      expect([...resident.outputs[name].data], name).toEqual([...perNode.outputs[name].data]);
      expect(resident.outputs[name].data.every(Number.isFinite), name).toBe(true);
    }
    expect(readBacks).toBe(2);
    const sum = resident.outputs.prob.data.reduce((s, v) => s + v, 0);
    expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
  });
});
