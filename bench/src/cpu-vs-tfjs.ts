// CPU backend (exact and fast modes) against @tensorflow/tfjs-backend-cpu 4.22 on the conv layers
// of ResNet-18 and MobileNetV2 (batch 1, 224x224; shapes from @convroute/core's suites, which cite
// torchvision's model definitions). Run: npx tsx bench/src/cpu-vs-tfjs.ts
// Env: CPU_BENCH_SUITES=resnet18,mobilenetv2  CPU_BENCH_LAYERS=<regex on layer names>
//      CPU_BENCH_REPS=<timed runs per layer, default 3>  CPU_BENCH_MODES=exact,fast,tfjs
import os from 'node:os';
import { conv2dAbs, conv2dExact, conv2dFast, defaultCpuConvMethod } from '@convroute/backend-cpu';
import { conv2dFlops, conv2dReductionLength, getSuite, shapeSize, Tensor, uniformData, uniqueShapes } from '@convroute/core';
import { formatTable } from './cpu-table.ts';
import { initTfjsCpu, tfjsConv } from './cpu-tfjs.ts';

const suites = (process.env.CPU_BENCH_SUITES ?? 'resnet18,mobilenetv2').split(',');
const layerFilter = process.env.CPU_BENCH_LAYERS ? new RegExp(process.env.CPU_BENCH_LAYERS) : undefined;
const reps = Number(process.env.CPU_BENCH_REPS ?? 3);
const modes = new Set((process.env.CPU_BENCH_MODES ?? 'exact,fast,tfjs').split(','));

/** Median wall time in ms after warm-up (at least 2 runs and 200 ms, so V8 has optimised the
 * kernels), over at least `reps` runs and 300 ms of runs (at most 50). */
function timeMs(f: () => unknown): number {
  let warm = 0;
  for (const t0 = performance.now(); warm < 2 || performance.now() - t0 < 200; warm++) f();
  const ts: number[] = [];
  for (const t0 = performance.now(); ts.length < reps || (performance.now() - t0 < 300 && ts.length < 50); ) {
    const t = performance.now();
    f();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}

/** Worst |y - y_exact| / (gamma(n) A + u |y_exact| + n 2^-126) over a layer (docs/error-model.md). */
function worstRatio(y: Float32Array, exact: Float32Array, abs: Float32Array, n: number): number {
  const u = 2 ** -24;
  const gamma = (n * u) / (1 - n * u);
  let worst = 0;
  for (let i = 0; i < y.length; i++) {
    const r = Math.abs(y[i] - exact[i]) / (gamma * abs[i] + u * Math.abs(exact[i]) + n * 2 ** -126);
    if (!(r <= worst)) worst = r;
  }
  return worst;
}

const geomean = (v: number[]) => Math.exp(v.reduce((a, b) => a + Math.log(b), 0) / v.length);
const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '-');

await initTfjsCpu();
console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores; node ${process.version}; ${os.platform()} ${os.release()}`);
console.log(`timing: median of >= ${reps} runs (>= 300 ms) after >= 200 ms warm-up, single thread; GFLOP/s = 2*MACs / time\n`);

const all = { exact: [] as number[], fast: [] as number[], tfjs: [] as number[] };
for (const suite of suites) {
  const rows: string[][] = [];
  const per = { exact: [] as number[], fast: [] as number[], tfjs: [] as number[] };
  for (const { spec, names, count } of uniqueShapes(getSuite(suite))) {
    if (layerFilter && !names.some((n) => layerFilter.test(n))) continue;
    const method = defaultCpuConvMethod(spec);
    const x = Tensor.fromData(uniformData(shapeSize(spec.input), 1), spec.input);
    const w = Tensor.fromData(uniformData(shapeSize(spec.weight), 2, -0.5, 0.5), spec.weight);
    const flops = conv2dFlops(spec);
    const gf = (ms: number) => flops / ms / 1e6;
    let exactY: Float32Array | undefined;
    const tExact = modes.has('exact') ? timeMs(() => (exactY = conv2dExact(spec, x, w, undefined, method).data)) : Number.NaN;
    let fastY: Float32Array | undefined;
    const tFast = modes.has('fast') ? timeMs(() => (fastY = conv2dFast(spec, x, w, undefined, method).data)) : Number.NaN;
    let tfY: Float32Array | undefined;
    let tTf = Number.NaN;
    if (modes.has('tfjs')) {
      const tc = tfjsConv(spec, x.data, w.data);
      let y = tc.run();
      y.dispose();
      tTf = timeMs(() => {
        y.dispose();
        y = tc.run();
      });
      tfY = tc.toNchw(y);
      y.dispose();
      tc.dispose();
    }
    let fastRatio = Number.NaN;
    let tfRatio = Number.NaN;
    if (exactY) {
      const abs = conv2dAbs(spec, x, w).data;
      const n = conv2dReductionLength(spec);
      if (fastY) fastRatio = worstRatio(fastY, exactY, abs, n);
      if (tfY) tfRatio = worstRatio(tfY, exactY, abs, n);
    }
    const [, cIn, h] = spec.input;
    const [cOut, , kH, kW] = spec.weight;
    const shape = `${cIn}->${cOut} ${kH}x${kW}/${spec.stride[0]} ${h}x${h}${spec.groups > 1 ? ` g${spec.groups}` : ''}`;
    rows.push([
      names[0] + (count > 1 ? ` (x${count})` : ''),
      shape,
      method,
      f2(gf(tExact)),
      f2(gf(tFast)),
      f2(gf(tTf)),
      f2(tFast > 0 ? tTf / tFast : Number.NaN),
      f2(tExact > 0 ? tTf / tExact : Number.NaN),
      fastRatio.toExponential(1),
      tfRatio.toExponential(1),
    ]);
    for (const [k, t] of [
      ['exact', tExact],
      ['fast', tFast],
      ['tfjs', tTf],
    ] as const) {
      if (Number.isFinite(t)) {
        per[k].push(gf(t));
        all[k].push(gf(t));
      }
    }
    process.stderr.write(`  ${suite} ${names[0]} done\n`);
  }
  const gm = (k: keyof typeof per) => (per[k].length ? geomean(per[k]) : Number.NaN);
  rows.push(['geomean', '', '', f2(gm('exact')), f2(gm('fast')), f2(gm('tfjs')), f2(gm('fast') / gm('tfjs')), f2(gm('exact') / gm('tfjs')), '', '']);
  console.log(`${suite} (unique shapes; GFLOP/s)`);
  console.log(formatTable(['layer', 'shape', 'method', 'exact', 'fast', 'tfjs-cpu', 'fast/tfjs', 'exact/tfjs', 'fast err/bound', 'tfjs err/bound'], rows));
  console.log('');
}
const g = (k: keyof typeof all) => (all[k].length ? geomean(all[k]) : Number.NaN);
console.log(
  `all layers: geomean GFLOP/s exact ${f2(g('exact'))}, fast ${f2(g('fast'))}, tfjs-cpu ${f2(g('tfjs'))}; fast/tfjs ${f2(g('fast') / g('tfjs'))}x (target >= 2), exact/tfjs ${f2(g('exact') / g('tfjs'))}x (target >= 0.25)`,
);
