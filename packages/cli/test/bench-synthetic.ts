import { type ConvMethod, conv2dSpec, convMethodsFor } from '@convroute/core';
import { benchLayer } from '../src/bench/cases.ts';
import { BENCH_FORMAT, type BenchFile, type BenchResult } from '../src/bench/format.ts';
import { finishResult } from '../src/bench/run-bench.ts';

/** A bench file with made-up times: im2col-gemm is 1.5x faster than direct from C_out >= t on
 * and 1.5x slower below (3x3 SlidingWindow convs); pointwise always wins on 1x1 convs. */
export function syntheticBench(t = 128, adapter = true): BenchFile {
  const layers = [];
  const results: BenchResult[] = [];
  let k = 0;
  for (const cOut of [16, 32, 64, 96, 128, 192, 256, 512]) {
    for (const cIn of [8, 24]) {
      const l = benchLayer('syn', [`c${cOut}.${cIn}`], conv2dSpec({ input: [1, cIn, 14, 14], weight: [cOut, cIn, 3, 3], padding: 1 }));
      layers.push(l);
      const direct = l.flops * 1e-6;
      const times: Partial<Record<ConvMethod, number>> = { direct, 'im2col-gemm': cOut >= t ? direct / 1.5 : direct * 1.5 };
      for (const [m, ms] of Object.entries(times)) {
        const samplesMs = [ms * 0.9, ms, ms * 1.2];
        results.push(finishResult({ layer: l.id, method: m as ConvMethod, status: 'ok', clock: 'queue', samplesMs, attempts: 1 }, l));
      }
      results.push({ layer: l.id, method: 'implicit-gemm', status: 'unsupported', attempts: 1, error: 'not here' });
      k++;
    }
  }
  const pw = benchLayer('syn', ['pw'], conv2dSpec({ input: [1, 32, 14, 14], weight: [64, 32, 1, 1] }));
  layers.push(pw);
  for (const m of convMethodsFor(pw.spec)) {
    const ms = m === 'pointwise' ? 1 : 2;
    results.push(finishResult({ layer: pw.id, method: m, status: 'ok', clock: 'queue', samplesMs: [ms], attempts: 1 }, pw));
  }
  return {
    format: BENCH_FORMAT,
    version: 1,
    date: '2026-11-25T00:00:00.000Z',
    command: ['synthetic', String(k)],
    settings: { suites: ['syn'], backend: 'webgpu', warmup: 0, reps: 3, budgetMs: 0, methods: null, layers: null, retries: 0 },
    machine: { platform: 'linux', arch: 'x64', cpus: 'test', cpuCount: 2 },
    env: {},
    software: { node: process.version },
    backend: { name: 'webgpu', description: 'synthetic', note: '' },
    adapter: adapter
      ? { info: { vendor: 'mesa', architecture: 'software', device: 'llvmpipe', description: '' }, features: [], limits: {}, profile: 'llvmpipe' }
      : null,
    ceilings: null,
    layers,
    results,
    crashes: [],
  };
}
