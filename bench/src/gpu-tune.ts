// GEMM variants on a real GPU, one run: the FMA ceiling sized for the adapter, the physical FP32
// limit (nvidia-smi), every variant below at square and the suites' conv-shaped GEMMs (GPU
// timestamps, median of 5 after 2 warm-ups, no submission chunking), a small-integer check of each
// variant's output (exact in float32, so any race or indexing bug shows), and chunked against
// unchunked submissions for the default kernel. Bundled for the H200 (docs/webgpu-on-linux.md, "The H200 recipe"):
//   bash .gpu/run.sh node .gpu/gpu-tune.mjs --out $OUT/tune.json [--only regex] [--sms 132]
import { writeFileSync } from 'node:fs';
import { createWebGpuBackend, type GemmConfig, type GemmTuning, gemmDispatch, gemmTuningFor } from '@convroute/backend-webgpu';
import { measureCeilings } from '@convroute/cli';
import { nvidiaFp32Limit } from './fp32-limit.ts';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const only = new RegExp(arg('only', '.'));
const sms = Number(arg('sms', '132'));
const out = arg('out', '');
const be = await createWebGpuBackend({ acquire: { log: () => {} }, maxFlopsPerSubmit: Number.POSITIVE_INFINITY });
const rt = be.runtime;
const info = be.acquired?.adapter.info;
console.log(`${be.description}; family ${rt.family}; subgroups ${info?.subgroupMinSize}-${info?.subgroupMaxSize}; features ${be.acquired?.features.join(',')}`);
console.log(`limits: workgroup storage ${rt.limits.maxComputeWorkgroupStorageSize} B, invocations ${rt.limits.maxComputeInvocationsPerWorkgroup}`);
const limit = await nvidiaFp32Limit(sms);
console.log(
  limit
    ? `physical FP32 limit ${(limit.gflops / 1e3).toFixed(1)} TFLOP/s (${sms} SMs x 128 x 2 x ${limit.clockMHz} MHz; ${limit.name}, driver ${limit.driver})`
    : 'no nvidia-smi',
);
const ceil = await measureCeilings(be, 5);
console.log(`FMA ceiling ${(ceil.fmaGflops / 1e3).toFixed(2)} TFLOP/s${limit ? ` = ${((100 * ceil.fmaGflops) / limit.gflops).toFixed(0)}% of the limit` : ''}`);
for (const [n, r] of Object.entries(ceil.fmaRuns ?? {})) console.log(`  ${n}: ${(r.gflops / 1e3).toFixed(2)} TFLOP/s, ${r.groups} workgroups (${r.clock})`);

const t = (tm: number, tn: number, wgX: number, wgY: number, bk: number, doubleBuffer: boolean): Partial<GemmTuning> => ({
  variant: 'tiled',
  tm,
  tn,
  wgX,
  wgY,
  bk,
  doubleBuffer,
});
const sg = rt.subgroupSize ?? 32;
const variants: Record<string, Partial<GemmTuning> | 'default'> = {
  default: 'default',
  'tiled 128x128 8x8 bk8 db': t(8, 8, 16, 16, 8, true),
  'tiled 128x128 8x8 bk16 db': t(8, 8, 16, 16, 16, true),
  'tiled 128x128 8x8 bk8': t(8, 8, 16, 16, 8, false),
  'tiled 128x128 8x8 bk16': t(8, 8, 16, 16, 16, false),
  'tiled 128x64 8x8 bk8 db': t(8, 8, 8, 16, 8, true),
  'tiled 64x128 8x8 bk8 db': t(8, 8, 16, 8, 8, true),
  'tiled 64x64 8x8 bk8 db': t(8, 8, 8, 8, 8, true),
  'tiled 64x64 8x8 bk16 db': t(8, 8, 8, 8, 16, true),
  'tiled 64x64 4x4 bk8 db': t(4, 4, 16, 16, 8, true),
  'tiled 64x64 8x4 bk16 db': t(8, 4, 16, 8, 16, true),
  'tiled 32x64 4x4 bk8 db': t(4, 4, 16, 8, 8, true),
  'tiled 32x32 4x4 bk8 db': t(4, 4, 8, 8, 8, true),
  'tiled 128x128 4x8 bk8 db': t(8, 4, 32, 16, 8, true),
  'tiled 256x128 16x8 bk8 db': t(16, 8, 16, 16, 8, true),
  'tiled 128x256 8x16 bk8 db': t(8, 16, 16, 16, 8, true),
  [`sgB ${sg} 4x16`]: { variant: 'register', tm: 4, tn: 16, wgX: sg, wgY: 1, bk: 8, scalarAcc: true, subgroupB: sg, vecA: true },
  'register 8x8 wg4x4': { variant: 'register', tm: 8, tn: 8, wgX: 4, wgY: 4, bk: 8, scalarAcc: true },
  'shared 8x8 wg8x8': { variant: 'shared', tm: 8, tn: 8, wgX: 8, wgY: 8, bk: 8 },
};
const shapes = [
  { name: '4096^3', m: 4096, n: 4096, k: 4096 },
  { name: '2048^3', m: 2048, n: 2048, k: 2048 },
  { name: '1024^3', m: 1024, n: 1024, k: 1024 },
  { name: '512^3', m: 512, n: 512, k: 512 },
  { name: 'r18 3x3 64x3136x576', m: 64, n: 3136, k: 576 },
  { name: 'r18 3x3 128x784x1152', m: 128, n: 784, k: 1152 },
  { name: 'r18 3x3 256x196x2304', m: 256, n: 196, k: 2304 },
  { name: 'r18 3x3 512x49x4608', m: 512, n: 49, k: 4608 },
  { name: 'pw 96x12544x16', m: 96, n: 12544, k: 16 },
  { name: 'pw 144x3136x24', m: 144, n: 3136, k: 24 },
  { name: 'pw 576x196x96', m: 576, n: 196, k: 96 },
  { name: 'pw 960x49x160', m: 960, n: 49, k: 160 },
  { name: 'pw 1280x49x320', m: 1280, n: 49, k: 320 },
];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const smallInts = (n: number, seed: number) => {
  const a = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = (s >>> 28) - 8;
  }
  return a;
};
const configFor = (v: Partial<GemmTuning> | 'default', m: number, n: number, k: number): GemmConfig => {
  const vecB = n % 4 === 0;
  const tuning = v === 'default' ? undefined : v;
  return {
    ...gemmTuningFor(rt, { m, n, k, transA: false, vecB, source: 'buffer', batch: 1 }, tuning),
    transA: false,
    transB: false,
    vecB,
    bias: 'none',
    activation: { kind: 'none' },
    bSource: { kind: 'buffer' },
  };
};

// Exactness check: small integers, K = 200, ragged M and N: every product and sum is exact.
{
  const [m, n, k] = [300, 260, 200];
  const a = smallInts(m * k, 1);
  const b = smallInts(k * n, 2);
  const want = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) want[i * n + j] += a[i * k + p] * b[p * n + j];
  const ga = rt.upload(a);
  const gb = rt.upload(b);
  const gc = rt.alloc(m * n, true);
  for (const [name, v] of Object.entries(variants)) {
    if (!only.test(name)) continue;
    const d = await gemmDispatch(rt, configFor(v, m, n, k), { m, n, k, batch: 1, strideA: 0, strideB: 0, strideC: 0, a: ga, b: gb, c: gc });
    await rt.execute([d]);
    const got = await rt.read(gc, m * n);
    const bad = got.findIndex((x, i) => x !== want[i]);
    console.log(`check ${name}: ${bad < 0 ? 'exact' : `WRONG at ${bad}: ${got[bad]} != ${want[bad]}`}`);
    rt.releaseDispatch(d);
  }
  rt.release(ga);
  rt.release(gb);
  rt.release(gc);
}

const results: Record<string, Record<string, { gpuGflops: number; wallGflops: number }>> = {};
for (const s of shapes) {
  const a = rt.upload(new Float32Array(s.m * s.k).fill(0.5));
  const b = rt.upload(new Float32Array(s.k * s.n).fill(0.25));
  const c = rt.alloc(s.m * s.n);
  const row: string[] = [];
  for (const [name, v] of Object.entries(variants)) {
    if (!only.test(name)) continue;
    const cfg = configFor(v, s.m, s.n, s.k);
    if (cfg.variant === 'tiled' && 4 * cfg.bk * (cfg.tm * cfg.wgY + cfg.tn * cfg.wgX) * (cfg.doubleBuffer ? 2 : 1) > rt.limits.maxComputeWorkgroupStorageSize)
      continue;
    const d = await gemmDispatch(rt, cfg, { m: s.m, n: s.n, k: s.k, batch: 1, strideA: 0, strideB: 0, strideC: 0, a, b, c });
    const gpu: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      const g = await rt.execute([d], { timestamps: true });
      if (i >= 2) {
        wall.push(performance.now() - t0);
        if (g !== null) gpu.push(g);
      }
    }
    rt.releaseDispatch(d);
    const f = 2 * s.m * s.n * s.k;
    const r = { gpuGflops: gpu.length ? f / median(gpu) / 1e6 : Number.NaN, wallGflops: f / median(wall) / 1e6 };
    results[name] ??= {};
    results[name][s.name] = r;
    row.push(`${name} ${(r.gpuGflops / 1e3).toFixed(2)}`);
  }
  console.log(`${s.name}: ${row.join(' | ')}`);
  rt.release(a);
  rt.release(b);
  rt.release(c);
}

// Chunked (2^27 flops a submission, the software default) against unchunked, default kernel.
const chunking: Record<string, { chunkedWallMs: number; wallMs: number; chunkedGpuMs: number; gpuMs: number }> = {};
const chunked = await createWebGpuBackend({ device: be.acquired!.device, ownDevice: false, maxFlopsPerSubmit: 2 ** 27 });
for (const n of [4096, 1024]) {
  const a = rt.upload(new Float32Array(n * n).fill(0.5));
  const b = rt.upload(new Float32Array(n * n).fill(0.25));
  const c = rt.alloc(n * n);
  const time = async (r: typeof rt) => {
    const d = await gemmDispatch(r, configFor('default', n, n, n), { m: n, n, k: n, batch: 1, strideA: 0, strideB: 0, strideC: 0, a, b, c });
    const wall: number[] = [];
    const gpu: number[] = [];
    for (let i = 0; i < 7; i++) {
      let t0 = performance.now();
      await r.execute([d]);
      if (i >= 2) wall.push(performance.now() - t0);
      t0 = performance.now();
      const g = await r.execute([d], { timestamps: true });
      if (i >= 2 && g !== null) gpu.push(g);
    }
    r.releaseDispatch(d);
    return { wall: median(wall), gpu: median(gpu) };
  };
  const x = await time(chunked.runtime);
  const y = await time(rt);
  chunking[`${n}^3`] = { chunkedWallMs: x.wall, wallMs: y.wall, chunkedGpuMs: x.gpu, gpuMs: y.gpu };
  console.log(
    `${n}^3 default kernel: chunked 2^27 wall ${x.wall.toFixed(2)} ms (GPU ${x.gpu.toFixed(2)}), unchunked wall ${y.wall.toFixed(2)} ms (GPU ${y.gpu.toFixed(2)})`,
  );
  rt.release(a);
  rt.release(b);
  rt.release(c);
}
chunked.dispose();

console.log(`\n| variant | ${shapes.map((s) => s.name).join(' | ')} |`);
console.log(`|---|${shapes.map(() => '---').join('|')}|`);
for (const [name, r] of Object.entries(results))
  console.log(`| ${name} | ${shapes.map((s) => (r[s.name] ? (r[s.name].gpuGflops / 1e3).toFixed(2) : '-')).join(' | ')} |`);
console.log('TFLOP/s by GPU timestamps, median of 5 after 2 warm-ups, one submission per run');
if (out) {
  const doc = {
    date: new Date().toISOString(),
    adapter: be.description,
    info,
    limit,
    ceiling: ceil,
    results,
    chunking,
    command: process.argv.slice(1).join(' '),
  };
  writeFileSync(out, JSON.stringify(doc, null, 1));
}
be.dispose();
process.exit(0);
