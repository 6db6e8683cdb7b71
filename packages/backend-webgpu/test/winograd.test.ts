import { compareWithBound, conv2dInputs, type DataKind, ERROR_MODELS, referenceConv2d, winogradBounds } from '@convroute/conformance';
import { describeBackendConformance } from '@convroute/conformance/vitest';
import {
  type Backend,
  type Conv2dSpecInit,
  ConvrouteError,
  conv2dReductionLength,
  conv2dSpec,
  isWinogradMethod,
  type OpSpec,
  type Tensor,
  WINOGRAD_METHODS,
  type WinogradMethod,
} from '@convroute/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { WebGpuBackend } from '../src/index.ts';
import { gpuBackendOrSkip } from './gpu.ts';

// Issue 14: Winograd F(2,3) and F(4,3) on WebGPU, held to docs/winograd-bound.md's bound by the
// conformance kit (cases drawn from the descriptors' 3x3 stride-1 geometry, seed printed, FC_SEED
// replays) and by hand cases that reach every generated variant: input and output transforms per
// method, bias and each activation, the direct path of non-finite tiles, partial tiles, groups,
// batch, GEMMs with and without vec4 B and subgroup blocks, and grids split by the runtime.
const backend = await gpuBackendOrSkip();
const split = backend ? await gpuBackendOrSkip({ device: backend.acquired!.device, ownDevice: false, maxWorkgroupsPerDimension: 3 }) : null;
afterAll(() => {
  split?.dispose();
  backend?.dispose();
});

/** The backend restricted to its Winograd methods (conformance.test.ts holds the others): every
 * other method refused with UNSUPPORTED_METHOD, as the kit requires of undeclared methods. */
function winogradOnly(be: WebGpuBackend): Backend {
  const only = (op: OpSpec) => be.methodsFor(op).filter((m) => op.op !== 'conv2d' || isWinogradMethod(m));
  return {
    name: be.name,
    description: `${be.description}, Winograd methods only`,
    methodsFor: only,
    run: async (op, method, inputs) => {
      if (!only(op).includes(method)) throw new ConvrouteError('UNSUPPORTED_METHOD', 'method', method, 'this test backend runs the Winograd methods only');
      return be.run(op, method, inputs);
    },
    dispose: () => be.dispose(),
  };
}

if (backend) {
  // Its own backend on the shared device: the helper disposes it when its block ends.
  describeBackendConformance(
    'webgpu Winograd methods',
    async () => winogradOnly((await gpuBackendOrSkip({ device: backend.acquired!.device, ownDevice: false }))!),
    {
      numRuns: Number(process.env.FC_NUM_RUNS ?? 6),
      timeout: 600_000,
      specs: { method: 'winograd-4x3' },
      ops: ['conv2d'],
      edgeCases: ['long reduction K = 4608', 'near overflow, within the bound', 'overflow to infinity'],
    },
  );
}

/** Runs `method` and holds it to its own bound against the exact reference; returns the report. */
async function expectWithinBound(be: WebGpuBackend, method: WinogradMethod, init: Conv2dSpecInit, kind: DataKind, seed = 1, inputs?: Tensor[]) {
  const spec = conv2dSpec(init);
  const xs = inputs ?? conv2dInputs(spec, kind, seed);
  const ref = await referenceConv2d(spec, xs);
  const y = await be.run({ op: 'conv2d', spec }, method, xs);
  const n = conv2dReductionLength(spec);
  const bounds = winogradBounds(method, spec, xs, ref.y, ref.abs, n);
  const r = compareWithBound(y, ref.y, ref.abs, n, {
    model: ERROR_MODELS.winograd,
    bounds,
    inputsFinite: kind !== 'specials',
    shape: y.shape,
    label: `webgpu ${method}`,
  });
  expect(r.ok, r.message).toBe(true);
  return r;
}

const CASES: [string, Conv2dSpecInit][] = [
  ['bias, relu, partial tiles', { input: [1, 3, 7, 9], weight: [5, 3, 3, 3], padding: 1, bias: true, activation: 'relu' }],
  ['clamp, no bias, batch 2, tiles % 4 == 0', { input: [2, 4, 8, 8], weight: [6, 4, 3, 3], padding: 1, activation: { kind: 'clamp', min: -1, max: 1 } }],
  ['groups 2, asymmetric padding', { input: [1, 6, 10, 7], weight: [4, 3, 3, 3], groups: 2, padding: [2, 0, 1, 3], bias: true }],
  ['depthwise', { input: [1, 5, 9, 9], weight: [5, 1, 3, 3], groups: 5, padding: 1 }],
  ['subgroup GEMM (C_out/g 32, C_in/g 32)', { input: [1, 32, 12, 12], weight: [32, 32, 3, 3], padding: 1, bias: true }],
  ['subgroup GEMM, tiles not a multiple of 4', { input: [1, 32, 10, 10], weight: [16, 32, 3, 3], bias: true, activation: 'relu' }],
];

// Each case builds new pipelines (lavapipe compiles at the first dispatch): minutes on a loaded
// 2-core machine.
const TIMEOUT = 600_000;

describe.skipIf(!backend)('webgpu Winograd hand cases (within the Winograd bound)', () => {
  for (const method of WINOGRAD_METHODS) {
    it.each(CASES)(
      `${method}: %s`,
      async (_, init) => {
        await expectWithinBound(backend!, method, init, 'float', 3);
        await expectWithinBound(backend!, method, init, 'specials', 4); // non-finite tiles summed directly
      },
      TIMEOUT,
    );

    it(
      `${method}: grids split along y and z by the runtime (3 workgroups per dimension)`,
      async () => {
        await expectWithinBound(split!, method, { input: [5, 4, 9, 9], weight: [7, 4, 3, 3], padding: 1, bias: true }, 'float', 5);
      },
      TIMEOUT,
    );

    it(
      `${method}: filters transformed once per weight in a scope; a mutated weight gives the new answer`,
      async () => {
        const spec = conv2dSpec({ input: [1, 4, 6, 6], weight: [8, 4, 3, 3], padding: 1, bias: true });
        const xs = conv2dInputs(spec, 'float', 9);
        const scope = backend!.openRunScope();
        try {
          await scope.run({ op: 'conv2d', spec }, method, xs);
          await scope.run({ op: 'conv2d', spec }, method, xs);
          // The transformed filters, the raw weights (the direct path's) and the bias: once each.
          expect(scope.weights.size).toBe(3);
        } finally {
          scope.close();
        }
        xs[1].data.fill(0);
        xs[2].data.fill(2);
        const y = await backend!.run({ op: 'conv2d', spec }, method, xs);
        expect(y.data.every((v) => v === 2)).toBe(true);
      },
      TIMEOUT,
    );
  }
});
