import {
  type Backend,
  type Conv2dSpec,
  type ConvMethod,
  conv2dBiasShape,
  conv2dFlops,
  isConvMethod,
  sampleStats,
  shapeSize,
  Tensor,
  type TimingOptions,
  timeBackendRun,
  uniformData,
} from '@convroute/core';
import type { MeasuredLayer } from '@convroute/router';
import type { RunControl } from './run-suite.ts';

/** One distinct conv shape of a suite, benchmarked with every method the backend can run. */
export interface BenchLayer extends MeasuredLayer {
  /** The suite layers that share this shape (weight = how many). */
  names: string[];
  flops: number;
  /** Median wall time per method, ms (MeasuredLayer.times). */
  times: Partial<Record<ConvMethod, number>>;
  /** Every timed repetition per method, ms. */
  samples: Partial<Record<ConvMethod, number[]>>;
  /** Methods that threw, with the message. */
  errors: Partial<Record<ConvMethod, string>>;
}

export interface BenchShape {
  name: string;
  names: string[];
  spec: Conv2dSpec;
  count: number;
}

export interface BenchOptions {
  warmup: number;
  reps: number;
  control: RunControl;
  /** Called after each (shape, method) case. */
  onCase: (done: number, total: number, layer: BenchLayer) => void;
}

/** How the page times a case (core's timeBackendRun, as `convroute bench`). Browsers quantise
 * timestamp queries and performance.now(), so the page times queue completion, several calls a
 * sample. */
export const BENCH_TIMING =
  'wall clock of the prepared dispatches until the queue reports them done (inputs uploaded and pipelines built beforehand); each sample averages enough calls to last 5 ms; median of the samples after warm-up';

/** Browsers coarsen performance.now() (100 us in Chromium without cross-origin isolation), so each
 * sample averages enough calls to last about 5 ms (at most 50). */
const pageTiming = (warmup: number, reps: number): TimingOptions => ({
  warmup: Math.max(1, warmup),
  reps,
  budgetMs: Number.POSITIVE_INFINITY,
  minSampleMs: 5,
  maxPerSample: 50,
  timestamps: false,
});

function inputsFor(spec: Conv2dSpec, seed: number): Tensor[] {
  const t = [
    Tensor.fromData(uniformData(shapeSize(spec.input), seed), spec.input),
    Tensor.fromData(uniformData(shapeSize(spec.weight), seed + 1), spec.weight),
  ];
  if (spec.bias) t.push(Tensor.fromData(uniformData(conv2dBiasShape(spec)[0], seed + 2), conv2dBiasShape(spec)));
  return t;
}

/** Times each method on each shape, one call at a time (each call is a short GPU submission). */
export async function benchShapes(shapes: readonly BenchShape[], backend: Backend, options: BenchOptions): Promise<BenchLayer[]> {
  const plan = shapes.map((s) => ({ s, methods: backend.methodsFor({ op: 'conv2d', spec: s.spec }).filter(isConvMethod) }));
  const total = plan.reduce((n, p) => n + p.methods.length, 0);
  const layers: BenchLayer[] = [];
  let done = 0;
  for (const [i, { s, methods }] of plan.entries()) {
    const layer: BenchLayer = { name: s.name, names: s.names, spec: s.spec, weight: s.count, flops: conv2dFlops(s.spec), times: {}, samples: {}, errors: {} };
    layers.push(layer);
    const inputs = inputsFor(s.spec, 1000 + 3 * i);
    for (const m of methods) {
      if (options.control.abort) return layers;
      try {
        // Prepared once where the backend can (upload, pipelines), so only the dispatches and
        // the wait for completion are timed; a backend without prepare is timed around run().
        const { samplesMs } = await timeBackendRun(backend, { op: 'conv2d', spec: s.spec }, m, inputs, pageTiming(options.warmup, options.reps));
        layer.samples[m] = samplesMs;
        layer.times[m] = sampleStats(samplesMs).median;
      } catch (e) {
        layer.errors[m] = e instanceof Error ? e.message : String(e);
      }
      options.onCase(++done, total, layer);
    }
  }
  return layers;
}
