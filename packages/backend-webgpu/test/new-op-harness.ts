import type { Dispatch, GpuArray, WebGpuBackend } from '../src/index.ts';

/** Uploads `inputs`, runs the dispatches `build` makes into a fresh output of `count` floats
 * (NaN-poisoned, so an element no invocation writes shows), reads it back, frees everything. */
export async function runKernel(
  backend: WebGpuBackend,
  inputs: readonly Float32Array[],
  count: number,
  build: (xs: GpuArray[], y: GpuArray) => Promise<Dispatch[]>,
): Promise<Float32Array> {
  const rt = backend.runtime;
  const xs = inputs.map((d) => rt.upload(d));
  const y = rt.alloc(count, true);
  const ds = await build(xs, y);
  try {
    await rt.execute(ds);
    return await rt.read(y, count);
  } finally {
    for (const d of ds) rt.releaseDispatch(d);
    for (const x of xs) rt.release(x);
    rt.release(y);
  }
}
