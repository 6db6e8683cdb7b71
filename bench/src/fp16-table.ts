// Issue 14: each f16 precision against f32 on a few suite layers, on one adapter (lavapipe here):
// the median time after warm-up (the harness's clock: GPU timestamps where they resolve, else
// queue completion) and the measured error / bound (f32: the reordering bound; f16-storage and
// f16: the fp16 bound, docs/error-model.md "fp16"), every output checked against the exact CPU
// reference. Writes a Markdown table on stdout.
//   npx tsx bench/src/fp16-table.ts [--layers REGEX] [--reps 5] [--json out.json] [--from out.json (print a saved run)]
import { readFileSync, writeFileSync } from 'node:fs';
import { type BenchFile, runBench } from '@convroute/cli';
import { conv2dReductionLength, conv2dSpec, F16_CONV_METHODS, type Precision } from '@convroute/core';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
process.env.LP_NUM_THREADS ??= '1';
process.env.XDG_RUNTIME_DIR ??= '/tmp';
const layers = arg('layers', '^resnet18/(layer2\\.0\\.downsample\\.0|layer3\\.0\\.conv2|layer4\\.0\\.conv2)$|^mobilenetv2/features\\.2\\.conv\\.0\\.0$');
const reps = Number(arg('reps', '5'));
const PRECISIONS: Precision[] = ['f32', 'f16-storage', 'f16'];

const from = arg('from', '');
const runs: Record<string, BenchFile> = from ? JSON.parse(readFileSync(from, 'utf8')) : {};
for (const precision of from ? [] : PRECISIONS) {
  runs[precision] = await runBench({
    suites: 'resnet18,mobilenetv2',
    backend: 'webgpu',
    cpuMode: 'exact',
    precision,
    warmup: 2,
    reps,
    budgetMs: Number.POSITIVE_INFINITY,
    methods: [...F16_CONV_METHODS],
    layers,
    retries: 2,
    ceilings: false,
    verify: true,
    idleTimeoutMs: 600_000,
    layersPerChild: 1,
    command: ['fp16-table', ...process.argv.slice(2)],
  });
}
const out = arg('json', '');
if (out && !from) writeFileSync(out, `${JSON.stringify(runs, null, 1)}\n`);

const f32 = runs.f32;
const fmt = (x: number | undefined, d: number) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));
const cell = (p: string, layer: string, method: string) => runs[p].results.find((r) => r.layer === layer && r.method === method);
console.log(`adapter: ${f32.backend?.description}; LP_NUM_THREADS=${process.env.LP_NUM_THREADS}; median of ${reps} after 2 warm-up runs`);
console.log('');
console.log('| layer | shape | method | f32 ms | f16-storage ms | f16 ms | error/bound f32 | f16-storage | f16 |');
console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const l of f32.layers) {
  const s = l.spec;
  const shape = `${s.input.join('x')} w${s.weight.join('x')} s${s.stride[0]}${s.groups > 1 ? ` g${s.groups}` : ''}`;
  for (const m of F16_CONV_METHODS) {
    const c = PRECISIONS.map((p) => cell(p, l.id, m));
    if (c.every((r) => !r || r.status === 'unsupported')) continue;
    const ms = c.map((r) => (r?.status === 'ok' ? r.stats?.median : undefined));
    // gamma16(n) is infinite from n = 2048 terms: the f16 model bounds nothing there.
    const n = conv2dReductionLength(conv2dSpec(s as never));
    const ratio = (i: number) =>
      c[i]?.status !== 'ok' ? (c[i]?.status ?? '-') : PRECISIONS[i] === 'f16' && n >= 2048 ? `unbounded (n = ${n})` : fmt(c[i]?.errorRatio, 3);
    const rel = (i: number) => (ms[i] !== undefined && ms[0] !== undefined ? ` (${fmt(ms[0] / (ms[i] as number), 2)}x)` : '');
    console.log(
      `| ${l.id} | ${shape} | ${m} | ${fmt(ms[0], 2)} | ${fmt(ms[1], 2)}${rel(1)} | ${fmt(ms[2], 2)}${rel(2)} | ${ratio(0)} | ${ratio(1)} | ${ratio(2)} |`,
    );
  }
}
