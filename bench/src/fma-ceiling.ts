// The adapter's FMA ceiling sized for the adapter: each FMA_PEAK_SHAPES kernel is dispatched with
// a grid doubled until one dispatch runs at least `minMs` (or the grid reaches 65,535 workgroups),
// so a large GPU gets enough workgroups to fill every core (issue 15: 238 workgroups of 64 read
// 11.7 TFLOP/s on an H200 whose limit is ~67), and lavapipe gets a short dispatch. Timed by GPU
// timestamps where the adapter has them, else by queue completion.
import { FMA_PEAK_SHAPES, fmaPeakFlopsPerInvocation, fmaPeakShapeName, fmaPeakWgsl, type GpuRuntime } from '@convroute/backend-webgpu';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One dispatch of `groups` workgroups, timed: GPU ms when timestamps exist, else wall ms. */
async function timedDispatch(rt: GpuRuntime, pipeline: GPUComputePipeline, bg: GPUBindGroup, groups: number): Promise<{ gpu: number | null; wall: number }> {
  const d = rt.device;
  const ts = d.features.has('timestamp-query');
  const qs = ts ? d.createQuerySet({ type: 'timestamp', count: 2 }) : undefined;
  const resolve = ts ? d.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC }) : undefined;
  const read = ts ? d.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }) : undefined;
  const t0 = performance.now();
  const enc = d.createCommandEncoder();
  const pass = enc.beginComputePass(qs ? { timestampWrites: { querySet: qs, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } } : {});
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bg);
  // groups is 16 * 2^n: a 2-D grid of 4,096-wide rows covers it exactly.
  const x = Math.min(groups, 4096);
  pass.dispatchWorkgroups(x, groups / x);
  pass.end();
  if (qs) {
    enc.resolveQuerySet(qs, 0, 2, resolve!, 0);
    enc.copyBufferToBuffer(resolve!, 0, read!, 0, 16);
  }
  d.queue.submit([enc.finish()]);
  await rt.wait(d.queue.onSubmittedWorkDone(), 'onSubmittedWorkDone');
  const wall = performance.now() - t0;
  let gpu: number | null = null;
  if (read) {
    await rt.wait(read.mapAsync(GPUMapMode.READ), 'mapAsync');
    const t = new BigUint64Array(read.getMappedRange().slice(0));
    read.unmap();
    gpu = t[1] > t[0] ? Number(t[1] - t[0]) / 1e6 : null;
  }
  qs?.destroy();
  resolve?.destroy();
  read?.destroy();
  return { gpu, wall };
}

export interface CeilingResult {
  gflops: number;
  /** GFLOP/s per shape, with the workgroup count it settled on. */
  runs: Record<string, { gflops: number; groups: number; timing: 'gpu' | 'wall' }>;
}

export async function fmaCeiling(rt: GpuRuntime, reps = 5, minMs = 15): Promise<CeilingResult> {
  const runs: CeilingResult['runs'] = {};
  let best = 0;
  for (const shape of FMA_PEAK_SHAPES) {
    const iters = Math.max(16, Math.round(1024 / shape.block));
    const perInvocation = fmaPeakFlopsPerInvocation(shape, iters);
    const name = fmaPeakShapeName(shape);
    const pipeline = await rt.pipeline(`fma:${name}:${iters}`, () => fmaPeakWgsl(shape, iters));
    const maxGroups = 65535 * 4;
    const out = rt.alloc(shape.workgroupSize * 4096); // gid.x spans one 4,096-wide row of the grid
    const bg = rt.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out.buffer } }] });
    let groups = 16;
    for (;;) {
      const t = await timedDispatch(rt, pipeline, bg, groups);
      if ((t.gpu ?? t.wall) >= minMs || groups * 2 > maxGroups) break;
      groups *= 2;
    }
    const gpu: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t = await timedDispatch(rt, pipeline, bg, groups);
      wall.push(t.wall);
      if (t.gpu !== null) gpu.push(t.gpu);
    }
    const ms = gpu.length === reps ? median(gpu) : median(wall);
    const gflops = (perInvocation * shape.workgroupSize * groups) / ms / 1e6;
    runs[name] = { gflops, groups, timing: gpu.length === reps ? 'gpu' : 'wall' };
    best = Math.max(best, gflops);
    rt.release(out);
  }
  return { gflops: best, runs };
}

/** The physical FP32 limit from `nvidia-smi` (SM clock) and the SM count given, in GFLOP/s:
 * SMs x 128 FP32 lanes x 2 x clock. Null where nvidia-smi is absent. */
export async function nvidiaFp32Limit(sms: number): Promise<{ gflops: number; clockMHz: number; name: string; driver: string } | null> {
  try {
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync('nvidia-smi', ['--query-gpu=clocks.max.sm,clocks.sm,name,driver_version', '--format=csv,noheader,nounits'], { encoding: 'utf8' });
    const [maxClock, , name, driver] = out
      .trim()
      .split('\n')[0]
      .split(',')
      .map((s) => s.trim());
    const clockMHz = Number(maxClock);
    return { gflops: (sms * 128 * 2 * clockMHz) / 1e3, clockMHz, name, driver };
  } catch {
    return null;
  }
}
