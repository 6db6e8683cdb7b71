import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Backend, conv2dSpec, type OpSpec, Tensor } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { type BenchFile, parseBench } from '../src/bench/format.ts';
import { type BenchOptions, runBench } from '../src/bench/run-bench.ts';
import { sampleStats } from '../src/bench/stats.ts';
import { timeRuns } from '../src/bench/timing.ts';

const dir = mkdtempSync(join(tmpdir(), 'bench-'));
const graph = join(dir, 'tiny.json');
const conv = (id: string, input: string, w: string, out: string, attrs: object = {}) => ({ id, op: 'conv2d', inputs: [input, w], output: out, attrs });
writeFileSync(
  graph,
  JSON.stringify({
    format: 'convroute-graph',
    version: 1,
    inputs: [{ name: 'x', shape: [1, 2, 6, 6] }],
    constants: [
      { name: 'w1', shape: [4, 2, 3, 3], fill: { kind: 'uniform', seed: 1 } },
      { name: 'w2', shape: [3, 4, 1, 1], fill: { kind: 'uniform', seed: 2 } },
    ],
    nodes: [conv('c1', 'x', 'w1', 'y1', { padding: 1 }), conv('c2', 'y1', 'w2', 'y2')],
    outputs: ['y2'],
  }),
);

const base: BenchOptions = {
  suites: graph,
  backend: 'cpu',
  cpuMode: 'fast',
  warmup: 1,
  reps: 3,
  budgetMs: 1000,
  methods: null,
  retries: 2,
  ceilings: false,
  idleTimeoutMs: 60_000,
  layersPerChild: 1,
};

describe('bench harness', () => {
  it('hands over the file so far after every case (bench --json saves as it goes)', async () => {
    const partials: BenchFile[] = [];
    const b = await runBench({ ...base, methods: ['direct'], onPartial: async (f) => void partials.push(f) });
    expect(partials.map((f) => f.results.length)).toEqual([1, 2]);
    expect(partials.every((f) => f.complete === false)).toBe(true);
    expect(b.complete).toBe(true);
    expect(parseBench(JSON.stringify(partials[0])).results[0].layer).toBe('tiny/c1');
  });

  it('times every method per layer of a graph on the CPU backend, in child processes', async () => {
    const seen: string[] = [];
    const b = await runBench({ ...base, onProgress: (done, total, last) => seen.push(`${done}/${total}${last ? ` ${last.method}` : ''}`) });
    expect(b.layers.map((l) => l.id)).toEqual(['tiny/c1', 'tiny/c2']);
    expect(b.backend?.description).toBe('cpu (fast)');
    const status = Object.fromEntries(b.results.map((r) => [`${r.layer} ${r.method}`, r.status]));
    expect(status).toMatchObject({ 'tiny/c1 direct': 'ok', 'tiny/c1 im2col-gemm': 'ok', 'tiny/c1 implicit-gemm': 'unsupported', 'tiny/c2 pointwise': 'ok' });
    for (const r of b.results.filter((x) => x.status === 'ok')) {
      expect(r.samplesMs).toHaveLength(3);
      expect(r.clock).toBe('wall');
      expect(r.stats?.median).toBeGreaterThan(0);
      expect(r.gflops).toBeGreaterThan(0);
      expect(r.attempts).toBe(1);
    }
    expect(seen[0]).toBe(`0/${b.results.length}`);
    expect(seen.at(-1)).toMatch(new RegExp(`^${b.results.length}/${b.results.length} `));
    expect(b.software.node).toBe(process.version);
    expect(b.software['@convroute/core']).toMatch(/^\d/);
    // the JSON round-trips through the reader the other commands use
    expect(parseBench(JSON.stringify(b)).results).toHaveLength(b.results.length);
  }, 60_000);

  it('retries a case whose child aborts, keeps what finished, and gives up after the retries', async () => {
    const marker = join(dir, 'marker');
    process.env.CRASH_MARKER = marker;
    process.env.CRASH_PLAN = JSON.stringify({ 'tiny/c1|im2col-gemm': 1, 'tiny/c2|pointwise': 99 });
    try {
      const b = await runBench({ ...base, childScript: join(import.meta.dirname, 'bench-fixture-child.ts') });
      const r = (layer: string, method: string) => b.results.find((x) => x.layer === layer && x.method === method);
      expect(r('tiny/c1', 'direct')).toMatchObject({ status: 'ok', attempts: 1 });
      expect(r('tiny/c1', 'im2col-gemm')).toMatchObject({ status: 'ok', attempts: 2 });
      expect(r('tiny/c1', 'implicit-gemm')).toMatchObject({ status: 'ok', attempts: 1 });
      expect(r('tiny/c2', 'pointwise')).toMatchObject({ status: 'crashed', attempts: 3 });
      expect(r('tiny/c2', 'pointwise')?.error).toMatch(/crashed on all 3 attempts \(last: SIGABRT\)/);
      // the cases after the one that kept crashing still ran
      expect(r('tiny/c2', 'direct')).toMatchObject({ status: 'ok' });
      expect(b.crashes.map((c) => `${c.layer} ${c.method} #${c.attempt} ${c.signal}`)).toEqual([
        'tiny/c1 im2col-gemm #1 SIGABRT',
        'tiny/c2 pointwise #1 SIGABRT',
        'tiny/c2 pointwise #2 SIGABRT',
        'tiny/c2 pointwise #3 SIGABRT',
      ]);
      expect(b.crashes[0].stderrTail).toMatch(/aborting on tiny\/c1\|im2col-gemm/);
    } finally {
      delete process.env.CRASH_PLAN;
      delete process.env.CRASH_MARKER;
    }
  }, 120_000);

  it('stops repeating at the time budget, but takes at least 3 samples', async () => {
    const spec = conv2dSpec({ input: [1, 1, 3, 3], weight: [1, 1, 1, 1] });
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
    const op: OpSpec = { op: 'conv2d', spec };
    const r = await timeRuns(fake, op, 'pointwise', [], { warmup: 2, reps: 10, budgetMs: 100, now });
    expect(r.samplesMs).toEqual([50, 50, 50]);
    expect(r.clock).toBe('wall');
    expect(calls).toBe(5);
    const all = await timeRuns(fake, op, 'pointwise', [], { warmup: 0, reps: 4, budgetMs: 1e9, now });
    expect(all.samplesMs).toHaveLength(4);
  });

  it('times by queue completion when a GPU-timestamp sample is zero (work within one clock tick)', async () => {
    const spec = conv2dSpec({ input: [1, 1, 2, 2], weight: [1, 1, 1, 1] });
    const gpuMs = [0.5, 0.5, 0, 0.5];
    let executes = 0;
    const prepared = {
      async execute(opts?: { timestamps?: boolean }) {
        executes++;
        return opts?.timestamps ? (gpuMs.shift() ?? 0.5) : null;
      },
      release() {},
    };
    const fake = {
      name: 'fake',
      description: 'fake',
      methodsFor: () => ['pointwise'],
      run: async () => Tensor.zeros([1, 1, 2, 2]),
      prepare: async () => prepared,
    } as Backend;
    let t = 0;
    const r = await timeRuns(fake, { op: 'conv2d', spec }, 'pointwise', [], { warmup: 0, reps: 3, budgetMs: 1e9, now: () => (t += 2) });
    expect(r.clock).toBe('queue');
    expect(r.samplesMs).toEqual([2, 2, 2]);
    const resolved = await timeRuns(fake, { op: 'conv2d', spec }, 'pointwise', [], { warmup: 0, reps: 3, budgetMs: 1e9 });
    expect(resolved).toEqual({ clock: 'gpu-timestamp', samplesMs: [0.5, 0.5, 0.5] });
    expect(executes).toBe(1 + 3 + 3 + 1 + 3);
  });

  it('summarises samples with median and quartiles', () => {
    expect(sampleStats([5, 1, 3, 2, 4])).toEqual({ n: 5, median: 3, min: 1, max: 5, q1: 2, q3: 4 });
    expect(sampleStats([1, 2])).toMatchObject({ median: 1.5, q1: 1.25, q3: 1.75 });
  });
});

describe('bench harness on WebGPU', async () => {
  const { existsSync } = await import('node:fs');
  const lavapipe = existsSync('/usr/share/vulkan/icd.d/lvp_icd.json');
  // Skips only outside CI: under CI=true a missing adapter is a failure (the README's rule).
  it.skipIf(!lavapipe && process.env.CI !== 'true')(
    'times the methods on the adapter by GPU timestamps (or queue completion) and measures its ceilings',
    async () => {
      process.env.LP_NUM_THREADS ??= '1';
      const b = await runBench({ ...base, backend: 'webgpu', ceilings: true, methods: ['direct', 'im2col-gemm', 'pointwise'] });
      expect(b.adapter?.info.vendor).toBeTruthy();
      expect(b.results.filter((r) => r.status === 'ok').length).toBe(b.results.length - b.results.filter((r) => r.status === 'crashed').length);
      // GPU timestamps when the adapter has them and they resolve the case, else queue completion.
      const clocks = b.adapter?.features.includes('timestamp-query') ? ['gpu-timestamp', 'queue'] : ['queue'];
      for (const r of b.results.filter((x) => x.status === 'ok')) {
        expect(clocks).toContain(r.clock);
        expect(r.stats?.median).toBeGreaterThan(0);
      }
      expect(b.ceilings?.fmaGflops).toBeGreaterThan(0);
      expect(b.ceilings?.copyGbps).toBeGreaterThan(0);
      expect(b.software.webgpu).toBe('0.6.2');
    },
    180_000,
  );
});
