import { createCpuBackend } from '@convroute/backend-cpu';
import { describe, expect, it } from 'vitest';
import { checkBackend, fcSettings } from '../src/index.ts';

// The CPU backend is fast: more runs than the default for GPU backends (FC_NUM_RUNS overrides).
const { numRuns } = fcSettings({}, 100);

describe('checkBackend on the CPU backend', () => {
  it('exact mode is bitwise equal to the reference everywhere', async () => {
    const report = await checkBackend(createCpuBackend({ mode: 'exact' }), { bitwise: true, numRuns });
    console.log(report.summary);
    expect(report.ok, report.summary).toBe(true);
    for (const m of ['direct', 'pointwise', 'depthwise', 'transposed', 'im2col-gemm']) expect(report.coverage[`conv2d/${m}`]).toBeGreaterThan(0);
  });

  it('fast mode is within the error bound (bitwise on small integers)', async () => {
    const report = await checkBackend(createCpuBackend({ mode: 'fast' }), { numRuns });
    console.log(report.summary);
    expect(report.ok, report.summary).toBe(true);
  });
});
