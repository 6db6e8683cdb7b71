import { GraphBuilder, prepareGraph, runGraph, Tensor, uniformData } from '@convroute/core';
import { afterAll, describe, expect, it } from 'vitest';
import { registerOpKernel } from '../src/ops/op-kernels.ts';
import { gpuBackendOrSkip } from './gpu.ts';

// An op-kernel table entry may say its output is its input's data (OpKernel.aliasesInput): a graph
// run then shares the buffer and dispatches nothing, and frees it once every sharer is freed.
// flatten is registered so here, for this file only (each test file has its own module table).
registerOpKernel('flatten', { methods: () => ['flatten'], aliasesInput: () => true, plan: () => Promise.reject(new Error('an alias has no plan')) });

const backend = await gpuBackendOrSkip();
afterAll(() => backend?.dispose());

const t = (shape: number[], seed: number) =>
  Tensor.fromData(
    uniformData(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );
const bits = (x: Tensor) => Array.from(new Uint32Array(x.data.slice().buffer));

function head() {
  const g = new GraphBuilder();
  g.input('x', [1, 4, 6, 6]);
  g.constant('w', t([4, 4, 3, 3], 1));
  g.constant('B', t([144, 8], 2));
  g.conv2d('c', 'x', 'w', undefined, { padding: 1 }, { method: 'direct' });
  g.flatten('f', 'c');
  g.gemm('y', 'f', 'B', undefined);
  g.flatten('xf', 'x');
  return g.output('c', 'y', 'xf').build();
}

describe.skipIf(!backend)('webgpu aliasing kernels', () => {
  it('share the buffer: the same bits as node by node, no dispatch, every buffer back', async () => {
    const graph = head();
    const x = t([1, 4, 6, 6], 3);
    const perNode = await runGraph(graph, backend!, { x }, { deviceResident: false });
    expect(bits(perNode.outputs.xf)).toEqual(bits(x));
    const rt = backend!.runtime;
    await runGraph(graph, backend!, { x });
    const inUse = rt.pool.inUse;
    const resident = await runGraph(graph, backend!, { x });
    expect(rt.pool.inUse).toBe(inUse);
    for (const k of ['c', 'y', 'xf']) expect(bits(resident.outputs[k]), k).toEqual(bits(perNode.outputs[k]));
    expect(resident.outputs.xf.shape).toEqual([1, 144]);
    const prepared = await prepareGraph(graph, backend!);
    try {
      for (const seed of [4, 5]) {
        const xs = t([1, 4, 6, 6], seed);
        const want = await runGraph(graph, backend!, { x: xs }, { deviceResident: false });
        const got = await prepared.run({ x: xs });
        for (const k of ['c', 'y', 'xf']) expect(bits(got.outputs[k]), k).toEqual(bits(want.outputs[k]));
      }
    } finally {
      prepared.release();
    }
    expect(rt.pool.inUse).toBe(inUse);
  });

  it('keep the shared buffer until its last sharer is freed', async () => {
    const graph = head();
    const op = (id: string) => graph.nodes.find((n) => n.id === id)!.op;
    const data = t([1, 4, 6, 6], 6);
    const run = backend!.openGraphRun!();
    try {
      const x = run.upload(data);
      const w = run.upload(graph.values.get('w')!.tensor!);
      const f = await run.add(op('xf'), 'flatten', [x]);
      run.free(f);
      // A conv whose output has x's size: had x's buffer gone to the free list, the conv would
      // write over its own input.
      const c = await run.add(op('c'), 'direct', [x, w]);
      await run.execute('pending');
      expect(bits(await run.read(x))).toEqual(bits(data));
      const want = await backend!.run(op('c'), 'direct', [data, graph.values.get('w')!.tensor!]);
      expect(bits(await run.read(c))).toEqual(bits(want));
    } finally {
      run.close();
    }
  });
});
