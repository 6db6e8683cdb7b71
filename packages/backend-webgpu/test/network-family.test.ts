import { fcParams, poolShapeResizeCaseArb, propertySeed, runSeed } from '@convroute/conformance';
import * as fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { gpuBackendOrSkip } from './gpu.ts';
import { expectFamilyConforms } from './network-reference.ts';

// The conformance package's own generator and model of pooling, reduction, shape and resize cases
// (data kinds float, specials, small integers; docs/error-model.md, "Pooling, reductions and
// resize"): the WebGPU kernels meet the same bounds as CPU fast mode.

const gpu = await gpuBackendOrSkip();
afterAll(() => gpu?.dispose());

describe.skipIf(!gpu)('webgpu on the conformance generator of pooling, shape and resize cases', () => {
  it('every case within the kernel bounds; every op of the family drawn', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(poolShapeResizeCaseArb, async ({ op, inputs, kind }) => {
        seen.add(op.op);
        expect(gpu!.methodsFor(op), op.op).toEqual([op.op]);
        await expectFamilyConforms(gpu!, op, inputs, `${op.op} (${kind} data)`);
      }),
      fcParams('webgpu pool/shape/resize family', { seed: propertySeed(runSeed(), 'webgpu pool/shape/resize family') }, 120),
    );
    if (!process.env.FC_NUM_RUNS) expect(seen.size).toBe(12);
  });
});
