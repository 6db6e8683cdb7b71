import type { Backend, PreparedRun } from './backend.ts';
import type { Method, OpSpec } from './ops.ts';
import type { Tensor } from './tensor.ts';

/**
 * How a sample was timed, from best to worst: the device's timestamps around its kernels, the
 * wall clock until the device's queue reported the work done (prepared inputs: no upload or
 * read-back), or the wall clock around a call that computes (a CPU's execute, or `backend.run`
 * for a backend without `prepare`).
 */
export type TimingClock = 'gpu-timestamp' | 'queue' | 'wall';

/** Browser-safe: the CLI's bench harness, the private bench package and the playground time with it. */
export interface TimingOptions {
  warmup: number;
  reps: number;
  /** Stop repeating once the samples add up to this, with at least min(3, reps) taken, so a slow
   * case cannot stall a run (Infinity: always `reps`). */
  budgetMs: number;
  /** Each sample averages enough executions to last about this long (a coarse clock: browsers
   * round performance.now() to 0.1 ms); sized by the last warm-up. Default 0: one per sample. */
  minSampleMs?: number;
  /** At most this many executions per sample (default 50). */
  maxPerSample?: number;
  /** Use device timestamps where the prepared run resolves them (default true). */
  timestamps?: boolean;
  /** The wall clock (tests inject a fake one). */
  now?: () => number;
}

export interface Timing {
  samplesMs: number[];
  clock: TimingClock;
}

/**
 * Times a prepared run: by device timestamps when `execute({ timestamps })` resolves them and every
 * sample is positive, else by the wall clock around `execute` (the run's own clock, 'queue' or
 * 'wall'). A zero timestamp sample means the work fit within one tick of the device's clock
 * (lavapipe's is 65.5 us): such a case is timed on the wall clock, which always advances.
 */
export async function timePrepared(prepared: PreparedRun, o: TimingOptions): Promise<Timing> {
  const now = o.now ?? (() => performance.now());
  if (o.timestamps ?? true) {
    const probe = await prepared.execute({ timestamps: true });
    if (typeof probe === 'number') {
      let deviceMs = 0;
      const samplesMs = await sampleCalls(
        async () => {
          deviceMs += (await prepared.execute({ timestamps: true })) ?? Number.NaN;
        },
        () => deviceMs,
        o,
      );
      if (samplesMs.every((ms) => ms > 0)) return { samplesMs, clock: 'gpu-timestamp' };
    }
  }
  return { samplesMs: await sampleCalls(() => prepared.execute(), now, o), clock: prepared.clock };
}

/** Times one request on a backend: prepared once and executed repeatedly where the backend can
 * prepare (Backend.prepare), else `backend.run` on the wall clock (upload and read-back included). */
export async function timeBackendRun(backend: Backend, op: OpSpec, method: Method, inputs: readonly Tensor[], o: TimingOptions): Promise<Timing> {
  if (!backend.prepare) return { samplesMs: await sampleCalls(() => backend.run(op, method, inputs), o.now ?? (() => performance.now()), o), clock: 'wall' };
  const prepared = await backend.prepare(op, method, inputs);
  try {
    return await timePrepared(prepared, o);
  } finally {
    prepared.release();
  }
}

/** Warm-up calls, then up to `reps` samples of `now` around the calls (see TimingOptions). */
export async function sampleCalls(call: () => Promise<unknown>, now: () => number, o: TimingOptions): Promise<number[]> {
  let last = 0;
  for (let i = 0; i < o.warmup; i++) {
    const t0 = now();
    await call();
    last = now() - t0;
  }
  const minMs = o.minSampleMs ?? 0;
  let perSample = 1;
  if (minMs > 0) {
    if (o.warmup === 0) {
      const t0 = now();
      await call();
      last = now() - t0;
    }
    perSample = Math.min(o.maxPerSample ?? 50, Math.max(1, Math.ceil(minMs / Math.max(last, 0.01))));
  }
  const samples: number[] = [];
  let spent = 0;
  for (let i = 0; i < o.reps; i++) {
    const t0 = now();
    for (let j = 0; j < perSample; j++) await call();
    const ms = (now() - t0) / perSample;
    samples.push(ms);
    spent += ms * perSample;
    if (spent >= o.budgetMs && samples.length >= Math.min(3, o.reps)) break;
  }
  return samples;
}
