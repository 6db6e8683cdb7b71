import { afterAll, describe, expect, it } from 'vitest';
import { FMA_PEAK_SHAPES, fmaPeakFlopsPerInvocation, fmaPeakShapeName, fmaPeakWgsl } from '../src/index.ts';
import { gpuBackendOrSkip } from './gpu.ts';

const backend = await gpuBackendOrSkip();
afterAll(() => backend?.dispose());

/** The kernel's value for invocation `gid`, in float64: each chain is c -> c * m + 1e-3. */
function expected(shape: (typeof FMA_PEAK_SHAPES)[number], iters: number, gid: number): number {
  const ms = shape.width === 1 ? [0.9999] : [0.9999, 0.9998, 0.9997, 0.9996];
  const s = Math.fround(gid * Math.fround(1e-7));
  let total = 0;
  for (const m of ms)
    for (let i = 0; i < shape.chains; i++) {
      let c = s + i;
      for (let k = 0; k < iters * shape.block; k++) c = c * m + 1e-3;
      total += c;
    }
  return total;
}

describe.skipIf(!backend)('FMA ceiling kernel', () => {
  it.each(FMA_PEAK_SHAPES.map((s) => [fmaPeakShapeName(s), s] as const))('%s computes its chains', async (_, shape) => {
    const rt = backend!.runtime;
    const iters = 3;
    const groups = 2;
    const pipeline = await rt.pipeline(`test-fma:${fmaPeakShapeName(shape)}`, () => fmaPeakWgsl(shape, iters));
    const out = rt.alloc(shape.workgroupSize * groups, true);
    const d = rt.device;
    const bind = d.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out.buffer } }] });
    const enc = d.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(groups);
    pass.end();
    d.queue.submit([enc.finish()]);
    const got = await rt.read(out, shape.workgroupSize * groups);
    rt.release(out);
    for (const gid of [0, 1, shape.workgroupSize * groups - 1]) {
      const want = expected(shape, iters, gid);
      // float32 chains, fused or not: a few ulp of the sum
      expect(Math.abs(got[gid] - want)).toBeLessThan(1e-5 * Math.abs(want) + 1e-5);
    }
    expect(fmaPeakFlopsPerInvocation(shape, iters)).toBe(2 * shape.width * shape.chains * shape.block * iters);
  });
});
