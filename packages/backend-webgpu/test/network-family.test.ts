import { createCpuBackend } from '@convroute/backend-cpu';
import { fcParams, linearResizeBound, meanBound, poolShapeResizeCaseArb, propertySeed, runSeed } from '@convroute/conformance';
import { type OpSpec, shapeSize, type Tensor } from '@convroute/core';
import * as fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { gpuBackendOrSkip } from './gpu.ts';
import { absTensor, expectWithinBound, reference } from './network-reference.ts';

// The conformance package's own generator of pooling, reduction, shape and resize cases (data
// kinds float, specials, small integers), judged by the WebGPU kernels' bounds
// (docs/webgpu-op-bounds.md): an independent source of shapes and attributes for the kernels.

const gpu = await gpuBackendOrSkip();
const cpu = createCpuBackend({ mode: 'exact' });
afterAll(() => gpu?.dispose());

/** The number of terms of one output of a mean op (an upper bound for windows: the kernel size). */
function termCount(op: OpSpec): number | undefined {
  switch (op.op) {
    case 'averagepool':
      return op.spec.kernel[0] * op.spec.kernel[1];
    case 'globalaveragepool':
      return shapeSize(op.spec.input.slice(2));
    case 'reducemean':
      return op.spec.axes.reduce((t, d) => t * op.spec.input[d], 1);
    default:
      return undefined;
  }
}

async function boundFor(op: OpSpec, inputs: readonly Tensor[]): Promise<(i: number, ref: number) => number> {
  const n = termCount(op);
  const linear = op.op === 'resize' && op.spec.mode === 'linear';
  if (n === undefined && !linear) return () => 0; // copies: bitwise
  const abs = await reference(cpu, op, inputs.map(absTensor));
  if (linear) return (i, ref) => linearResizeBound(abs.data[i], ref);
  return (i, ref) => meanBound(n!, abs.data[i] * (1 + 2 ** -23), ref);
}

describe.skipIf(!gpu)('webgpu on the conformance generator of pooling, shape and resize cases', () => {
  it('every case within the kernel bounds; every op of the family drawn', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(poolShapeResizeCaseArb, async ({ op, inputs, kind }) => {
        seen.add(op.op);
        expect(gpu!.methodsFor(op), op.op).toEqual([op.op]);
        await expectWithinBound(gpu!, cpu, op, inputs, await boundFor(op, inputs), `${op.op} (${kind} data)`);
      }),
      fcParams('webgpu pool/shape/resize family', { seed: propertySeed(runSeed(), 'webgpu pool/shape/resize family') }, 120),
    );
    if (!process.env.FC_NUM_RUNS) expect(seen.size).toBe(12);
  });
});
