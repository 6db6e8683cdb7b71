import { type Backend, conv2dSpec, GraphBuilder, isConvrouteError, Tensor, uniformData } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { conv2d, Session } from '../src/index.ts';

process.env.VK_ICD_FILENAMES ??= '/usr/share/vulkan/icd.d/lvp_icd.json';
process.env.LP_NUM_THREADS ??= '1';

// Issue 14: the precision option. f16 runs on WebGPU with shader-f16 only; anywhere else it is
// refused, never computed in f32 instead.
const spec = conv2dSpec({ input: [1, 4, 8, 8], weight: [8, 4, 3, 3], padding: 1, bias: true });
const x = Tensor.fromData(uniformData(4 * 64, 1), spec.input);
const w = Tensor.fromData(uniformData(8 * 36, 2), spec.weight);
const b = Tensor.fromData(uniformData(8, 3), [8]);

const code = async (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e) => (isConvrouteError(e) ? `${e.code} ${e.field}` : String(e)),
  );

describe('precision refusals', () => {
  it('the cpu backend, exact or fast, refuses the f16 precisions with UNSUPPORTED_PRECISION', async () => {
    expect(await code(conv2d(x, w, b, { padding: 1, backend: 'cpu', precision: 'f16' }))).toBe('UNSUPPORTED_PRECISION precision');
    expect(await code(conv2d(x, w, b, { padding: 1, backend: 'cpu', mode: 'fast', precision: 'f16-storage' }))).toBe('UNSUPPORTED_PRECISION precision');
    const e = await Session.open({ backend: 'auto', mode: 'exact', precision: 'f16' }).catch((x) => x);
    expect(e.message).toMatch(/UNSUPPORTED_PRECISION: precision = "f16": the cpu backend computes in float32 \(exact mode/);
  });
  it('f32 is what the cpu computes: accepted and reported', async () => {
    const res = await conv2d(x, w, b, { padding: 1, backend: 'cpu', precision: 'f32' });
    expect(res.backend.precision).toBe('f32');
    expect(res.record.precision).toBe('f32');
  });
  it('an unknown precision is INVALID_ARGUMENT; a caller backend keeps its own', async () => {
    expect(await code(conv2d(x, w, b, { padding: 1, backend: 'cpu', precision: 'f8' as never }))).toBe('INVALID_ARGUMENT precision');
    const mine = { name: 'mine', description: 'mine', methodsFor: () => [], run: async () => x } as unknown as Backend;
    expect(await code(Session.open({ backend: mine, precision: 'f16' }))).toBe('INVALID_ARGUMENT precision');
  });
});

describe('precision on webgpu (lavapipe has shader-f16)', () => {
  for (const precision of ['f16-storage', 'f16'] as const) {
    it(`${precision}: the session, its results and its records say so, and the arithmetic is that precision's`, async () => {
      const s = await Session.open({ backend: 'webgpu', precision });
      try {
        expect(s.backendInfo.precision).toBe(precision);
        const res = await s.conv2d(x, w, b, { padding: 1 });
        expect(res.record.precision).toBe(precision);
        // 2048 + 1: f16 sums round it to 2048, f16-storage sums in f32 (the bound: conformance).
        const one = [Tensor.fromData(new Float32Array([2048, 1]), [1, 2, 1, 1]), Tensor.fromData(new Float32Array([1, 1]), [1, 2, 1, 1])] as const;
        expect((await s.conv2d(one[0], one[1], undefined)).output.data[0]).toBe(precision === 'f16' ? 2048 : 2049);
        // A depthwise conv: etvk's depthwise has no f16 kernel; the route says it uses direct.
        const dw = conv2dSpec({ input: [1, 4, 6, 6], weight: [4, 1, 3, 3], groups: 4 });
        const r2 = await s.conv2d(Tensor.fromData(uniformData(144, 4), dw.input), Tensor.fromData(uniformData(36, 5), dw.weight), undefined, { groups: 4 });
        expect(r2.record.method).toBe('direct');
        expect(r2.record.reasons.some((r) => r.rule === 'precision.fallback')).toBe(true);
        // Asked for by name, a method without an f16 kernel is refused.
        expect(await code(s.conv2d(x, w, b, { padding: 1, method: 'implicit-gemm' }))).toBe('UNSUPPORTED_METHOD options.method');
      } finally {
        await s.close();
      }
    });
  }

  it('a graph at f16 runs node by node (no device-resident run reads f32 values as binary16), prepared too', async () => {
    const g = new GraphBuilder();
    g.input('x', [1, 4, 8, 8]);
    g.constant('w', w);
    g.constant('b', b);
    g.constant('w2', Tensor.fromData(uniformData(8 * 8, 6), [8, 8, 1, 1]));
    g.conv2d('h', 'x', 'w', 'b', { padding: 1 }, { method: 'direct' });
    g.conv2d('y', 'h', 'w2', undefined, {}, { method: 'pointwise' });
    const graph = g.output('y').build();
    const s = await Session.open({ backend: 'webgpu', precision: 'f16' });
    try {
      const whole = await s.run(graph, { x });
      // The same as the two convs one at a time: each input rounded to binary16 on upload.
      const h = await s.conv2d(x, w, b, { padding: 1, method: 'direct' });
      const y = await s.conv2d(h.output, graph.values.get('w2')!.tensor!, undefined, { method: 'pointwise' });
      expect(whole.outputs.y.data).toEqual(y.output.data);
      expect(whole.records.map((r) => [r.method, r.precision])).toEqual([
        ['direct', 'f16'],
        ['pointwise', 'f16'],
      ]);
      const prepared = await s.prepare(graph);
      try {
        expect((await prepared.run({ x })).outputs.y.data).toEqual(y.output.data);
      } finally {
        prepared.release();
      }
    } finally {
      await s.close();
    }
  });
});
