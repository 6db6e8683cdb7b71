import { describeBackendConformance } from '@convroute/conformance/vitest';
import { describe, it } from 'vitest';
import { gpuBackendOrSkip } from './gpu.ts';

// Issue 14, fp16: the differential properties (random specs of every class, strata, named edge
// cases; seed printed, FC_SEED replays, FC_NUM_RUNS scales) at each f16 precision, every declared
// method held to the fp16 bound (docs/error-model.md, "fp16"); the undeclared methods must be
// refused with UNSUPPORTED_METHOD.
const probe = await gpuBackendOrSkip();
const hasF16 = probe?.acquired?.features.includes('shader-f16') ?? false;
probe?.dispose();
if (hasF16) {
  for (const precision of ['f16-storage', 'f16'] as const) {
    describeBackendConformance(`webgpu ${precision}`, async () => (await gpuBackendOrSkip({ precision }))!, {
      precision,
      ops: ['conv2d'],
      numRuns: Number(process.env.FC_NUM_RUNS ?? 8),
    });
  }
} else {
  describe.skip('conformance: webgpu f16 (no adapter with shader-f16)', () => it('skipped', () => {}));
}
