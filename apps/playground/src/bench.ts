import {
  type Backend,
  type Conv2dSpec,
  type ConvMethod,
  conv2dBiasShape,
  conv2dFlops,
  isConvMethod,
  type Method,
  type OpSpec,
  shapeSize,
  Tensor,
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

/** How the page times a case. Browsers quantise timestamp queries and the backend does not expose
 * them, so this is queue completion time, as `convroute bench` uses without timestamp-query. */
export const BENCH_TIMING =
  'wall clock of the prepared dispatches until the queue reports them done (inputs uploaded and pipelines built beforehand); each sample averages enough calls to last 5 ms; median of the samples after warm-up';

/** A backend that can prepare a run and execute it repeatedly (the WebGPU backend). */
interface PreparingBackend extends Backend {
  prepare(op: OpSpec, method: Method, inputs: readonly Tensor[]): Promise<{ execute(): Promise<void>; release(): void }>;
}
function isPreparing(b: Backend): b is PreparingBackend {
  return typeof (b as Partial<PreparingBackend>).prepare === 'function';
}

const MIN_SAMPLE_MS = 5;
const MAX_INNER = 50;

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

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
        // The WebGPU backend prepares a run once (upload, pipelines) and can execute it again, so
        // only the dispatches and the wait for completion are timed; other backends time run().
        const op = { op: 'conv2d' as const, spec: s.spec };
        const prepared = isPreparing(backend) ? await backend.prepare(op, m, inputs) : null;
        const run = prepared ? () => prepared.execute() : () => backend.run(op, m, inputs).then(() => undefined);
        try {
          let first = 0;
          for (let k = 0; k < Math.max(1, options.warmup); k++) {
            const t0 = performance.now();
            await run();
            first = performance.now() - t0;
          }
          // Browsers coarsen performance.now() (100 us in Chromium without cross-origin isolation),
          // so each sample averages enough calls to last about MIN_SAMPLE_MS.
          const inner = Math.min(MAX_INNER, Math.max(1, Math.ceil(MIN_SAMPLE_MS / Math.max(first, 0.01))));
          const samples: number[] = [];
          for (let k = 0; k < options.reps; k++) {
            const t0 = performance.now();
            for (let j = 0; j < inner; j++) await run();
            samples.push((performance.now() - t0) / inner);
          }
          layer.samples[m] = samples;
          layer.times[m] = median(samples);
        } finally {
          prepared?.release();
        }
      } catch (e) {
        layer.errors[m] = e instanceof Error ? e.message : String(e);
      }
      options.onCase(++done, total, layer);
    }
  }
  return layers;
}
