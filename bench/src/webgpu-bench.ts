// convroute's WebGPU kernels beside @tensorflow/tfjs-backend-webgpu 4.22 on the same adapter,
// per conv layer of the model suites, with the adapter's FMA ceiling and square GEMMs.
//   npx tsx bench/src/webgpu-bench.ts [--suites resnet18,mobilenetv2,etvk] [--reps 3] [--no-tfjs] [--limit N] [--sms 132]
//     [--gemm 512,1024,4096 (default; 512 on lavapipe)] [--json out.json]
// Bundled (docs/webgpu-on-linux.md, "The H200 recipe"): pack webgpu-bench.ts and webgpu-child.ts, run .gpu/webgpu-bench.mjs.
// The harness is the CLI's (@convroute/cli runBench: crash-isolated children, timing, ceilings,
// verification); tfjs is a peer plugged into the child (webgpu-child.ts). Convroute's columns are
// medians of queue completion after a warm-up, the basis of the comparison with tfjs (which has no
// GPU timestamps); the GPU-timestamp rate of the fastest method is shown beside it. Every output
// is checked against the exact CPU reference with the error model's bound.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BenchFile, type BenchResult, runBench } from '@convroute/cli';
import { CONV_METHODS, type Conv2dSpec, sampleStats } from '@convroute/core';
import { nvidiaFp32Limit } from './fp32-limit.ts';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
process.env.LP_NUM_THREADS ??= '1';
process.env.XDG_RUNTIME_DIR ??= '/tmp';
const suites = arg('suites', 'resnet18,mobilenetv2,etvk');
const reps = Number(arg('reps', '3'));
const tfjs = !process.argv.includes('--no-tfjs');
const sms = Number(arg('sms', '132'));
const lavapipe = (process.env.VK_ICD_FILENAMES ?? '').includes('lvp');
const gemmSizes = arg('gemm', lavapipe ? '512' : '512,1024,4096')
  .split(',')
  .map(Number);
// Bundled for a device (docs/webgpu-on-linux.md, "The H200 recipe": no tsx there), the child is the bundle beside
// this one, which the harness forks with this Node (process.execPath); from source, the .ts
// through tsx.
const bundled = import.meta.url.endsWith('.mjs');
const childScript = fileURLToPath(new URL(bundled ? './webgpu-child.mjs' : './webgpu-child.ts', import.meta.url));

const b: BenchFile = await runBench({
  suites,
  backend: 'webgpu',
  cpuMode: 'exact',
  warmup: 1,
  reps,
  budgetMs: Number.POSITIVE_INFINITY,
  methods: null,
  limitPerSuite: Number(arg('limit', '1000')),
  retries: 3,
  ceilings: true,
  gemmSizes,
  verify: true,
  peers: tfjs ? ['tfjs-webgpu'] : [],
  queueToo: true,
  idleTimeoutMs: 600_000,
  layersPerChild: 1,
  childScript,
  command: ['webgpu-bench', ...process.argv.slice(2)],
  onProgress: (_done, _total, last) => {
    if (last?.status === 'crashed') console.error(`  ${last.layer} ${'peer' in last ? last.peer : last.method}: ${last.error}`);
  },
});
const out = arg('json', '');
if (out) writeFileSync(out, `${JSON.stringify(b, null, 1)}\n`);

const fmt = (x: number | null | undefined, d = 2) => (x == null || !Number.isFinite(x) ? '-' : x.toFixed(d));
const shape = (s: Conv2dSpec) =>
  `${s.input.join('x')} w${s.weight.join('x')} s${s.stride[0]} p${s.padding[0]}${s.groups > 1 ? ` g${s.groups}` : ''}${s.transposed ? ' T' : ''}`;
/** Queue-completion median (ms): the clock tfjs is timed by too. */
const queueMs = (r: BenchResult) => {
  const s = r.clock === 'queue' ? r.samplesMs : r.queueSamplesMs;
  return r.status === 'ok' && s?.length ? sampleStats(s).median : undefined;
};

const c = b.ceilings;
const fp32 = await nvidiaFp32Limit(sms);
console.log(`adapter: ${b.backend?.description}; LP_NUM_THREADS=${process.env.LP_NUM_THREADS}${fp32 ? `; ${fp32.name}, driver ${fp32.driver}` : ''}`);
const pct = (x: number, of: number | undefined) => (of ? ` = ${fmt((100 * x) / of, 0)}%` : '');
if (fp32) console.log(`physical FP32 limit ${fmt(fp32.gflops)} GFLOP/s (${sms} SMs x 128 lanes x 2 x ${fp32.clockMHz} MHz, nvidia-smi clocks.max.sm)`);
if (c) {
  const runs = Object.fromEntries(Object.entries(c.fmaRuns ?? {}).map(([k, v]) => [k, +v.gflops.toFixed(2)]));
  console.log(`FMA ceiling ${fmt(c.fmaGflops)} GFLOP/s${pct(c.fmaGflops, fp32?.gflops)}${fp32 ? ' of the limit' : ''} (${JSON.stringify(runs)})`);
  for (const [n, g] of Object.entries(c.gemm ?? {})) {
    const roof = fp32?.gflops ?? c.fmaGflops;
    console.log(
      `GEMM ${n}: wall ${fmt(g.queueGflops)} GFLOP/s${pct(g.queueGflops, roof)}, GPU timestamps ${fmt(g.gpuGflops)} GFLOP/s${g.gpuGflops ? pct(g.gpuGflops, roof) : ''} (of the ${fp32 ? 'physical limit' : 'FMA ceiling'})`,
    );
  }
} else {
  console.log('ceilings: not measured (their child crashed on every attempt; see crashes in --json)');
}
console.log('');

const ratios: number[] = [];
const geomean = (xs: number[]) => (xs.length ? Math.exp(xs.reduce((a, r) => a + Math.log(r), 0) / xs.length) : Number.NaN);
const perSuite: string[] = [];
let bestMs = 0;
let tfjsMs = 0;
let worstError = 0;
let worstTfjsError = 0;
for (const suite of [...new Set(b.layers.map((l) => l.suite))]) {
  console.log(`## ${suite}\n`);
  console.log(
    `| layer | shape | MFLOP | ${CONV_METHODS.join(' | ')} | best GFLOP/s | best, GPU timestamps | tfjs-webgpu GFLOP/s | best / tfjs | error/bound convroute, tfjs |`,
  );
  console.log(`|${'---|'.repeat(CONV_METHODS.length + 8)}`);
  const suiteRatios: number[] = [];
  for (const l of b.layers.filter((x) => x.suite === suite)) {
    const rs = b.results.filter((r) => r.layer === l.id);
    const peer = b.peers?.find((p) => p.layer === l.id && p.status === 'ok');
    const g = (ms: number | undefined) => (ms === undefined ? undefined : l.flops / ms / 1e6);
    const times = new Map(rs.flatMap((r) => (queueMs(r) === undefined ? [] : [[r.method, queueMs(r) as number] as const])));
    const best = Math.min(...times.values());
    const bestR = rs.find((r) => times.get(r.method) === best);
    const errors = rs.flatMap((r) => (r.errorRatio === undefined ? [] : [r.errorRatio]));
    const worst = errors.length ? Math.max(...errors) : undefined;
    if (worst !== undefined) worstError = Math.max(worstError, worst);
    if (peer?.errorRatio !== undefined) worstTfjsError = Math.max(worstTfjsError, peer.errorRatio);
    const tfjsT = peer?.stats?.median;
    const ratio = tfjsT && bestR ? tfjsT / best : null;
    if (ratio && tfjsT) {
      ratios.push(ratio);
      suiteRatios.push(ratio);
      bestMs += best * l.count;
      tfjsMs += tfjsT * l.count;
    }
    const cell = (m: string) => {
      const r = rs.find((x) => x.method === m);
      if (!r || r.status === 'unsupported') return '-';
      if (r.status !== 'ok') return r.status; // error (a wrong answer included) or crashed
      return `${fmt(g(times.get(r.method)))}${r === bestR ? '*' : ''}`;
    };
    const gpuBest = bestR?.clock === 'gpu-timestamp' ? bestR.stats?.median : undefined;
    console.log(
      `| ${l.names[0]}${l.count > 1 ? ` (x${l.count})` : ''} | ${shape(l.spec)} | ${fmt(l.flops / 1e6, 1)} | ${CONV_METHODS.map(cell).join(' | ')} | ${fmt(bestR ? g(best) : null)} | ${fmt(g(gpuBest))} | ${fmt(g(tfjsT))} | ${fmt(ratio)} | ${fmt(worst)}, ${fmt(peer?.errorRatio)} |`,
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
console.log(`worst error / bound (the per-element bound against the exact CPU reference): convroute ${fmt(worstError)}, tfjs-webgpu ${fmt(worstTfjsError)}`);
if (b.crashes.length)
  console.log(`${b.crashes.length} child crash(es): ${b.crashes.map((x) => `${x.layer} ${x.method} #${x.attempt} ${x.signal ?? x.exitCode}`).join('; ')}`);
console.log('cells: GFLOP/s per method (* = fastest); medians of queue completion after warm-up; tfjs has no grouped conv and no dilated transposed one');
