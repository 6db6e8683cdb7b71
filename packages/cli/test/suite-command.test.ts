import { describe, expect, it } from 'vitest';
import { convroute } from './cli-helpers.ts';

const gpuEnv = { VK_ICD_FILENAMES: '/usr/share/vulkan/icd.d/lvp_icd.json', LP_NUM_THREADS: '1' };

describe('convroute suite: compile time apart from run time', () => {
  // Was: one "ms" column with the pipeline build in it (a 1 ms layer printed 1,101 ms) and
  // GFLOP/s computed from it.
  it('reports compileMs and runMs per layer, GFLOP/s from the run time only', () => {
    const r = convroute(['suite', '--suite', 'resnet18', '--backend', 'webgpu', '--max-macs', '7000000', '--json'], gpuEnv);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      backend: { kind: string };
      layers: { layer: string; timeMs: number; compileMs: number; runMs: number; gflops: number }[];
    };
    expect(doc.layers.length).toBeGreaterThan(0);
    for (const l of doc.layers) {
      expect(l.runMs + l.compileMs).toBeCloseTo(l.timeMs, 6);
      expect(l.gflops * l.runMs * 1e6).toBeGreaterThan(0);
    }
    // The first layer builds its kernel's pipelines on the GPU.
    if (doc.backend.kind === 'webgpu') expect(doc.layers[0].compileMs).toBeGreaterThan(0);
  }, 180_000);

  it('prints run and compile columns', () => {
    const r = convroute(['suite', '--suite', 'resnet18', '--backend', 'cpu', '--max-macs', '7000000']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/│ run ms │ compile ms │ GFLOP\/s \(run\) │/);
    expect(r.stdout).toMatch(/│ 0\.00 {7}│/); // the CPU compiles nothing
  }, 180_000);
});
