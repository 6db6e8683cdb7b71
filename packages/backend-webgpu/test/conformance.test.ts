import { describeBackendConformance } from '@convroute/conformance/vitest';
import { describe, it } from 'vitest';
import { gpuBackendOrSkip } from './gpu.ts';

// Differential properties over specs of every class (fast-check, seed printed, FC_SEED replays,
// FC_NUM_RUNS scales) and the named edge cases, each method against the exact CPU reference:
// within docs/error-model.md's bound on float data, bitwise on small integers. Outputs are poisoned with
// NaN before every kernel, so an unwritten element fails.
const backend = await gpuBackendOrSkip();
if (backend) {
  describeBackendConformance('webgpu', () => backend, { numRuns: Number(process.env.FC_NUM_RUNS ?? 12) });
} else {
  describe.skip('conformance: webgpu (no adapter)', () => it('skipped', () => {}));
}
