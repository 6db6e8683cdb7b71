// convroute's WebGPU kernels beside @tensorflow/tfjs-backend-webgpu 4.22 on the same adapter,
// per conv layer of the model suites, with the adapter's FMA ceiling and a 512^3 GEMM.
//   npx tsx bench/src/webgpu-bench.ts [--suites resnet18,mobilenetv2,etvk] [--reps 3] [--no-tfjs] [--limit N] [--sms 132]
// Bundled (../shared/REMOTE-GPU.md): pack webgpu-bench.ts and webgpu-child.ts, run .gpu/webgpu-bench.mjs.
// Times are medians of queue completion after a warm-up (each method's prepared run re-executed),
// the basis of the comparison with tfjs (which has no GPU timestamps); the GPU-timestamp rate of
// the fastest method is shown beside it when the adapter has timestamp-query.
// Every job runs in a child process that is retried on a native crash (WEBGPU-ON-LINUX.md).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CONV_METHODS, type Conv2dSpec, getSuite, uniqueShapes } from '@convroute/core';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const suites = arg('suites', 'resnet18,mobilenetv2,etvk').split(',');
const reps = Number(arg('reps', '3'));
const limit = Number(arg('limit', '1000'));
const tfjs = !process.argv.includes('--no-tfjs');
const env = { ...process.env, LP_NUM_THREADS: process.env.LP_NUM_THREADS ?? '1', XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' };
const sms = Number(arg('sms', '132'));
// Bundled for a device (../shared/REMOTE-GPU.md: no tsx there), the child is the bundle beside
// this one, run by this Node; from source, the .ts through tsx.
const bundled = import.meta.url.endsWith('.mjs');
const child = fileURLToPath(new URL(bundled ? './webgpu-child.mjs' : './webgpu-child.ts', import.meta.url));
const runner = bundled ? process.execPath : fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

function runJob(job: object, tries = 4): Record<string, unknown> {
  for (let t = 1; t <= tries; t++) {
    try {
      const out = execFileSync(runner, [child, JSON.stringify(job)], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (line) return JSON.parse(line.slice(7));
    } catch (e) {
      const err = e as { status?: number; signal?: string; stderr?: string };
      const why = err.signal ?? `exit ${err.status}`;
      const tail = (err.stderr ?? '')
        .split('\n')
        .filter((l) => l && !l.startsWith('Warning'))
        .slice(-2)
        .join(' | ');
      console.error(`  child crashed (${why}${tail ? `: ${tail}` : ''}); attempt ${t}/${tries}`);
    }
  }
  throw new Error('job failed on every attempt');
}

const fmt = (x: number | null | undefined, d = 2) => (x == null ? '-' : x.toFixed(d));
const shape = (s: Conv2dSpec) =>
  `${s.input.join('x')} w${s.weight.join('x')} s${s.stride[0]} p${s.padding[0]}${s.groups > 1 ? ` g${s.groups}` : ''}${s.transposed ? ' T' : ''}`;

const ceil = runJob({ kind: 'ceiling', reps, sms }) as Record<string, unknown> & {
  fmaGflops: number;
  gemm: Record<string, { wall: number; gpu: number | null }>;
};
const fp32 = ceil.limit as { gflops: number; clockMHz: number; name: string; driver: string } | null;
console.log(`adapter: ${ceil.adapter}; LP_NUM_THREADS=${env.LP_NUM_THREADS}${fp32 ? `; ${fp32.name}, driver ${fp32.driver}` : ''}`);
const pct = (x: number, of: number | undefined) => (of ? ` = ${fmt((100 * x) / of, 0)}%` : '');
if (fp32) console.log(`physical FP32 limit ${fmt(fp32.gflops)} GFLOP/s (${sms} SMs x 128 lanes x 2 x ${fp32.clockMHz} MHz, nvidia-smi clocks.max.sm)`);
console.log(
  `FMA ceiling ${fmt(ceil.fmaGflops)} GFLOP/s${pct(ceil.fmaGflops, fp32?.gflops)}${fp32 ? ' of the limit' : ''} (${JSON.stringify(ceil.fmaRuns, (_, v) => (typeof v === 'number' ? +v.toFixed(2) : v))})`,
);
for (const [n, g] of Object.entries(ceil.gemm)) {
  const roof = fp32?.gflops ?? ceil.fmaGflops;
  console.log(
    `GEMM ${n}: wall ${fmt(g.wall)} GFLOP/s${pct(g.wall, roof)}, GPU timestamps ${fmt(g.gpu)} GFLOP/s${g.gpu ? pct(g.gpu, roof) : ''} (of the ${fp32 ? 'physical limit' : 'FMA ceiling'})`,
  );
}
console.log('');

const ratios: number[] = [];
const geomean = (xs: number[]) => (xs.length ? Math.exp(xs.reduce((a, r) => a + Math.log(r), 0) / xs.length) : Number.NaN);
const perSuite: string[] = [];
let bestMs = 0;
let tfjsMs = 0;
let worstError = 0;
let worstTfjsError = 0;
for (const suite of suites) {
  console.log(`## ${suite}\n`);
  console.log(
    `| layer | shape | MFLOP | ${CONV_METHODS.join(' | ')} | best GFLOP/s | best, GPU timestamps | tfjs-webgpu GFLOP/s | best / tfjs | error/bound convroute, tfjs |`,
  );
  console.log(`|${'---|'.repeat(CONV_METHODS.length + 8)}`);
  const suiteRatios: number[] = [];
  for (const u of uniqueShapes(getSuite(suite)).slice(0, limit)) {
    const r = runJob({ kind: 'layer', spec: u.spec, reps, tfjs }) as {
      flops: number;
      methods: Record<string, number>;
      gpuMethods: Record<string, number>;
      errors: Record<string, number>;
      tfjs: number | null;
      tfjsError: number | null;
    };
    const worst = Math.max(...Object.values(r.errors));
    worstError = Math.max(worstError, worst);
    if (r.tfjsError !== null) worstTfjsError = Math.max(worstTfjsError, r.tfjsError);
    const g = (ms: number | undefined) => (ms === undefined ? undefined : r.flops / ms / 1e6);
    const best = Math.min(...Object.values(r.methods));
    const bestName = Object.entries(r.methods).find(([, v]) => v === best)?.[0];
    const ratio = r.tfjs ? r.tfjs / best : null;
    if (ratio && r.tfjs) {
      ratios.push(ratio);
      suiteRatios.push(ratio);
      bestMs += best * u.count;
      tfjsMs += r.tfjs * u.count;
    }
    const cell = (m: string) => (r.methods[m] === undefined ? '-' : `${fmt(g(r.methods[m]))}${m === bestName ? '*' : ''}`);
    console.log(
      `| ${u.names[0]}${u.count > 1 ? ` (x${u.count})` : ''} | ${shape(u.spec)} | ${fmt(r.flops / 1e6, 1)} | ${CONV_METHODS.map(cell).join(' | ')} | ${fmt(g(best))} | ${fmt(bestName && r.gpuMethods[bestName] > 0 ? g(r.gpuMethods[bestName]) : null)} | ${fmt(r.tfjs ? g(r.tfjs) : null)} | ${fmt(ratio)} | ${fmt(worst)}, ${fmt(r.tfjsError)} |`,
    );
  }
  console.log('');
  perSuite.push(`${suite} ${fmt(geomean(suiteRatios))}x over ${suiteRatios.length}`);
}
console.log(`best convroute method vs tfjs-webgpu, geometric mean over ${ratios.length} layers: ${fmt(geomean(ratios))}x (target >= 3x)`);
console.log(`per suite: ${perSuite.join('; ')}`);
// Tiny layers are dominated by per-dispatch overheads, where tfjs pays more; the time-weighted
// ratio (every occurrence of a layer in its model counted) is dominated by the large layers.
console.log(`whole-suite time, layers tfjs can run: tfjs ${fmt(tfjsMs, 1)} ms / convroute best ${fmt(bestMs, 1)} ms = ${fmt(tfjsMs / bestMs)}x`);
console.log(
  `worst error / bound (DESIGN.md's per-element bound against the exact CPU reference): convroute ${fmt(worstError)}, tfjs-webgpu ${fmt(worstTfjsError)}`,
);
console.log('cells: GFLOP/s per method (* = fastest); medians of queue completion after warm-up; tfjs has no grouped conv and no dilated transposed one');
