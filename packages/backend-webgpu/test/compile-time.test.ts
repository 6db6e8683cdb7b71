import { createCpuBackend } from '@convroute/backend-cpu';
import { GraphBuilder, runGraph, Tensor } from '@convroute/core';
import { afterAll, describe, expect, it } from 'vitest';
import { gpuBackendOrSkip } from './gpu.ts';

const backend = await gpuBackendOrSkip();
afterAll(() => backend?.dispose());

/** Small integers: every partial sum is exact, so every run must agree bitwise. */
const ints = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => ((i * 7 + seed * 13) % 7) - 3);

function graph(cOut: number) {
  const b = new GraphBuilder();
  b.input('x', [1, 8, 10, 10]);
  b.input('w', [cOut, 8, 3, 3]);
  b.conv2d('y', 'x', 'w', undefined, { padding: 1 }, { method: 'direct' });
  return b.output('y').build();
}

describe.skipIf(!backend)('compile time apart from run time', () => {
  // Was: a node's one time included building its pipelines (and lavapipe's JIT at the first
  // dispatch), so a 1 ms layer printed over a second and a GFLOP/s rate 100x too low.
  it('a first call records its pipeline build as compileMs; a repeat compiles nothing; results agree', async () => {
    const x = Tensor.fromData(ints(800, 1), [1, 8, 10, 10]);
    const w = Tensor.fromData(ints(8 * 72, 2), [8, 8, 3, 3]);
    const g = graph(8);
    const first = await runGraph(g, backend!, { x, w });
    const again = await runGraph(g, backend!, { x, w });
    const r1 = first.records[0];
    const r2 = again.records[0];
    expect(r1.compileMs).toBeGreaterThan(0);
    expect(r1.runMs).toBeCloseTo(r1.timeMs - r1.compileMs, 9);
    expect(r2.compileMs).toBe(0);
    expect(r2.runMs).toBe(r2.timeMs);
    // The warm-up launch writes scratch buffers only: the first result is the real one.
    const cpu = await runGraph(g, createCpuBackend({ mode: 'exact' }), { x, w });
    expect([...first.outputs.y.data]).toEqual([...cpu.outputs.y.data]);
    expect([...again.outputs.y.data]).toEqual([...cpu.outputs.y.data]);
  }, 120_000);

  it('the backend counts compile time once per pipeline', async () => {
    const before = backend!.compileTimeMs();
    const x = Tensor.fromData(ints(800, 3), [1, 8, 10, 10]);
    const w = Tensor.fromData(ints(12 * 72, 4), [12, 8, 3, 3]);
    await runGraph(graph(12), backend!, { x, w });
    const after = backend!.compileTimeMs();
    await runGraph(graph(12), backend!, { x, w });
    expect(backend!.compileTimeMs()).toBe(after);
    expect(after).toBeGreaterThanOrEqual(before);
  }, 120_000);

  it('a backend that compiles nothing records compileMs 0', async () => {
    const x = Tensor.fromData(ints(800, 1), [1, 8, 10, 10]);
    const w = Tensor.fromData(ints(8 * 72, 2), [8, 8, 3, 3]);
    const r = (await runGraph(graph(8), createCpuBackend({ mode: 'exact' }), { x, w })).records[0];
    expect(r.compileMs).toBe(0);
    expect(r.runMs).toBe(r.timeMs);
  });
});
