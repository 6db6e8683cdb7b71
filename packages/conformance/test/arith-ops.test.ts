import { createCpuBackend } from '@convroute/backend-cpu';
import { type Backend, GraphBuilder, type OpSpec, Tensor, uniformData } from '@convroute/core';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ARITH_OP_NAMES,
  type ArithCase,
  arithCaseArb,
  checkGraphPerNode,
  checkOp,
  dataSeedArb,
  fcParams,
  gemmInputs,
  gemmSpecArb,
  opReference,
} from '../src/index.ts';

// Issue 13: CPU fast mode held to CPU exact under each op's per-element bound
// (src/op-error-model.ts); a chain is checked node by node from each node's own inputs.
const fast = createCpuBackend({ mode: 'fast' });

describe('cpu fast against exact, per op', () => {
  for (const name of ARITH_OP_NAMES) {
    it(`${name}: every element within its bound`, async () => {
      let worst = 0;
      await fc.assert(
        fc.asyncProperty(arithCaseArb(name), async (c: ArithCase) => {
          const reports = await checkOp(fast, c.op, c.inputs);
          expect(reports.length).toBe(1);
          for (const r of reports) {
            expect(r.ok, r.message).toBe(true);
            worst = Math.max(worst, r.maxRatio);
          }
        }),
        fcParams(`cpu fast ${name}`, {}, 30),
      );
      console.log(`[conformance] cpu fast ${name}: worst error/bound ${worst.toPrecision(3)}`);
      expect(worst).toBeLessThanOrEqual(1);
    });
  }
});

describe('gemm with alpha, beta and broadcast biases', () => {
  it('cpu fast within the reordering bound of K + 3 terms; bitwise on small integers', async () => {
    await fc.assert(
      fc.asyncProperty(gemmSpecArb({ onnx: true }), dataSeedArb, fc.constantFrom('float' as const, 'small-int' as const), async (spec, seed, kind) => {
        const inputs = gemmInputs(spec, kind, seed);
        const [r] = await checkOp(fast, { op: 'gemm', spec }, inputs);
        expect(r.ok, r.message).toBe(true);
        if (kind === 'small-int') expect(r.maxRatio, 'small integers add exactly in any order').toBe(0);
      }),
      fcParams('cpu fast gemm onnx', {}, 40),
    );
  });
});

describe('special values: cpu fast reproduces every NaN and infinity of exact mode', () => {
  for (const name of ARITH_OP_NAMES) {
    it(name, async () => {
      await fc.assert(
        fc.asyncProperty(arithCaseArb(name, 'specials'), async (c: ArithCase) => {
          for (const r of await checkOp(fast, c.op, c.inputs)) expect(r.ok, r.message).toBe(true);
        }),
        fcParams(`cpu fast ${name} specials`, {}, 20),
      );
    });
  }
});

/** A backend that runs CPU fast but moves one op's results by `ulps` float32 ulps. */
function skewed(op: OpSpec['op'], ulps: number): Backend {
  return {
    ...fast,
    name: 'skewed',
    async run(o, m, inputs) {
      const y = await fast.run(o, m, inputs);
      if (o.op !== op) return y;
      return Tensor.fromData(
        y.data.map((v) => (v === 0 || !Number.isFinite(v) ? v : v * (1 + ulps * 2 ** -23))),
        y.shape,
      );
    },
  };
}

describe('the bounds are not vacuous', () => {
  it.each([
    ['sigmoid', 600],
    ['softmax', 400],
    ['div', 4],
    ['add', 1],
    ['hardswish', 40],
    ['batchnormalization', 200],
    ['matmul', 200],
  ] as const)('%s moved by %i ulps fails', async (name, ulps) => {
    // the first generated case with a nonzero output must fail
    const cases = fc.sample(arithCaseArb(name), { seed: 7, numRuns: 20 });
    let failed = 0;
    for (const c of cases) {
      const reports = await checkOp(skewed(name, ulps), c.op, c.inputs);
      const ref = await opReference(c.op, c.inputs);
      if (ref.y.data.some((v) => v !== 0 && Math.abs(v) > 1e-30)) failed += reports.some((r) => !r.ok) ? 1 : 0;
    }
    expect(failed).toBeGreaterThan(0);
  });
});

describe('a chain of ops is checked node by node', () => {
  it('conv, batchnorm, hardswish, add, softmax, mul, matmul: cpu fast within each node bound', async () => {
    const g = new GraphBuilder();
    g.input('x', [1, 3, 6, 6]);
    const c = (name: string, shape: number[], seed: number, lo = -1, hi = 1) =>
      g.constant(
        name,
        Tensor.fromData(
          uniformData(
            shape.reduce((p, d) => p * d, 1),
            seed,
            lo,
            hi,
          ),
          shape,
        ),
      );
    c('w', [4, 3, 3, 3], 1);
    c('scale', [4], 2);
    c('bias', [4], 3);
    c('mean', [4], 4);
    c('var', [4], 5, 0.1, 2);
    c('gain', [4, 1, 1], 6);
    c('mm', [6, 5], 7);
    g.conv2d('conv', 'x', 'w', undefined, { padding: 1 }, { method: 'im2col-gemm' });
    g.batchnormalization('bn', 'conv', { scale: 'scale', bias: 'bias', mean: 'mean', var: 'var' });
    g.unary('hardswish', 'hs', 'bn');
    g.add('res', 'hs', 'conv');
    g.softmax('prob', 'res', { axis: 1 });
    g.mul('scaled', 'prob', 'gain');
    g.matmul('out', 'scaled', 'mm');
    const graph = g.output('out').build();
    const x = Tensor.fromData(uniformData(108, 9, -3, 3), [1, 3, 6, 6]);
    const reports = await checkGraphPerNode(graph, fast, { x });
    expect(reports.map((r) => r.node)).toEqual(['conv', 'bn', 'hs', 'res', 'prob', 'scaled', 'out']);
    for (const { report } of reports) expect(report.ok, report.message).toBe(true);
    // and a node that is wrong is caught at that node, not only at the end
    const bad = await checkGraphPerNode(graph, skewed('softmax', 400), { x });
    expect(bad.filter((r) => !r.report.ok).map((r) => r.node)).toEqual(['prob']);
  });
});
