import { gemmSpec, sampleStats, Tensor, timePrepared, uniformData } from '@convroute/core';
import type { Ceilings, Clock } from './format.ts';

type Backend = import('@convroute/backend-webgpu').WebGpuBackend;
type Runtime = Backend['runtime'];

/** 32 MiB per copy submission: a few ms at memory speed, far beyond any cache. */
const COPY_BYTES = 32 << 20;
/** A FMA dispatch grows until it runs this long: long enough to fill a large GPU, short enough for
 * lavapipe's submissions (dawn.node aborted on ~0.5 s ones, docs). */
const FMA_MIN_MS = 15;
/** Workgroups of a FMA dispatch at most: 65,535 x 4 in a 2-D grid of 4,096-wide rows. */
const FMA_MAX_GROUPS = 65535 * 4;

/** One submission, timed: GPU ms from timestamps at the pass's start and end where the device has
 * `timestamp-query` (compute passes only), and the wall clock until the queue reports it done. */
async function timeSubmission(
  rt: Runtime,
  encode: (enc: GPUCommandEncoder, tw?: GPUComputePassTimestampWrites) => void,
  compute: boolean,
): Promise<{ gpu: number | null; wall: number }> {
  const d = rt.device;
  const ts = compute && d.features.has('timestamp-query');
  const qs = ts ? d.createQuerySet({ type: 'timestamp', count: 2 }) : undefined;
  const resolve = ts ? d.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC }) : undefined;
  const read = ts ? d.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }) : undefined;
  const enc = d.createCommandEncoder();
  encode(enc, qs ? { querySet: qs, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } : undefined);
  if (qs && resolve && read) {
    enc.resolveQuerySet(qs, 0, 2, resolve, 0);
    enc.copyBufferToBuffer(resolve, 0, read, 0, 16);
  }
  const t0 = performance.now();
  d.queue.submit([enc.finish()]);
  await rt.wait(d.queue.onSubmittedWorkDone(), 'onSubmittedWorkDone');
  const wall = performance.now() - t0;
  let gpu: number | null = null;
  if (read) {
    await rt.wait(read.mapAsync(GPUMapMode.READ), 'mapAsync');
    const [a, b] = new BigUint64Array(read.getMappedRange().slice(0));
    read.unmap();
    // Within one tick (lavapipe's is 65.5 us) the difference is 0: no GPU time for this one.
    gpu = b > a ? Number(b - a) / 1e6 : null;
  }
  for (const x of [qs, resolve, read]) x?.destroy();
  return { gpu, wall };
}

/**
 * Peak FMA throughput: backend-webgpu's FMA kernel (independent chains hide latency) in every
 * shape it lists, each with a grid doubled until one dispatch runs FMA_MIN_MS, so a large GPU
 * gets enough workgroups to fill its cores (a fixed 256 read 11.7 of an H200's ~67 TFLOP/s) and
 * lavapipe a short dispatch. The best shape's median of `reps` dispatches after the sizing ones.
 */
async function fmaCeiling(rt: Runtime, reps: number) {
  const { FMA_PEAK_SHAPES, fmaPeakFlopsPerInvocation, fmaPeakShapeName, fmaPeakWgsl } = await import('@convroute/backend-webgpu');
  const runs: Record<string, { gflops: number; groups: number; clock: Clock }> = {};
  let best = { gflops: 0, flops: 0, samples: [] as number[], clock: 'queue' as Clock };
  for (const shape of FMA_PEAK_SHAPES) {
    const iters = Math.max(16, Math.round(1024 / shape.block));
    const name = fmaPeakShapeName(shape);
    const pipeline = await rt.pipeline(`fma:${name}:${iters}`, () => fmaPeakWgsl(shape, iters));
    const out = rt.alloc(shape.workgroupSize * 4096); // gid.x spans one 4,096-wide row of the grid
    const bind = rt.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out.buffer } }] });
    const dispatch = (groups: number) =>
      timeSubmission(
        rt,
        (enc, tw) => {
          const pass = enc.beginComputePass(tw ? { timestampWrites: tw } : {});
          pass.setPipeline(pipeline);
          pass.setBindGroup(0, bind);
          const x = Math.min(groups, 4096); // groups is 16 * 2^n: 4,096-wide rows cover it exactly
          pass.dispatchWorkgroups(x, groups / x);
          pass.end();
        },
        true,
      );
    let groups = 16;
    for (;;) {
      const t = await dispatch(groups);
      if ((t.gpu ?? t.wall) >= FMA_MIN_MS || groups * 2 > FMA_MAX_GROUPS) break;
      groups *= 2;
    }
    const gpu: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t = await dispatch(groups);
      wall.push(t.wall);
      if (t.gpu !== null) gpu.push(t.gpu);
    }
    rt.release(out);
    const clock: Clock = gpu.length === reps ? 'gpu-timestamp' : 'queue';
    const samples = clock === 'gpu-timestamp' ? gpu : wall;
    const flops = fmaPeakFlopsPerInvocation(shape, iters) * shape.workgroupSize * groups;
    const gflops = flops / sampleStats(samples).median / 1e6;
    runs[name] = { gflops, groups, clock };
    if (gflops > best.gflops) best = { gflops, flops, samples, clock };
  }
  return { best, runs };
}

/** A large buffer copy, timed by queue completion (timestamps exist only inside passes). */
async function copyCeiling(rt: Runtime, reps: number): Promise<number[]> {
  const src = rt.device.createBuffer({ size: COPY_BYTES, usage: GPUBufferUsage.COPY_SRC });
  const dst = rt.device.createBuffer({ size: COPY_BYTES, usage: GPUBufferUsage.COPY_DST });
  const copy: number[] = [];
  for (let i = 0; i < reps + 1; i++) {
    const r = await timeSubmission(rt, (enc) => enc.copyBufferToBuffer(src, 0, dst, 0, COPY_BYTES), false);
    if (i > 0) copy.push(r.wall); // the first warms up
  }
  src.destroy();
  dst.destroy();
  return copy;
}

/** Square GEMMs through the backend's own `prepare` (its GEMM kernel, the roof a conv lowered to
 * GEMM can reach): GFLOP/s at the median of queue completion, and of GPU timestamps where there. */
async function gemmRoofs(backend: Backend, sizes: readonly number[], reps: number): Promise<Ceilings['gemm']> {
  const out: NonNullable<Ceilings['gemm']> = {};
  for (const n of sizes) {
    const inputs = [Tensor.fromData(uniformData(n * n, 3), [n, n]), Tensor.fromData(uniformData(n * n, 4), [n, n])];
    const p = await backend.prepare({ op: 'gemm', spec: gemmSpec({ a: [n, n], b: [n, n] }) }, 'gemm', inputs);
    try {
      const o = { warmup: 1, reps, budgetMs: Number.POSITIVE_INFINITY };
      const queue = await timePrepared(p, { ...o, timestamps: false });
      const gpu = await timePrepared(p, o);
      const rate = (ms: number[]) => (2 * n ** 3) / sampleStats(ms).median / 1e6;
      out[`${n}^3`] = { queueGflops: rate(queue.samplesMs), gpuGflops: gpu.clock === 'gpu-timestamp' ? rate(gpu.samplesMs) : null };
    } finally {
      p.release();
    }
  }
  return out;
}

/** The adapter's ceilings: peak FMA throughput, copy bandwidth and, for `gemmSizes`, GEMM rates. */
export async function measureCeilings(backend: Backend, reps: number, gemmSizes: readonly number[] = []): Promise<Ceilings> {
  const rt = backend.runtime;
  const fma = await fmaCeiling(rt, reps);
  const copy = await copyCeiling(rt, reps);
  return {
    clock: fma.best.clock,
    fmaFlops: fma.best.flops,
    fmaSamplesMs: fma.best.samples,
    fmaGflops: fma.best.gflops,
    fmaRuns: fma.runs,
    copyBytes: COPY_BYTES,
    copySamplesMs: copy,
    copyGbps: (2 * COPY_BYTES) / sampleStats(copy).median / 1e6,
    ...(gemmSizes.length ? { gemm: await gemmRoofs(backend, gemmSizes, reps) } : {}),
  };
}
