import { ARITH_OP_NAMES, arithCaseArb, checkGraphPerNode, checkOp, fcParams, gemmInputs, gemmSpecArb, propertySeed, runSeed } from '@convroute/conformance';
import { GraphBuilder, Tensor } from '@convroute/core';
import * as fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { gpuBackendOrSkip } from './gpu.ts';
import { tensor } from './network-reference.ts';

// The WebGPU kernels of the arithmetic ops under conformance's per-op error model
// (docs/error-model.md, "Issue 13's ops"): the model every backend is judged by, on its own
// generator of cases, and node by node through a whole graph.

const gpu = await gpuBackendOrSkip();
afterAll(() => gpu?.dispose());

describe.skipIf(!gpu)('webgpu arithmetic ops under the conformance error model', () => {
  for (const name of ARITH_OP_NAMES) {
    it(`${name}: random cases within the op's bound`, async () => {
      await fc.assert(
        fc.asyncProperty(arithCaseArb(name), async ({ op, inputs }) => {
          const reports = await checkOp(gpu!, op, inputs);
          expect(reports.length, `${name} has a WebGPU method`).toBe(1);
          for (const r of reports) expect(r.ok, r.message).toBe(true);
        }),
        fcParams(`webgpu ${name} (op error model)`, { seed: propertySeed(runSeed(), `webgpu ${name} (op error model)`) }, 15),
      );
    });
  }

  it('ONNX gemm (alpha, beta, broadcast biases) within the gemm bound', async () => {
    await fc.assert(
      fc.asyncProperty(gemmSpecArb({ onnx: true }), fc.nat(1000), async (spec, seed) => {
        const reports = await checkOp(gpu!, { op: 'gemm', spec }, gemmInputs(spec, 'float', seed));
        for (const r of reports) expect(r.ok, r.message).toBe(true);
      }),
      fcParams('webgpu onnx gemm (op error model)', { seed: propertySeed(runSeed(), 'webgpu onnx gemm (op error model)') }, 15),
    );
  });

  it('a chain of arithmetic ops node by node: each node within its bound on the inputs WebGPU produced', async () => {
    // checkGraphPerNode covers the arithmetic ops (conformance's op error model); pooling, shape
    // and resize nodes are judged per op in network-family.test.ts.
    const g = new GraphBuilder();
    const c = (name: string, shape: number[], seed: number) => g.constant(name, tensor(shape, seed, { maxExponent: 3 }));
    const pos = (name: string, seed: number) =>
      g.constant(
        name,
        Tensor.fromData(
          tensor([6], seed).data.map((v) => Math.abs(v) + 0.5),
          [6],
        ),
      );
    g.input('x', [2, 6, 5]);
    g.mul('a', 'x', c('k', [6, 1], 1), { method: 'mul' });
    g.add('b', 'a', c('k2', [5], 2), { method: 'add' });
    g.batchnormalization(
      'bn',
      'b',
      { scale: c('s', [6], 3), bias: c('bb', [6], 4), mean: c('m', [6], 5), var: pos('v', 6) },
      {},
      { method: 'batchnormalization' },
    );
    g.unary('hardswish', 'hs', 'bn', { method: 'hardswish' });
    g.leakyrelu('lr', 'hs', { alpha: 0.1 }, { method: 'leakyrelu' });
    g.matmul('mm', 'lr', c('w', [5, 7], 7), { method: 'matmul' });
    g.div('dv', 'mm', c('dd', [7], 9), { method: 'div' });
    g.softmax('sm', 'dv', { axis: 1 }, { method: 'softmax' });
    g.unary('sigmoid', 'sg', 'sm', { method: 'sigmoid' });
    g.clip('y', 'sg', { min: 0.2, max: 0.7 }, { method: 'clip' });
    g.output('y');
    const reports = await checkGraphPerNode(g.build(), gpu!, { x: tensor([2, 6, 5], 42) });
    for (const { node, report } of reports) expect(report.ok, `${node}: ${report.message}`).toBe(true);
    expect(reports.map((r) => r.node)).toEqual(['a', 'b', 'bn', 'hs', 'lr', 'mm', 'dv', 'sm', 'sg', 'y']);
  });
});
