import { describe, expect, it } from 'vitest';
import { graphMethodEnum } from '../src/graph-method-enum.ts';
import { OP_INFERENCE } from '../src/graph-ops.ts';
import { ConvrouteError, GraphBuilder, loadGraphJson, OP_NAMES, opOutputShape, Tensor } from '../src/index.ts';

/** A graph that uses every op of issue 13 (the shapes of a small conv net's head and tail). */
function everyOpGraph() {
  const g = new GraphBuilder();
  g.input('x', [1, 4, 8, 8]);
  const c = (name: string, shape: number[]) => g.constant(name, Tensor.zeros(shape));
  c('w', [4, 4, 3, 3]);
  for (const p of ['s', 'b', 'm', 'v']) c(p, [4]);
  c('k', [1, 4, 1, 1]);
  c('fcw', [10, 8]);
  c('fcb', [10]);
  c('mmw', [10, 3]);
  g.conv2d('c1', 'x', 'w', undefined, { padding: 1 });
  g.batchnormalization('bn', 'c1', { scale: 's', bias: 'b', mean: 'm', var: 'v' }, { epsilon: 1e-3 });
  g.unary('relu', 'r', 'bn');
  g.clip('r6', 'r', { min: 0, max: 6 });
  g.add('a', 'r6', 'k');
  g.sub('sb', 'a', 'k');
  g.mul('ml', 'sb', 'k');
  g.div('dv', 'ml', 'k');
  g.unary('sigmoid', 'sg', 'dv');
  g.hardsigmoid('hs', 'sg', { alpha: 1 / 6 });
  g.unary('hardswish', 'hw', 'hs');
  g.leakyrelu('lr', 'hw', { alpha: 0.1 });
  g.unary('identity', 'id', 'lr');
  g.maxpool('mp', 'id', { kernel: 2, stride: 2 });
  g.averagepool('ap', 'mp', { kernel: 3, padding: 1, countIncludePad: true });
  g.pad('pd', 'ap', { pads: [0, 0, 1, 1, 0, 0, 1, 1] });
  g.resize('rs', 'pd', { scales: [1, 1, 0.5, 0.5], mode: 'linear', coordinateTransformationMode: 'pytorch_half_pixel' });
  g.concat('cc', ['rs', 'rs'], { axis: 1 });
  g.transpose('tp', 'cc', { perm: [0, 2, 3, 1] });
  g.reshape('rh', 'tp', { shape: [1, 0, -1] });
  g.unsqueeze('us', 'rh', { axes: [0] });
  g.squeeze('sq', 'us', { axes: [0] });
  g.flatten('fl', 'sq', { axis: 1 });
  g.reducemean('rm', 'cc', { axes: [2, 3], keepdims: false });
  g.unary('globalaveragepool', 'gp', 'cc');
  g.gemm('fc', 'rm', 'fcw', 'fcb', { transB: true, alpha: 0.5, beta: 2 });
  g.softmax('sm', 'fc', { axis: 1 });
  g.matmul('mm', 'sm', 'mmw');
  return g.output('mm', 'fl', 'gp');
}

describe('graph nodes of every op', () => {
  it('infers every output shape', () => {
    const graph = everyOpGraph().build();
    const shape = (v: string) => graph.values.get(v)!.shape;
    expect(shape('bn')).toEqual([1, 4, 8, 8]);
    expect(shape('mp')).toEqual([1, 4, 4, 4]);
    expect(shape('ap')).toEqual([1, 4, 4, 4]);
    expect(shape('pd')).toEqual([1, 4, 6, 6]);
    expect(shape('rs')).toEqual([1, 4, 3, 3]);
    expect(shape('cc')).toEqual([1, 8, 3, 3]);
    expect(shape('tp')).toEqual([1, 3, 3, 8]);
    expect(shape('rh')).toEqual([1, 3, 24]);
    expect(shape('us')).toEqual([1, 1, 3, 24]);
    expect(shape('fl')).toEqual([1, 72]);
    expect(shape('rm')).toEqual([1, 8]);
    expect(shape('gp')).toEqual([1, 8, 1, 1]);
    expect(shape('mm')).toEqual([1, 3]);
    for (const n of graph.nodes) expect(opOutputShape(n.op)).toEqual(shape(n.output));
    // Every op of the contract appears, and each has its inference entry and its one method.
    expect(new Set(graph.nodes.map((n) => n.op.op))).toEqual(new Set(OP_NAMES.filter((o) => o !== 'im2col')));
    expect(Object.keys(OP_INFERENCE).sort()).toEqual([...OP_NAMES].sort());
    for (const op of OP_NAMES) if (op !== 'conv2d') expect(graphMethodEnum()).toContain(op);
  });

  it('graph JSON takes the same attrs (clip bounds may be null)', async () => {
    const doc = {
      format: 'convroute-graph',
      version: 1,
      inputs: [{ name: 'x', shape: [2, 3, 4, 4] }],
      constants: [{ name: 'one', shape: [], data: [1] }],
      nodes: [
        { id: 'a', op: 'add', inputs: ['x', 'one'], output: 'y1' },
        { id: 'c', op: 'clip', inputs: ['y1'], output: 'y2', attrs: { min: null, max: 6 } },
        { id: 'p', op: 'maxpool', inputs: ['y2'], output: 'y3', attrs: { kernel: 2, stride: 2, ceilMode: true }, method: 'maxpool' },
        { id: 'r', op: 'reshape', inputs: ['y3'], output: 'y4', attrs: { shape: [2, -1] } },
        { id: 's', op: 'softmax', inputs: ['y4'], output: 'y5', attrs: { axis: -1 } },
        { id: 'cat', op: 'concat', inputs: ['y5', 'y5', 'y5'], output: 'y6', attrs: { axis: 0 } },
      ],
      outputs: ['y6'],
    };
    const g = await loadGraphJson(doc);
    expect(g.values.get('y6')!.shape).toEqual([6, 12]);
    expect(g.nodes[1].op).toMatchObject({ op: 'clip', spec: { min: -Infinity, max: 6 } });
  });

  it('refuses wrong arity, unknown keys, missing required attrs and bad shapes, naming the node', async () => {
    const base = () => {
      const g = new GraphBuilder();
      g.input('x', [1, 4, 4, 4]);
      return g;
    };
    const refused = (build: (g: GraphBuilder) => void, code: string, field: RegExp) => {
      const g = base();
      build(g);
      try {
        g.build();
      } catch (e) {
        expect(e).toBeInstanceOf(ConvrouteError);
        expect((e as ConvrouteError).code).toBe(code);
        expect((e as ConvrouteError).field).toMatch(field);
        return;
      }
      throw new Error('graph was accepted');
    };
    refused((g) => g.output(g.concat('y', [], { axis: 0 })), 'INVALID_GRAPH', /nodes\[0\]\.inputs/);
    refused((g) => g.output(g.clip('y', 'x', { lo: 0 } as object)), 'INVALID_ATTRIBUTE', /nodes\[0\]\.attrs\.lo/);
    refused((g) => g.output(g.softmax('y', 'x', { axis: 4 })), 'INVALID_ATTRIBUTE', /nodes\[0\]\.axis/);
    refused((g) => g.output(g.maxpool('y', 'x', { kernel: 5 })), 'EMPTY_OUTPUT', /nodes\[0\]\.maxpool\.output/);
    refused((g) => g.output(g.concat('y', ['x', 'x'], { axis: 5 })), 'INVALID_ATTRIBUTE', /nodes\[0\]\.axis/);
    refused(
      (g) => {
        g.constant('c', Tensor.zeros([3]));
        g.output(g.batchnormalization('y', 'x', { scale: 'c', bias: 'c', mean: 'c', var: 'c' }));
      },
      'SHAPE_MISMATCH',
      /nodes\[0\]\.inputs\[1\]/,
    );
    refused(
      (g) => {
        g.constant('w', Tensor.zeros([4, 3]));
        g.constant('c', Tensor.zeros([2, 3]));
        g.reshape('x2', 'x', { shape: [16, 4] });
        g.output(g.gemm('y', 'x2', 'w', 'c'));
      },
      'SHAPE_MISMATCH',
      /nodes\[1\]\.bias/,
    );
    const json = (node: object) => ({ format: 'convroute-graph', version: 1, inputs: [{ name: 'x', shape: [1, 4, 4, 4] }], nodes: [node], outputs: ['y'] });
    await expect(loadGraphJson(json({ id: 'n', op: 'add', inputs: ['x', 'x', 'x'], output: 'y' }))).rejects.toMatchObject({
      code: 'INVALID_GRAPH',
      field: 'nodes[0].inputs',
      rule: 'add takes 2 inputs',
    });
    await expect(loadGraphJson(json({ id: 'n', op: 'concat', inputs: ['x'], output: 'y' }))).rejects.toMatchObject({
      code: 'INVALID_GRAPH',
      field: 'nodes.0.attrs',
      rule: 'schema: is required',
    });
    await expect(loadGraphJson(json({ id: 'n', op: 'pad', inputs: ['x'], output: 'y', attrs: { pads: [1], mode: 'edge' } }))).rejects.toMatchObject({
      code: 'INVALID_GRAPH',
      field: 'nodes.0.attrs (mode)',
    });
    await expect(loadGraphJson(json({ id: 'n', op: 'relu', inputs: ['x'], output: 'y', method: 'sigmoid' }))).rejects.toMatchObject({
      code: 'INVALID_GRAPH',
      field: 'nodes[0].method',
    });
    await expect(loadGraphJson(json({ id: 'n', op: 'relu', inputs: ['x'], output: 'y', method: 'direct' }))).rejects.toMatchObject({ code: 'INVALID_GRAPH' });
  });
});
