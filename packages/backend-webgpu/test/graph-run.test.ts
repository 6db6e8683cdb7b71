import { type Graph, GraphBuilder, isConvrouteError, prepareGraph, type RunResult, runGraph, Tensor, uniformData } from '@convroute/core';
import { afterAll, describe, expect, it } from 'vitest';
import { gpuBackendOrSkip } from './gpu.ts';

// Issue 13, "Execution": a graph runs device-resident on WebGPU (values in pooled GPU buffers
// between nodes, freed after their last use, only the outputs read back), and prepareGraph
// uploads the constants and compiles once.
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

/** Every conv method and the gemm op, a value used twice (c1, g1), a constant used twice (w3, B1),
 * two branches, and an input that is also an output. */
function network(): Graph {
  const g = new GraphBuilder();
  g.input('x', [1, 4, 8, 8]);
  g.input('a', [4, 8]);
  g.constant('w1', t([8, 4, 3, 3], 1));
  g.constant('b1', t([8], 2));
  g.constant('w2', t([8, 8, 1, 1], 3));
  g.constant('w3', t([8, 8, 3, 3], 4));
  g.constant('wd', t([8, 1, 3, 3], 5));
  g.constant('wt', t([8, 4, 2, 2], 6));
  g.constant('B1', t([8, 8], 7));
  g.constant('B2', t([8, 4], 8));
  g.constant('bb', t([4], 9));
  g.conv2d('c1', 'x', 'w1', 'b1', { padding: 1, activation: 'relu' }, { method: 'direct' });
  g.conv2d('c2', 'c1', 'w2', undefined, {}, { method: 'pointwise' });
  g.conv2d('c3', 'c1', 'w3', undefined, { padding: 1 }, { method: 'im2col-gemm' });
  g.conv2d('c4', 'c2', 'wd', undefined, { padding: 1, groups: 8 }, { method: 'depthwise' });
  g.conv2d('c5', 'c3', 'w3', undefined, { padding: 1, stride: 2 }, { method: 'implicit-gemm' });
  g.conv2d('c6', 'c5', 'wt', undefined, { transposed: true, stride: 2 }, { method: 'transposed' });
  g.gemm('g1', 'a', 'B1', undefined);
  g.gemm('g2', 'g1', 'B1', undefined);
  g.gemm('g3', 'g1', 'B2', 'bb', { activation: 'relu' });
  return g.output('c4', 'c6', 'g2', 'g3', 'a').build();
}

const feeds = (seed: number) => ({ x: t([1, 4, 8, 8], seed), a: t([4, 8], seed + 1) });

function expectSameBits(got: RunResult['outputs'], want: RunResult['outputs']): void {
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  for (const k of Object.keys(want)) {
    expect(got[k].shape, k).toEqual(want[k].shape);
    expect(new Uint32Array(got[k].data.buffer.slice(0)), k).toEqual(new Uint32Array(want[k].data.slice().buffer));
  }
}

describe.skipIf(!backend)('webgpu device-resident graphs', () => {
  it('give the same bits as the node-by-node path, with a record per node', async () => {
    const graph = network();
    const f = feeds(11);
    const perNode = await runGraph(graph, backend!, f, { deviceResident: false });
    const resident = await runGraph(graph, backend!, f);
    expectSameBits(resident.outputs, perNode.outputs);
    expect(resident.outputs.a).toBe(f.a);
    expect(resident.records.map((r) => [r.node, r.method])).toEqual(perNode.records.map((r) => [r.node, r.method]));
    for (const r of resident.records) {
      expect(r.timeMs).toBeCloseTo(r.compileMs + r.runMs, 6);
      expect(r.fused).toBeUndefined();
    }
  });

  it('read back only the outputs and return every buffer after a run', async () => {
    const graph = network();
    await runGraph(graph, backend!, feeds(1)); // pipelines and pool warm
    const rt = backend!.runtime;
    const [inUse, reads] = [rt.pool.inUse, rt.readBacks];
    await runGraph(graph, backend!, feeds(2));
    // c4, c6, g2, g3 (a is an input: returned as given).
    expect(rt.readBacks - reads).toBe(4);
    expect(rt.pool.inUse).toBe(inUse);
  });

  it('a graph run refuses bad values with typed errors and frees everything at close', async () => {
    const rt = backend!.runtime;
    const inUse = rt.pool.inUse;
    const run = backend!.openGraphRun!();
    const op = network().nodes[0].op;
    const x = run.upload(t([1, 4, 8, 8], 1));
    const w = run.upload(t([8, 4, 3, 3], 2));
    const b = run.upload(t([8], 3));
    await expect(run.add(op, 'direct', [x, b, w])).rejects.toMatchObject({ code: 'SHAPE_MISMATCH', field: 'conv2d.weight' });
    await expect(run.add(op, 'depthwise', [x, w, b])).rejects.toMatchObject({ code: 'UNSUPPORTED_METHOD' });
    const y = await run.add(op, 'direct', [x, w, b]); // added, never executed
    await expect(run.add(op, 'direct', [x, w, b], { residual: x })).rejects.toMatchObject({ code: 'SHAPE_MISMATCH', field: 'epilogue.residual' });
    run.free(x);
    await expect(run.add(op, 'direct', [x, w, b])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'inputs[0]' });
    const other = backend!.openGraphRun!();
    expect(() => other.free(y)).toThrow(/not a value of this graph run/);
    other.close();
    run.close();
    run.close();
    expect(rt.pool.inUse).toBe(inUse);
    expect(() => run.upload(t([2], 1))).toThrow(/CLOSED/);
  });

  it('prepared: runs with different feeds give the per-node answers; release returns every buffer', async () => {
    const graph = network();
    const rt = backend!.runtime;
    const inUse = rt.pool.inUse;
    const prepared = await prepareGraph(graph, backend!);
    expect(prepared.records.map((r) => r.node)).toEqual(graph.nodes.map((n) => n.id));
    const compiles = rt.pipelineCount;
    for (const seed of [21, 22, 21]) {
      const f = feeds(seed);
      const reads = rt.readBacks;
      const got = await prepared.run(f);
      expect(rt.readBacks - reads).toBe(4);
      expectSameBits(got.outputs, (await runGraph(graph, backend!, f, { deviceResident: false })).outputs);
    }
    expect(rt.pipelineCount).toBe(compiles);
    prepared.release();
    prepared.release();
    expect(rt.pool.inUse).toBe(inUse);
    await expect(prepared.run(feeds(1))).rejects.toSatisfy((e) => isConvrouteError(e, 'CLOSED'));
  });

  it('prepared: a constant changed after prepare changes a plain run, not the prepared one', async () => {
    const graph = network();
    const f = feeds(31);
    const prepared = await prepareGraph(graph, backend!);
    try {
      const before = await runGraph(graph, backend!, f);
      graph.values.get('w1')!.tensor!.data.fill(0.25);
      graph.values.get('B1')!.tensor!.data.fill(-0.5);
      const plain = await runGraph(graph, backend!, f);
      const kept = await prepared.run(f);
      expectSameBits(kept.outputs, before.outputs);
      for (const k of ['c4', 'c6', 'g2', 'g3']) expect(Array.from(plain.outputs[k].data)).not.toEqual(Array.from(before.outputs[k].data));
      const again = await prepareGraph(graph, backend!);
      expectSameBits((await again.run(f)).outputs, plain.outputs);
      again.release();
    } finally {
      prepared.release();
    }
  });

  /** y = conv(x, conv(w0, k)): the second conv's weights are computed by the graph. */
  function computedWeights(method: 'direct' | 'im2col-gemm'): Graph {
    const g = new GraphBuilder();
    g.input('x', [1, 4, 6, 6]);
    g.input('w0', [8, 4, 5, 5]);
    g.constant('k', t([4, 4, 3, 3], 41));
    g.conv2d('w', 'w0', 'k', undefined, {}, { method: 'im2col-gemm' });
    g.conv2d('y', 'x', 'w', undefined, { padding: 1 }, { method });
    return g.output('y').build();
  }

  it('weights computed by the graph: direct reads them back once to repack; a prepared graph refuses that', async () => {
    const f = { x: t([1, 4, 6, 6], 42), w0: t([8, 4, 5, 5], 43) };
    const rt = backend!.runtime;
    const graph = computedWeights('direct');
    const perNode = await runGraph(graph, backend!, f, { deviceResident: false });
    const reads = rt.readBacks;
    expectSameBits((await runGraph(graph, backend!, f)).outputs, perNode.outputs);
    expect(rt.readBacks - reads).toBe(2);
    const inUse = rt.pool.inUse;
    await expect(prepareGraph(graph, backend!)).rejects.toMatchObject({ code: 'UNSUPPORTED_METHOD', field: 'inputs[1]' });
    expect(rt.pool.inUse).toBe(inUse);
    const raw = computedWeights('im2col-gemm');
    const prepared = await prepareGraph(raw, backend!);
    try {
      expectSameBits((await prepared.run(f)).outputs, (await runGraph(raw, backend!, f, { deviceResident: false })).outputs);
    } finally {
      prepared.release();
    }
  });

  it('prepared: weights given as inputs are repacked by every run (direct, transposed)', async () => {
    const g = new GraphBuilder();
    g.input('x', [1, 4, 6, 6]);
    g.input('w', [8, 4, 3, 3]);
    g.input('wt', [8, 4, 2, 2]);
    g.conv2d('h', 'x', 'w', undefined, { padding: 1 }, { method: 'direct' });
    g.conv2d('y', 'h', 'wt', undefined, { transposed: true, stride: 2 }, { method: 'transposed' });
    const graph = g.output('y').build();
    const prepared = await prepareGraph(graph, backend!);
    try {
      for (const seed of [51, 52]) {
        const f = { x: t([1, 4, 6, 6], seed), w: t([8, 4, 3, 3], seed + 1), wt: t([8, 4, 2, 2], seed + 2) };
        expectSameBits((await prepared.run(f)).outputs, (await runGraph(graph, backend!, f, { deviceResident: false })).outputs);
      }
    } finally {
      prepared.release();
    }
  });
});
