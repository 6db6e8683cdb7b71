import { sampleStats } from '@convroute/core';
import type { Ceilings, Clock } from './format.ts';

/** backend-webgpu's FMA kernel (kernels/fma-peak.ts) in every shape it lists: independent chains
 * hide latency, so the best rate is the adapter's FMA throughput (a weak ceiling would flatter
 * every fraction of it). FMA_ITERS FMAs per chain per invocation whatever the shape's block. */
const FMA_ITERS = 256;
/** 256 workgroups of 64: at most 268 MFLOP per submission, ~5-20 ms on lavapipe with one thread,
 * well under the ~0.5 s submissions that made dawn.node abort (WEBGPU-ON-LINUX.md). */
const FMA_WORKGROUPS = 256;
/** 32 MiB per copy submission: a few ms at memory speed, far beyond any cache. */
const COPY_BYTES = 32 << 20;

/** Times one submission: GPU timestamps at the pass's start and end when the device has
 * `timestamp-query`, otherwise the wall clock until the queue reports the work done. */
async function timeSubmission(
  device: GPUDevice,
  encode: (enc: GPUCommandEncoder, tw?: GPUComputePassTimestampWrites) => void,
  compute: boolean,
): Promise<{ ms: number; clock: Clock }> {
  const useTs = compute && device.features.has('timestamp-query');
  const enc = device.createCommandEncoder();
  let qs: GPUQuerySet | undefined;
  let resolve: GPUBuffer | undefined;
  let read: GPUBuffer | undefined;
  if (useTs) {
    qs = device.createQuerySet({ type: 'timestamp', count: 2 });
    resolve = device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    read = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  }
  encode(enc, qs ? { querySet: qs, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } : undefined);
  if (qs && resolve && read) {
    enc.resolveQuerySet(qs, 0, 2, resolve, 0);
    enc.copyBufferToBuffer(resolve, 0, read, 0, 16);
  }
  const t0 = performance.now();
  device.queue.submit([enc.finish()]);
  await device.queue.onSubmittedWorkDone();
  const wall = performance.now() - t0;
  if (!read) return { ms: wall, clock: 'queue' };
  await read.mapAsync(GPUMapMode.READ);
  const [a, b] = new BigUint64Array(read.getMappedRange().slice(0));
  read.unmap();
  for (const x of [qs, resolve, read]) x?.destroy();
  return { ms: Number(b - a) / 1e6, clock: 'gpu-timestamp' };
}

/** Peak FMA throughput and copy bandwidth of a device, each the median of `reps` short submissions
 * after one warm-up. Copies are timed by queue completion (timestamps exist only inside passes). */
export async function measureCeilings(device: GPUDevice, reps: number): Promise<Ceilings> {
  const { FMA_PEAK_SHAPES, fmaPeakWgsl, fmaPeakFlopsPerInvocation } = await import('@convroute/backend-webgpu');
  const maxInvocations = Math.max(...FMA_PEAK_SHAPES.map((s) => s.workgroupSize)) * FMA_WORKGROUPS;
  const out = device.createBuffer({ size: maxInvocations * 4, usage: GPUBufferUsage.STORAGE });
  let best = { gflops: 0, flops: 0, samples: [] as number[] };
  let clock: Clock = 'queue';
  for (const shape of FMA_PEAK_SHAPES) {
    const iters = Math.max(1, Math.round(FMA_ITERS / shape.block));
    const module = device.createShaderModule({ code: fmaPeakWgsl(shape, iters) });
    const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out } }] });
    const samples: number[] = [];
    for (let i = 0; i < reps + 1; i++) {
      const r = await timeSubmission(
        device,
        (enc, tw) => {
          const pass = enc.beginComputePass(tw ? { timestampWrites: tw } : {});
          pass.setPipeline(pipeline);
          pass.setBindGroup(0, bind);
          pass.dispatchWorkgroups(FMA_WORKGROUPS);
          pass.end();
        },
        true,
      );
      if (i > 0) samples.push(r.ms); // the first run warms up
      clock = r.clock;
    }
    const flops = shape.workgroupSize * FMA_WORKGROUPS * fmaPeakFlopsPerInvocation(shape, iters);
    const gflops = flops / sampleStats(samples).median / 1e6;
    if (gflops > best.gflops) best = { gflops, flops, samples };
  }
  const src = device.createBuffer({ size: COPY_BYTES, usage: GPUBufferUsage.COPY_SRC });
  const dst = device.createBuffer({ size: COPY_BYTES, usage: GPUBufferUsage.COPY_DST });
  const copy: number[] = [];
  for (let i = 0; i < reps + 1; i++) {
    const r = await timeSubmission(device, (enc) => enc.copyBufferToBuffer(src, 0, dst, 0, COPY_BYTES), false);
    if (i > 0) copy.push(r.ms);
  }
  for (const b of [out, src, dst]) b.destroy();
  return {
    clock,
    fmaFlops: best.flops,
    fmaSamplesMs: best.samples,
    fmaGflops: best.gflops,
    copyBytes: COPY_BYTES,
    copySamplesMs: copy,
    copyGbps: (2 * COPY_BYTES) / sampleStats(copy).median / 1e6,
  };
}
