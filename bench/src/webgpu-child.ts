// One benchmark job in its own process (dawn.node can abort during long waits; the parent
// retries a crashed job: WEBGPU-ON-LINUX.md). Prints one line `RESULT <json>`.

import { createWebGpuBackend, type WebGpuBackend } from '@convroute/backend-webgpu';
import { compareWithBound, referenceConv2d } from '@convroute/conformance';
import { type Conv2dSpec, conv2dFlops, conv2dReductionLength, conv2dSpec, convMethodsFor, gemmSpec, Tensor } from '@convroute/core';
import { fmaCeiling, nvidiaFp32Limit } from './fma-ceiling.ts';
import { initTfjsWebGpu, tfjsSupports, tfjsWebGpuConv } from './webgpu-tfjs.ts';

type Job = { kind: 'layer'; spec: Conv2dSpec; reps: number; tfjs: boolean } | { kind: 'ceiling'; reps: number; sms: number };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median wall time (queue completion) after a warm-up; and the median GPU time when `f`
 * reports one (timestamp-query). */
async function timeRun(reps: number, f: () => Promise<number | null | undefined>): Promise<{ ms: number; gpuMs: number | null }> {
  await f(); // warm-up: compile, first-touch
  const ts: number[] = [];
  const gpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const g = await f();
    ts.push(performance.now() - t0);
    if (typeof g === 'number') gpu.push(g);
  }
  return { ms: median(ts), gpuMs: gpu.length === reps ? median(gpu) : null };
}

async function timeIt(reps: number, f: () => Promise<unknown>): Promise<number> {
  const run = async () => {
    await f();
    return null;
  };
  return (await timeRun(reps, run)).ms;
}

function data(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

async function layer(be: WebGpuBackend, job: Extract<Job, { kind: 'layer' }>) {
  const spec = conv2dSpec(job.spec);
  const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
  const inputs = [Tensor.fromData(data(count(spec.input), 1), spec.input), Tensor.fromData(data(count(spec.weight), 2), spec.weight)];
  const cOut = spec.transposed ? spec.weight[1] * spec.groups : spec.weight[0];
  if (spec.bias) inputs.push(Tensor.fromData(data(cOut, 3), [cOut]));
  const flops = conv2dFlops(spec);
  // Every timed output is checked against the exact CPU reference with DESIGN.md's bound, so a
  // fast wrong answer (convroute's or tfjs's) shows in the table instead of a speed-up.
  const ref = await referenceConv2d(spec, inputs);
  const n = conv2dReductionLength(spec);
  const errorRatio = (y: Float32Array) => compareWithBound(y, ref.y, ref.abs, n).maxRatio;
  const methods: Record<string, number> = {};
  const gpuMethods: Record<string, number> = {};
  const errors: Record<string, number> = {};
  for (const m of convMethodsFor(spec)) {
    const p = await be.prepare({ op: 'conv2d', spec }, m, inputs);
    // Wall time without timestamps (reading the queries back costs a round trip per submission),
    // then the GPU time in separate runs.
    methods[m] = await timeIt(job.reps, () => p.execute());
    const t = await timeRun(job.reps, () => p.execute({ timestamps: true }));
    if (t.gpuMs !== null) gpuMethods[m] = t.gpuMs;
    errors[m] = errorRatio((await p.read()).data);
    p.release();
  }
  let tfjs: number | null = null;
  let tfjsError: number | null = null;
  if (job.tfjs && tfjsSupports(spec)) {
    const c = tfjsWebGpuConv(spec, inputs[0].data, inputs[1].data, inputs[2]?.data);
    tfjs = await timeIt(job.reps, () => c.run());
    tfjsError = errorRatio(await c.output());
    c.dispose();
  }
  return { flops, methods, gpuMethods, errors, tfjs, tfjsError };
}

async function ceiling(be: WebGpuBackend, job: Extract<Job, { kind: 'ceiling' }>) {
  // FMA roof: every FMA_PEAK_SHAPES kernel with a grid sized for the adapter (fma-ceiling.ts).
  const ceil = await fmaCeiling(be.runtime, Math.max(3, job.reps));
  const limit = await nvidiaFp32Limit(job.sms);
  // GEMM: wall (queue completion) and GPU timestamps. 4096^3 only on hardware adapters (lavapipe
  // would take minutes).
  const sizes = be.runtime.family === 'software' ? [512] : [512, 1024, 4096];
  const gemm: Record<string, { wall: number; gpu: number | null }> = {};
  for (const n of sizes) {
    const spec = gemmSpec({ a: [n, n], b: [n, n] });
    const inputs = [Tensor.fromData(data(n * n, 3), [n, n]), Tensor.fromData(data(n * n, 4), [n, n])];
    const p = await be.prepare({ op: 'gemm', spec }, 'gemm', inputs);
    const wall = await timeIt(job.reps * 2, () => p.execute());
    const t = await timeRun(job.reps * 2, () => p.execute({ timestamps: true }));
    p.release();
    gemm[`${n}^3`] = { wall: (2 * n ** 3) / wall / 1e6, gpu: t.gpuMs ? (2 * n ** 3) / t.gpuMs / 1e6 : null };
  }
  return {
    fmaGflops: ceil.gflops,
    fmaRuns: Object.fromEntries(Object.entries(ceil.runs).map(([k, v]) => [k, v.gflops])),
    limit,
    gemm,
    gemm512Gflops: gemm['512^3'].wall,
  };
}

const job = JSON.parse(process.argv[2]) as Job;
const be = await createWebGpuBackend({ acquire: { log: () => {} } });
let result: unknown;
if (job.kind === 'layer') {
  if (job.tfjs) await initTfjsWebGpu(be.acquired!.gpu);
  result = await layer(be, job);
} else {
  result = await ceiling(be, job);
}
console.log(`RESULT ${JSON.stringify({ ...(result as object), adapter: be.description })}`);
be.dispose();
process.exit(0);
