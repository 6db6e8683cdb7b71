import { CONV_METHODS, conv2dBiasShape, conv2dOutputShape, sampleStats, shapeSize } from '@convroute/core';
import { classify } from '@convroute/router';
import type { BenchLayer } from './bench.ts';

/**
 * The page's bench as a `convroute-bench` file (version 1), the format `convroute bench --json`
 * writes and `convroute calibrate --bench` / `convroute compare --bench` read
 * (packages/cli/src/bench/format.ts; the playground may not import the cli, so the shape is
 * written out here). Clock 'queue': dispatch until the queue reports the work done.
 */
export interface BenchFileContext {
  suite: string;
  warmup: number;
  reps: number;
  backend: { name: string; description: string };
  adapter: { info: Record<string, string>; features: string[]; limits: Record<string, number>; profile: string };
  userAgent: string;
}

export function toBenchFile(layers: readonly BenchLayer[], ctx: BenchFileContext): Record<string, unknown> {
  const fileLayers = layers.map((l) => {
    const out = shapeSize(conv2dOutputShape(l.spec));
    const bias = l.spec.bias ? conv2dBiasShape(l.spec)[0] : 0;
    const bytes = 4 * (shapeSize(l.spec.input) + shapeSize(l.spec.weight) + bias + out);
    return { id: l.name, suite: ctx.suite, names: l.names, count: l.weight, spec: l.spec, class: classify(l.spec), flops: l.flops, bytes };
  });
  const results = layers.flatMap((l, i) =>
    CONV_METHODS.flatMap((method): Record<string, unknown>[] => {
      const samples = l.samples[method];
      if (samples?.length) {
        const st = sampleStats(samples);
        const gflops = l.flops / st.median / 1e6;
        const gbps = fileLayers[i].bytes / st.median / 1e6;
        return [{ layer: l.name, method, status: 'ok', clock: 'queue', samplesMs: samples, stats: st, gflops, gbps, attempts: 1 }];
      }
      if (l.errors[method]) return [{ layer: l.name, method, status: 'error', error: l.errors[method], attempts: 1 }];
      return [];
    }),
  );
  return {
    format: 'convroute-bench',
    version: 1,
    date: new Date().toISOString(),
    command: ['convroute-playground', `suite=${ctx.suite}`],
    settings: { suites: [ctx.suite], backend: 'webgpu', warmup: ctx.warmup, reps: ctx.reps, budgetMs: 0, methods: null, layers: null, retries: 0 },
    machine: { platform: 'browser', arch: '', cpus: ctx.userAgent, cpuCount: navigator.hardwareConcurrency ?? 0 },
    env: {},
    software: { userAgent: ctx.userAgent },
    backend: { ...ctx.backend, note: 'convroute playground' },
    adapter: ctx.adapter,
    ceilings: null,
    layers: fileLayers,
    results,
    crashes: [],
  };
}
