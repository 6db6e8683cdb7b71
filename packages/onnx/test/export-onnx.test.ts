import { buildNetwork, ConvrouteError, GraphBuilder, NETWORK_NAMES } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { exportOnnx, loadOnnx } from '../src/index.ts';

describe('exportOnnx: a graph as ONNX with its weights, read back by loadOnnx', () => {
  it.each(NETWORK_NAMES)('%s (32x32): every node and constant survives the round trip', async (name) => {
    const graph = buildNetwork(name, { size: 32, classes: 10 });
    const back = await loadOnnx(exportOnnx(graph), { fuseActivations: false });
    expect(back.inputs).toEqual(graph.inputs);
    expect(back.outputs).toEqual(graph.outputs);
    expect(back.values.get('logits')!.shape).toEqual([1, 10]);
    const ops = (g: typeof graph) => g.nodes.map((n) => [n.output, n.op]).sort(([a], [b]) => String(a).localeCompare(String(b)));
    // Same op and spec for every value (the importer folds Clip's bound inputs back into attributes).
    expect(ops(back)).toEqual(ops(graph));
    for (const v of graph.values.values()) {
      if (v.kind !== 'constant') continue;
      const got = back.values.get(v.name);
      expect(got?.shape, v.name).toEqual(v.shape);
      // Bytewise (a deep toEqual over ResNet's 11M floats is slow).
      const bytes = (t: Float32Array) => Buffer.from(t.buffer, t.byteOffset, t.byteLength);
      expect(bytes(got!.tensor!.data).equals(bytes(v.tensor!.data)), v.name).toBe(true);
    }
  });

  it('refuses an op it cannot write, naming the node', () => {
    const b = new GraphBuilder();
    b.input('x', [1, 2, 4, 4]);
    b.resize('y', 'x', { mode: 'nearest', scales: [1, 1, 2, 2] });
    const g = b.output('y').build();
    let err: unknown;
    try {
      exportOnnx(g);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConvrouteError);
    expect((err as ConvrouteError).field).toBe('nodes.y.op');
    expect((err as ConvrouteError).code).toBe('UNSUPPORTED_OP');
  });

  it('an infinite clip bound is written as the float32 extreme', async () => {
    const b = new GraphBuilder();
    b.input('x', [1, 3]);
    b.clip('y', 'x', { min: 0 });
    const back = await loadOnnx(exportOnnx(b.output('y').build()));
    expect(back.nodes[0].op).toMatchObject({ op: 'clip', spec: { min: 0, max: 3.4028234663852886e38 } });
  });
});
