import type { Backend, Method, OpSpec, Tensor } from '@convroute/core';
import type { Clock } from './format.ts';

/**
 * An optional hook a backend may offer for honest GPU timing: one run, timed by GPU timestamps
 * around its kernels (`gpu-timestamp`) or by queue completion (`queue`), excluding upload and
 * read-back. Without it the harness times `backend.run` on the wall clock and labels it `wall`.
 */
export interface TimedRun {
  runTimed(op: OpSpec, method: Method, inputs: readonly Tensor[]): Promise<{ ms: number; clock: Exclude<Clock, 'wall'> }>;
}

export function hasTimedRun(b: Backend): b is Backend & TimedRun {
  return typeof (b as Partial<TimedRun>).runTimed === 'function';
}

/** backend-webgpu's `prepare`: inputs uploaded and pipelines built once, `execute` repeatable and
 * resolved when the queue has finished the work, so a sample excludes upload and read-back. With
 * `timestamps` it resolves to the GPU time of its passes (null without `timestamp-query`). */
interface Preparing {
  prepare(
    op: OpSpec,
    method: Method,
    inputs: readonly Tensor[],
  ): Promise<{ execute(opts?: { timestamps?: boolean }): Promise<number | null | undefined>; release(): void }>;
}

function hasPrepare(b: Backend): b is Backend & Preparing {
  return typeof (b as Partial<Preparing>).prepare === 'function';
}

export interface TimingOptions {
  warmup: number;
  reps: number;
  budgetMs: number;
  /** Clock for the wall-clock path (tests inject a fake one). */
  now?: () => number;
}

/** Warm-up runs (pipelines compile, caches fill), then up to `reps` timed runs, stopping early
 * once they add up to `budgetMs` with at least 3 taken, so a slow layer cannot stall a run. */
export async function timeRuns(
  backend: Backend,
  op: OpSpec,
  method: Method,
  inputs: readonly Tensor[],
  o: TimingOptions,
): Promise<{ samplesMs: number[]; clock: Clock }> {
  const now = o.now ?? (() => performance.now());
  if (!hasTimedRun(backend) && hasPrepare(backend)) {
    const prepared = await backend.prepare(op, method, inputs);
    try {
      // GPU timestamps when the device has them (issue 6), else queue completion on the wall clock.
      const gpu = await prepared.execute({ timestamps: true });
      if (typeof gpu === 'number') {
        let last = 0;
        const gpuNow = () => last;
        const samplesMs = await sample(
          async () => {
            last += (await prepared.execute({ timestamps: true })) as number;
          },
          gpuNow,
          o,
        );
        // A zero sample means the work fit between two ticks of the GPU clock (lavapipe's tick is
        // 65.5 us): such a case is timed by queue completion instead, which always advances.
        if (samplesMs.every((ms) => ms > 0)) return { samplesMs, clock: 'gpu-timestamp' };
      }
      return { samplesMs: await sample(() => prepared.execute(), now, o), clock: 'queue' };
    } finally {
      prepared.release();
    }
  }
  if (!hasTimedRun(backend)) return { samplesMs: await sample(() => backend.run(op, method, inputs), now, o), clock: 'wall' };
  for (let i = 0; i < o.warmup; i++) await backend.run(op, method, inputs);
  const samplesMs: number[] = [];
  let clock: Clock = 'queue';
  let spent = 0;
  for (let i = 0; i < o.reps; i++) {
    const r = await backend.runTimed(op, method, inputs);
    clock = r.clock;
    const ms = r.ms;
    samplesMs.push(ms);
    spent += ms;
    if (spent >= o.budgetMs && samplesMs.length >= Math.min(3, o.reps)) break;
  }
  return { samplesMs, clock };
}

/** Warm-up calls, then timed calls on the wall clock (see timeRuns for the stopping rule). */
async function sample(run: () => Promise<unknown>, now: () => number, o: TimingOptions): Promise<number[]> {
  for (let i = 0; i < o.warmup; i++) await run();
  const samples: number[] = [];
  let spent = 0;
  for (let i = 0; i < o.reps; i++) {
    const t0 = now();
    await run();
    const ms = now() - t0;
    samples.push(ms);
    spent += ms;
    if (spent >= o.budgetMs && samples.length >= Math.min(3, o.reps)) break;
  }
  return samples;
}
