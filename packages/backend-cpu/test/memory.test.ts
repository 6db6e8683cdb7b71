import { conv2dSpec, GraphBuilder, runGraph, shapeSize, Tensor } from '@convroute/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convGemm } from '../src/conv/gemm-methods.ts';
import { convGeometry } from '../src/conv/geometry.ts';
import { conv2dExact, conv2dFast, cpuConvMethodsFor, cpuNodeBytes, createCpuBackend, DEFAULT_MEMORY_BUDGET, DEFAULT_TILE_BYTES } from '../src/index.ts';
import { convCaseArb } from './arbitraries.ts';
import { fcParams } from './fc-params.ts';

const bits = (t: Tensor) => Array.from(t.data, (v) => (Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? 0 : v));
const ones = (shape: number[]) => Tensor.fromData(new Float32Array(shapeSize(shape)).fill(1), shape);

describe('memory budget (issue 12 item 4)', () => {
  it('refuses a 1x1x1x1 input with padding 23000 up front with TOO_LARGE (no 8.5 GB allocation)', async () => {
    const spec = conv2dSpec({ input: [1, 1, 1, 1], weight: [1, 1, 1, 1], padding: [23000, 23000] });
    const cpu = createCpuBackend();
    for (const m of cpuConvMethodsFor(spec)) {
      await expect(cpu.run({ op: 'conv2d', spec }, m, [ones([1, 1, 1, 1]), ones([1, 1, 1, 1])])).rejects.toMatchObject({
        code: 'TOO_LARGE',
        field: 'conv2d.output',
        value: [1, 1, 46001, 46001],
      });
    }
    expect(() => conv2dExact(spec, ones([1, 1, 1, 1]), ones([1, 1, 1, 1]), undefined, 'direct')).toThrow(/TOO_LARGE.*memory budget of 2048.0 MiB/);
  });

  it("counts exact direct's float64 scratch: refused where im2col-gemm (tiled) fits", async () => {
    const spec = conv2dSpec({ input: [1, 2, 64, 64], weight: [4, 2, 3, 3], padding: 1 });
    const out = 4 * 4 * 64 * 64;
    const cpu = createCpuBackend({ memoryBudget: out + 2 * out });
    const xs = [ones(spec.input), ones(spec.weight)];
    await expect(cpu.run({ op: 'conv2d', spec }, 'direct', xs)).rejects.toMatchObject({ code: 'TOO_LARGE' });
    const y = await cpu.run({ op: 'conv2d', spec }, 'im2col-gemm', xs);
    expect(bits(y)).toEqual(bits(conv2dExact(spec, xs[0], xs[1], undefined, 'direct')));
    expect(bits(await createCpuBackend({ mode: 'fast', memoryBudget: out + 64 }).run({ op: 'conv2d', spec }, 'direct', xs))).toEqual(bits(y));
  });

  it('im2col-gemm scratch of a 184 MB input stays within the tile budget', () => {
    const spec = conv2dSpec({ input: [1, 64, 848, 848], weight: [64, 64, 3, 3], padding: 1 });
    for (const mode of ['exact', 'fast'] as const) {
      const need = cpuNodeBytes({ op: 'conv2d', spec }, 'im2col-gemm', mode, DEFAULT_MEMORY_BUDGET);
      expect(need.scratch).toBeLessThanOrEqual(DEFAULT_TILE_BYTES);
      expect(need.output).toBe(4 * 64 * 848 * 848);
    }
  });

  it('a graph whose second node is too large is refused before its first node runs', async () => {
    const b = new GraphBuilder();
    b.input('x', [1, 1, 4, 4]);
    b.constant('w', ones([1, 1, 1, 1]));
    b.conv2d('y1', 'x', 'w', undefined, {}, { method: 'pointwise' });
    b.conv2d('y2', 'y1', 'w', undefined, { padding: 12000 }, { method: 'pointwise' });
    let ran = 0;
    await expect(runGraph(b.output('y2').build(), createCpuBackend(), { x: ones([1, 1, 4, 4]) }, { onNode: () => ran++ })).rejects.toMatchObject({
      code: 'TOO_LARGE',
    });
    expect(ran).toBe(0);
  });

  it('refuses a budget that is not a positive integer', () => {
    for (const v of [0, -1, 1.5, Number.NaN, '4G']) {
      expect(() => createCpuBackend({ memoryBudget: v as number })).toThrow(/INVALID_ARGUMENT: memoryBudget/);
    }
  });

  it('tiles of one output row give the same bits as the untiled methods (every mode)', () => {
    fc.assert(
      fc.property(convCaseArb, ({ spec, x, w, b }) => {
        if (spec.transposed) return;
        const g = convGeometry(spec);
        const direct = conv2dExact(spec, x, w, b, 'direct');
        for (const m of ['im2col-gemm', 'pointwise'] as const) {
          if (!cpuConvMethodsFor(spec).includes(m)) continue;
          for (const mode of ['exact', 'fast'] as const) {
            // a 1-byte tile limit: one output row per tile
            const y = new Float32Array(direct.data.length);
            convGemm(g, m, x.data, w.data, spec.bias ? b?.data : undefined, y, mode, 1);
            const whole = new Float32Array(direct.data.length);
            convGemm(g, m, x.data, w.data, spec.bias ? b?.data : undefined, whole, mode);
            expect(bits(Tensor.fromData(y, direct.shape))).toEqual(bits(Tensor.fromData(whole, direct.shape)));
          }
          expect(bits(conv2dExact(spec, x, w, b, m))).toEqual(bits(direct));
        }
      }),
      fcParams('tiled conv GEMM', 200),
    );
  });
});

describe('pointwise with padding (issue 12 friction)', () => {
  it('padded output positions are the bias alone, then the activation, in both modes', () => {
    const spec = conv2dSpec({ input: [1, 2, 2, 2], weight: [2, 2, 1, 1], padding: [1, 0, 0, 1], bias: true, activation: 'relu' });
    expect(cpuConvMethodsFor(spec)).toContain('pointwise');
    const x = Tensor.fromData([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    const w = Tensor.fromData([1, 1, -1, 0], [2, 2, 1, 1]);
    const b = Tensor.fromData([0.5, -3], [2]);
    // output 3x3: row 0 and column 2 are padding
    const want = [0.5, 0.5, 0.5, 6.5, 8.5, 0.5, 10.5, 12.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(bits(conv2dExact(spec, x, w, b, 'pointwise'))).toEqual(want);
    expect(bits(conv2dFast(spec, x, w, b, 'pointwise'))).toEqual(want);
  });
});
