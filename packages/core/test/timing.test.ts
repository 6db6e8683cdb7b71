import { describe, expect, it } from 'vitest';
import {
  type Backend,
  checkRunRequest,
  conv2dSpec,
  type OpSpec,
  type PreparedRun,
  preparedRun,
  sampleStats,
  Tensor,
  timeBackendRun,
  timePrepared,
} from '../src/index.ts';

const spec = conv2dSpec({ input: [1, 1, 3, 3], weight: [1, 1, 1, 1] });
const op: OpSpec = { op: 'conv2d', spec };
const x = Tensor.zeros([1, 1, 3, 3]);
const w = Tensor.zeros([1, 1, 1, 1]);

/** A prepared run whose execute returns the given device times in turn, then 0.5 (null: a device
 * without timestamps), and advances `clock.t` by `clock.step` ms of wall time per call. */
function fakePrepared(deviceMs: number[] | null, clock: PreparedRun['clock'] = 'queue', wall = { t: 0, step: 0 }) {
  const calls: (boolean | undefined)[] = [];
  const p = preparedRun('fake', {
    outputShape: [1, 1, 3, 3],
    clock,
    execute: async (opts) => {
      calls.push(opts?.timestamps);
      wall.t += wall.step;
      if (!opts?.timestamps || deviceMs === null) return null;
      return deviceMs.shift() ?? 0.5;
    },
    read: async () => Tensor.zeros([1, 1, 3, 3]),
    release: () => {},
  });
  return { p, calls };
}

describe('timing (shared by the CLI bench, the bench package and the playground)', () => {
  it('stops repeating at the time budget, but takes at least 3 samples', async () => {
    let calls = 0;
    const fake: Backend = {
      name: 'fake',
      description: 'fake',
      methodsFor: () => ['pointwise'],
      run: async () => {
        calls++;
        return Tensor.zeros([1, 1, 3, 3]);
      },
    };
    let t = 0;
    const now = () => (t += 50); // each timed call takes 50 "ms"
    const r = await timeBackendRun(fake, op, 'pointwise', [x, w], { warmup: 2, reps: 10, budgetMs: 100, now });
    expect(r).toEqual({ samplesMs: [50, 50, 50], clock: 'wall' });
    expect(calls).toBe(5);
    const all = await timeBackendRun(fake, op, 'pointwise', [x, w], { warmup: 0, reps: 4, budgetMs: 1e9, now });
    expect(all.samplesMs).toHaveLength(4);
  });

  it('times by the run clock when a GPU-timestamp sample is zero (work within one clock tick)', async () => {
    const { p, calls } = fakePrepared([0.5, 0.5, 0, 0.5]);
    let t = 0;
    const r = await timePrepared(p, { warmup: 0, reps: 3, budgetMs: 1e9, now: () => (t += 2) });
    expect(r).toEqual({ clock: 'queue', samplesMs: [2, 2, 2] });
    // the probe, three timestamp samples, then three on the wall clock
    expect(calls).toEqual([true, true, true, true, undefined, undefined, undefined]);
    const resolved = await timePrepared(p, { warmup: 0, reps: 3, budgetMs: 1e9 });
    expect(resolved).toEqual({ clock: 'gpu-timestamp', samplesMs: [0.5, 0.5, 0.5] });
  });

  it("labels a run without device timestamps with the run's own clock, and can skip timestamps", async () => {
    const cpu = fakePrepared(null, 'wall');
    let t = 0;
    expect(await timePrepared(cpu.p, { warmup: 1, reps: 2, budgetMs: 1e9, now: () => (t += 1) })).toEqual({ clock: 'wall', samplesMs: [1, 1] });
    const gpu = fakePrepared([0.5, 0.5]);
    const r = await timePrepared(gpu.p, { warmup: 0, reps: 2, budgetMs: 1e9, timestamps: false, now: () => (t += 1) });
    expect(r.clock).toBe('queue');
    expect(gpu.calls).toEqual([undefined, undefined]);
  });

  it('averages several executions per sample on a coarse clock, sized by the last warm-up', async () => {
    // each call takes 1 ms of wall time; 5 ms per sample -> 5 calls per sample
    const wall = { t: 0, step: 1 };
    const { p, calls } = fakePrepared([], 'queue', wall);
    const now = () => wall.t;
    const r = await timePrepared(p, { warmup: 1, reps: 2, budgetMs: Number.POSITIVE_INFINITY, timestamps: false, minSampleMs: 5, now });
    expect(r.samplesMs).toEqual([1, 1]);
    expect(calls).toHaveLength(1 + 2 * 5);
    const capped = fakePrepared([], 'queue', wall);
    await timePrepared(capped.p, { warmup: 0, reps: 1, budgetMs: 1e9, timestamps: false, minSampleMs: 1000, maxPerSample: 7, now });
    // no warm-up asked: one sizing call, then 7
    expect(capped.calls).toHaveLength(1 + 7);
  });

  it('summarises samples with median and quartiles', () => {
    expect(sampleStats([5, 1, 3, 2, 4])).toEqual({ n: 5, median: 3, min: 1, max: 5, q1: 2, q3: 4 });
    expect(sampleStats([1, 2])).toMatchObject({ median: 1.5, q1: 1.25, q3: 1.75 });
  });
});

describe('prepared runs and the shared run validation', () => {
  it('refuses read before execute (NOT_EXECUTED) and any use after release (CLOSED)', async () => {
    const { p } = fakePrepared([]);
    await expect(p.read()).rejects.toMatchObject({ code: 'NOT_EXECUTED' });
    await p.execute();
    expect((await p.read()).shape).toEqual([1, 1, 3, 3]);
    p.release();
    p.release(); // idempotent
    await expect(p.execute()).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(p.read()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('checks inputs, then the method (with the algorithm reason), then the backend refusal', () => {
    let refused = 0;
    const b = {
      name: 'fake',
      methodsFor: () => ['pointwise', 'direct'] as const,
      checkRun: () => {
        refused++;
        throw new Error('over budget');
      },
    };
    expect(() => checkRunRequest(b, op, 'pointwise', [x])).toThrow(/SHAPE_MISMATCH/);
    expect(() => checkRunRequest(b, op, 'depthwise', [x, w])).toThrow(/UNSUPPORTED_METHOD/);
    expect(() => checkRunRequest(b, op, 'implicit-gemm', [x, w])).toThrow(/the fake backend runs pointwise, direct for this conv2d/);
    expect(() => checkRunRequest(b, op, 'transposed', [x, w])).toThrow(/transposed needs a transposed conv/);
    expect(refused).toBe(0);
    expect(() => checkRunRequest(b, op, 'direct', [x, w])).toThrow(/over budget/);
  });
});
