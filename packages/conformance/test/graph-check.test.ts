import { createCpuBackend } from '@convroute/backend-cpu';
import { type Backend, GraphBuilder, type Method, type OpSpec, Tensor, uniformData } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { checkGraphNodes, relativeDifference } from '../src/index.ts';

/** A small conv net of the ops whose references conformance has: conv, max-pool, a fire-style
 * concat, global average pool, flatten and a gemm head. */
function smallNet() {
  const b = new GraphBuilder();
  const t = (name: string, shape: number[], seed: number, s = 0.5) =>
    b.constant(
      name,
      Tensor.fromData(
        uniformData(
          shape.reduce((a, d) => a * d, 1),
          seed,
          -s,
          s,
        ),
        shape,
      ),
    );
  b.input('x', [2, 3, 12, 12]);
  b.conv2d('c1', 'x', t('w1', [8, 3, 3, 3], 1), t('b1', [8], 2), { stride: 1, padding: 1 }, { method: 'direct' });
  b.maxpool('p1', 'c1', { kernel: 3, stride: 2, ceilMode: true });
  b.conv2d('e1', 'p1', t('we1', [4, 8, 1, 1], 3), undefined, {}, { method: 'im2col-gemm' });
  b.conv2d('e3', 'p1', t('we3', [4, 8, 3, 3], 4), undefined, { padding: 1 }, { method: 'direct' });
  b.concat('cat', ['e1', 'e3'], { axis: 1 });
  b.unary('globalaveragepool', 'gap', 'cat');
  b.flatten('flat', 'gap');
  b.gemm('logits', 'flat', t('fc', [5, 8], 5), t('fcb', [5], 6), { transB: true });
  const graph = b.output('logits').build();
  const feeds = { x: Tensor.fromData(uniformData(2 * 3 * 12 * 12, 7), [2, 3, 12, 12]) };
  const methods = new Map<string, Method>(graph.nodes.map((n) => [n.id, n.method === 'auto' ? (n.op.op as Method) : n.method]));
  return { graph, feeds, methods };
}

/** The CPU backend with one element of one node's op moved (the last element). */
function perturbed(mode: 'exact' | 'fast', op: OpSpec['op'], delta: (v: number) => number): Backend {
  const inner = createCpuBackend({ mode });
  return {
    name: 'faulty',
    description: `cpu ${mode} with one ${op} element perturbed`,
    methodsFor: (o) => inner.methodsFor(o),
    async run(o, m, inputs) {
      const out = await inner.run(o, m, inputs);
      if (o.op !== op) return out;
      const data = out.data.slice();
      data[data.length - 1] = delta(data[data.length - 1]);
      return Tensor.fromData(data, out.shape);
    },
  };
}

describe('checkGraphNodes: every node judged from its exact inputs', () => {
  it.each(['exact', 'fast'] as const)('cpu %s: every node within its bound; the final output matches the exact run', async (mode) => {
    const { graph, feeds, methods } = smallNet();
    const backend = createCpuBackend({ mode });
    const check = await checkGraphNodes(graph, feeds, backend, methods);
    expect(check.nodes.map((n) => n.node)).toEqual(graph.nodes.map((n) => n.id));
    for (const n of check.nodes) expect(n.report.ok, n.report.message).toBe(true);
    expect(check.ok).toBe(true);
    expect(check.exactOutputs.logits.shape).toEqual([2, 5]);
    // Exact mode is the reference itself: bitwise the same.
    if (mode === 'exact') for (const n of check.nodes) expect(n.report.maxRatio).toBe(0);
  });

  it('fails the node whose output leaves its bound, naming it, and judges later nodes from exact inputs', async () => {
    const { graph, feeds, methods } = smallNet();
    const check = await checkGraphNodes(
      graph,
      feeds,
      perturbed('fast', 'concat', (v) => v + 2 ** -20),
      methods,
    );
    expect(check.ok).toBe(false);
    const bad = check.nodes.filter((n) => !n.report.ok).map((n) => n.node);
    // concat is an exact copy: any change fails; gap and later nodes saw the exact concat.
    expect(bad).toEqual(['cat']);
    expect(check.nodes.find((n) => n.node === 'cat')!.report.message).toMatch(/faulty cat \(concat concat\)/);
  });

  it('a gemm head moved by many ulps fails; one the bound allows passes', async () => {
    const { graph, feeds, methods } = smallNet();
    const far = await checkGraphNodes(
      graph,
      feeds,
      perturbed('exact', 'gemm', (v) => v * (1 + 2 ** -10)),
      methods,
    );
    expect(far.nodes.filter((n) => !n.report.ok).map((n) => n.node)).toEqual(['logits']);
    const near = await checkGraphNodes(
      graph,
      feeds,
      perturbed('exact', 'gemm', (v) => Math.fround(v * (1 + 2 ** -23))),
      methods,
    );
    expect(near.ok).toBe(true);
  });

  it('an op conformance has no reference for (im2col) is a failure, not a pass', async () => {
    const b = new GraphBuilder();
    b.input('x', [1, 1, 2, 2]);
    b.im2col('y', 'x', { kernel: [1, 1] });
    const graph = b.output('y').build();
    const cpu = createCpuBackend({ mode: 'exact' });
    const check = await checkGraphNodes(graph, { x: Tensor.fromData([0, 1, 2, 3], [1, 1, 2, 2]) }, cpu, new Map([['y', 'im2col' as Method]]));
    expect(check.ok).toBe(false);
    expect(check.nodes[0].report.message).toMatch(/no exact reference and bound for im2col/);
  });

  it('the arithmetic ops of the networks: a wrong sigmoid, relu or add fails; the CPU passes', async () => {
    const b = new GraphBuilder();
    b.input('x', [1, 4]);
    b.unary('sigmoid', 's', 'x');
    b.unary('relu', 'r', 's');
    b.add('y', 'r', 'x');
    const graph = b.output('y').build();
    const feeds = { x: Tensor.fromData([-2, 0, 0.5, 3], [1, 4]) };
    const methods = new Map<string, Method>(graph.nodes.map((n) => [n.id, n.op.op as Method]));
    expect((await checkGraphNodes(graph, feeds, createCpuBackend({ mode: 'fast' }), methods)).ok).toBe(true);
    for (const op of ['sigmoid', 'relu', 'add'] as const) {
      const check = await checkGraphNodes(
        graph,
        feeds,
        perturbed('fast', op, (v) => v + 2 ** -10),
        methods,
      );
      expect(check.nodes.filter((n) => !n.report.ok).map((n) => n.op)).toEqual([op]);
    }
  });

  it('relativeDifference: max |a - e| / max |e|; NaN is infinitely far', () => {
    const e = Tensor.fromData([1, -4, 2], [3]);
    expect(relativeDifference(Tensor.fromData([1, -4, 2], [3]), e)).toBe(0);
    expect(relativeDifference(Tensor.fromData([1.5, -4, 2], [3]), e)).toBe(0.125);
    expect(relativeDifference(Tensor.fromData([Number.NaN, -4, 2], [3]), e)).toBe(Number.POSITIVE_INFINITY);
  });
});
