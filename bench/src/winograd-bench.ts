// Winograd F(2,3) / F(4,3) against the best existing method on the suites' 3x3 stride-1 layers
// (issue 14): per layer the median after warm-up of every method (queue completion, as
// webgpu-bench.ts times convroute), GFLOP/s counted as the direct conv's FLOPs, and each
// method's measured error / bound against the exact reference (Winograd's own bound,
// docs/winograd-bound.md; the reordering bound for the others).
//   npx tsx bench/src/winograd-bench.ts [--suites resnet18,mobilenetv2,etvk] [--min-channels 64] [--limit N] [--reps 5] [--json out.json]
// Bundled for the H200 (docs/webgpu-on-linux.md, "The H200 recipe") like webgpu-bench.ts: pack
// winograd-bench.ts and webgpu-child.ts, run .gpu/winograd-bench.mjs.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BenchFile, type BenchResult, runBench } from '@convroute/cli';
import { type Conv2dSpec, conv2dSpec, convMethodRejection, getSuite, sampleStats, WINOGRAD_METHODS } from '@convroute/core';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
process.env.LP_NUM_THREADS ??= '1';
process.env.XDG_RUNTIME_DIR ??= '/tmp';
const suites = arg('suites', 'resnet18,mobilenetv2,etvk').split(',');
const minChannels = Number(arg('min-channels', '0'));
const limit = Number(arg('limit', '1000'));
const bundled = import.meta.url.endsWith('.mjs');
const childScript = fileURLToPath(new URL(bundled ? './webgpu-child.mjs' : './webgpu-child.ts', import.meta.url));

/** The suites' layers Winograd computes (3x3, stride 1, dilation 1, forward) with at least
 * `minChannels` input and output channels, one per shape, `limit` shapes per suite, as the
 * harness's `suite/name` regex (the harness runs a shape once for all its layers). */
const eligible = suites.flatMap((suite) => {
  const seen = new Set<string>();
  return getSuite(suite)
    .filter((l) => {
      const spec = conv2dSpec(l.init);
      const key = JSON.stringify(spec);
      if (seen.has(key) || convMethodRejection('winograd-4x3', spec) !== null || spec.input[1] < minChannels || spec.weight[0] < minChannels) return false;
      seen.add(key);
      return true;
    })
    .slice(0, limit)
    .map((l) => `${suite}/${l.name}`);
});
if (eligible.length === 0) throw new Error(`no 3x3 stride-1 layer with ${minChannels}+ channels in ${suites.join(', ')}`);
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const b: BenchFile = await runBench({
  suites: suites.join(','),
  backend: 'webgpu',
  cpuMode: 'exact',
  warmup: 1,
  reps: Number(arg('reps', '5')),
  budgetMs: Number.POSITIVE_INFINITY,
  methods: null,
  layers: `^(${eligible.map(escapeRegex).join('|')})$`,
  retries: 3,
  ceilings: false,
  verify: true,
  queueToo: true,
  idleTimeoutMs: 600_000,
  layersPerChild: 1,
  childScript,
  command: ['winograd-bench', ...process.argv.slice(2)],
  onProgress: (_done, _total, last) => {
    if (last && last.status !== 'ok' && last.status !== 'unsupported')
      console.error(`  ${last.layer} ${'peer' in last ? last.peer : last.method}: ${last.status} ${last.error ?? ''}`);
  },
});
const out = arg('json', '');
if (out) writeFileSync(out, `${JSON.stringify(b, null, 1)}\n`);

const fmt = (x: number | null | undefined, d = 2) => (x == null || !Number.isFinite(x) ? '-' : x.toFixed(d));
const shape = (s: Conv2dSpec) => `${s.input.join('x')} w${s.weight.join('x')} p${s.padding[0]}${s.groups > 1 ? ` g${s.groups}` : ''}`;
const queueMs = (r: BenchResult) => {
  const s = r.clock === 'queue' ? r.samplesMs : r.queueSamplesMs;
  return r.status === 'ok' && s?.length ? sampleStats(s).median : undefined;
};
const isWinograd = (m: string) => (WINOGRAD_METHODS as readonly string[]).includes(m);

console.log(`adapter: ${b.backend?.description}; LP_NUM_THREADS=${process.env.LP_NUM_THREADS}; reps ${b.settings.reps} after ${b.settings.warmup} warm-up\n`);
console.log(
  '| layer | shape | MFLOP | best existing (GFLOP/s) | winograd-2x3 GFLOP/s | x best | error/bound | winograd-4x3 GFLOP/s | x best | error/bound | existing error/bound |',
);
console.log(`|${'---|'.repeat(11)}`);
let wins4 = 0;
let worstWinograd = 0;
for (const l of b.layers) {
  const rs = b.results.filter((r) => r.layer === l.id);
  const gflops = (ms: number | undefined) => (ms === undefined ? undefined : l.flops / ms / 1e6);
  const existing = rs.filter((r) => !isWinograd(r.method) && queueMs(r) !== undefined);
  const best = existing.reduce<BenchResult | undefined>((a, r) => (!a || (queueMs(r) as number) < (queueMs(a) as number) ? r : a), undefined);
  const bestMs = best ? queueMs(best) : undefined;
  const existingError = Math.max(0, ...existing.flatMap((r) => (r.errorRatio === undefined ? [] : [r.errorRatio])));
  const cells = WINOGRAD_METHODS.map((m) => {
    const r = rs.find((x) => x.method === m);
    if (!r) return ['-', '-', '-'];
    if (r.status !== 'ok') return [r.status, '-', fmt(r.errorRatio, 3)];
    const ms = queueMs(r) as number;
    if (r.errorRatio !== undefined) worstWinograd = Math.max(worstWinograd, r.errorRatio);
    if (m === 'winograd-4x3' && bestMs !== undefined && ms < bestMs) wins4++;
    return [fmt(gflops(ms)), fmt(bestMs === undefined ? undefined : bestMs / ms), fmt(r.errorRatio, 3)];
  });
  console.log(
    `| ${l.names[0]}${l.count > 1 ? ` (x${l.count})` : ''} | ${shape(l.spec)} | ${fmt(l.flops / 1e6, 1)} | ${best ? `${best.method} (${fmt(gflops(bestMs))})` : '-'} | ${cells.map((c) => c.join(' | ')).join(' | ')} | ${fmt(existingError, 3)} |`,
  );
}
console.log(`\nwinograd-4x3 faster than every existing method on ${wins4} of ${b.layers.length} layers; worst Winograd error/bound ${fmt(worstWinograd, 3)}`);
if (b.crashes.length) console.log(`crashes: ${b.crashes.length} (see --json)`);
