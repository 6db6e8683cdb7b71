import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BenchFile, parseBench } from '../src/bench/format.ts';
import { type BenchOptions, runBench } from '../src/bench/run-bench.ts';

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
    const b = await runBench({
      ...base,
      onProgress: (done, total, last) => seen.push(`${done}/${total}${last ? ` ${'peer' in last ? last.peer : last.method}` : ''}`),
    });
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

  it('verifies every timed output against the exact reference, and times peers plugged into the child', async () => {
    const b = await runBench({
      ...base,
      methods: ['direct', 'pointwise'],
      verify: true,
      peers: ['exact-peer', 'zeros-peer', 'absent-peer'],
      childScript: join(import.meta.dirname, 'bench-peer-child.ts'),
    });
    expect(b.settings.verify).toBe(true);
    for (const r of b.results.filter((x) => x.status === 'ok')) expect(r.errorRatio).toBeLessThanOrEqual(1);
    expect(b.results.filter((x) => x.status === 'ok').map((r) => `${r.layer} ${r.method}`)).toEqual(['tiny/c1 direct', 'tiny/c2 direct', 'tiny/c2 pointwise']);
    const peer = (layer: string, name: string) => b.peers?.find((x) => x.layer === layer && x.peer === name);
    expect(peer('tiny/c1', 'exact-peer')).toMatchObject({ status: 'ok', clock: 'wall', errorRatio: 0 });
    expect(peer('tiny/c1', 'exact-peer')?.stats?.n).toBe(3);
    expect(peer('tiny/c2', 'exact-peer')).toMatchObject({ status: 'unsupported', error: 'no 1x1 convs' });
    // a wrong peer is measured and shown wrong (not a convroute method: it stays ok)
    expect(peer('tiny/c1', 'zeros-peer')?.errorRatio).toBeGreaterThan(1);
    expect(peer('tiny/c1', 'absent-peer')).toMatchObject({ status: 'error' });
    expect(peer('tiny/c1', 'absent-peer')?.error).toMatch(/no peer 'absent-peer' \(it has exact-peer, zeros-peer\)/);
    // peers never enter calibration's measurements
    expect(parseBench(JSON.stringify(b)).results.every((r) => r.method !== undefined)).toBe(true);
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
});

describe('bench harness on WebGPU', async () => {
  const { existsSync } = await import('node:fs');
  const lavapipe = existsSync('/usr/share/vulkan/icd.d/lvp_icd.json');
  // Skips only outside CI: under CI=true a missing adapter is a failure (the README's rule).
  it.skipIf(!lavapipe && process.env.CI !== 'true')(
    'times the methods on the adapter by GPU timestamps (or queue completion) and measures its ceilings',
    async () => {
      process.env.LP_NUM_THREADS ??= '1';
      const b = await runBench({ ...base, backend: 'webgpu', ceilings: true, gemmSizes: [64], verify: true, methods: ['direct', 'im2col-gemm', 'pointwise'] });
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
      expect(Object.keys(b.ceilings?.fmaRuns ?? {}).length).toBeGreaterThan(0);
      expect(b.ceilings?.gemm?.['64^3'].queueGflops).toBeGreaterThan(0);
      // every method's output checked against the exact reference (WebGPU: the bound)
      for (const r of b.results.filter((x) => x.status === 'ok')) expect(r.errorRatio).toBeLessThanOrEqual(1);
      expect(b.software.webgpu).toBe('0.6.2');
    },
    180_000,
  );
});
