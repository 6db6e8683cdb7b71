import { ConvrouteError, conv2dSpec, gemmSpec, im2colSpec, type OpSpec, Tensor } from '@convroute/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCpuBackend, gemmAbs, gemmExact, gemmFast, im2colExact } from '../src/index.ts';
import { tensorArb } from './arbitraries.ts';
import { fcParams } from './fc-params.ts';
import { decompose, exactProduct, exactSum, roundToFloat32 } from './oracle.ts';

const t = (data: number[], shape: number[]) => Tensor.fromData(Float32Array.from(data), shape);

describe('createCpuBackend', () => {
  const exact = createCpuBackend();
  const fast = createCpuBackend({ mode: 'fast' });

  it('names itself and lists the methods it can run', () => {
    expect(exact.name).toBe('cpu');
    expect(exact.description).toBe('cpu (exact)');
    expect(fast.description).toBe('cpu (fast)');
    const sliding = conv2dSpec({ input: [1, 4, 8, 8], weight: [8, 4, 3, 3], padding: 1 });
    expect(exact.methodsFor({ op: 'conv2d', spec: sliding })).toEqual(['direct', 'im2col-gemm', 'winograd-2x3', 'winograd-4x3']);
    const dw = conv2dSpec({ input: [1, 4, 8, 8], weight: [4, 1, 3, 3], groups: 4 });
    expect(exact.methodsFor({ op: 'conv2d', spec: dw })).toEqual(['direct', 'depthwise', 'im2col-gemm', 'winograd-2x3', 'winograd-4x3']);
    const pw = conv2dSpec({ input: [1, 4, 8, 8], weight: [8, 4, 1, 1] });
    expect(exact.methodsFor({ op: 'conv2d', spec: pw })).toEqual(['direct', 'pointwise', 'im2col-gemm']);
    const tr = conv2dSpec({ input: [1, 4, 8, 8], weight: [4, 2, 3, 3], transposed: true });
    expect(exact.methodsFor({ op: 'conv2d', spec: tr })).toEqual(['transposed']);
    expect(exact.methodsFor({ op: 'im2col', spec: im2colSpec({ input: [1, 1, 3, 3], kernel: 2 }) })).toEqual(['im2col']);
    expect(exact.methodsFor({ op: 'gemm', spec: gemmSpec({ a: [2, 3], b: [3, 4] }) })).toEqual(['gemm']);
  });

  it('refuses methods it cannot run and inputs that do not match', async () => {
    const spec = conv2dSpec({ input: [1, 2, 3, 3], weight: [1, 2, 3, 3] });
    const op: OpSpec = { op: 'conv2d', spec };
    const x = Tensor.zeros([1, 2, 3, 3]);
    const w = Tensor.zeros([1, 2, 3, 3]);
    await expect(exact.run(op, 'implicit-gemm', [x, w])).rejects.toMatchObject({ code: 'UNSUPPORTED_METHOD' });
    await expect(exact.run(op, 'depthwise', [x, w])).rejects.toMatchObject({ code: 'UNSUPPORTED_METHOD' });
    await expect(exact.run(op, 'gemm', [x, w])).rejects.toMatchObject({ code: 'UNSUPPORTED_METHOD' });
    await expect(exact.run(op, 'direct', [x])).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' });
    await expect(exact.run(op, 'direct', [x, Tensor.zeros([1, 2, 2, 3])])).rejects.toBeInstanceOf(ConvrouteError);
    expect(() => createCpuBackend({ mode: 'turbo' as 'fast' })).toThrow(ConvrouteError);
  });

  it('prepares a run once and executes it repeatedly, on the data given at prepare time', async () => {
    const spec = conv2dSpec({ input: [1, 2, 3, 3], weight: [2, 2, 3, 3], padding: 1 });
    const op: OpSpec = { op: 'conv2d', spec };
    const x = t([...Array(18).keys()], [1, 2, 3, 3]);
    const w = t(
      [...Array(36).keys()].map((i) => (i % 5) - 2),
      [2, 2, 3, 3],
    );
    const want = await exact.run(op, 'im2col-gemm', [x, w]);
    const p = await exact.prepare!(op, 'im2col-gemm', [x, w]);
    expect(p.clock).toBe('wall');
    expect(p.outputShape).toEqual([1, 2, 3, 3]);
    await expect(p.read()).rejects.toMatchObject({ code: 'NOT_EXECUTED' });
    expect(await p.execute({ timestamps: true })).toBeNull();
    x.data[0] = 1000; // a change after prepare does not reach the prepared run
    await p.execute();
    expect([...(await p.read()).data]).toEqual([...want.data]);
    p.release();
    await expect(p.execute()).rejects.toMatchObject({ code: 'CLOSED' });
    // the same validation as run, in the same order
    await expect(exact.prepare!(op, 'implicit-gemm', [x, w])).rejects.toMatchObject({ code: 'UNSUPPORTED_METHOD' });
    await expect(exact.prepare!(op, 'direct', [x])).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' });
    const small = createCpuBackend({ memoryBudget: 64 });
    await expect(small.prepare!(op, 'direct', [x, w])).rejects.toMatchObject({ code: 'TOO_LARGE' });
    small.dispose?.();
    await expect(small.prepare!(op, 'direct', [x, w])).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('reads strided views (transposed tensors) correctly', async () => {
    const spec = conv2dSpec({ input: [1, 2, 2, 3], weight: [1, 2, 1, 1] });
    const nhwc = t([1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60], [1, 2, 3, 2]); // [N, H, W, C]
    const x = nhwc.transpose(0, 3, 1, 2); // NCHW view, not contiguous
    expect(x.isContiguous).toBe(false);
    const y = await exact.run({ op: 'conv2d', spec }, 'pointwise', [x, t([1, 0.5], [1, 2, 1, 1])]);
    expect(Array.from(y.data)).toEqual([6, 12, 18, 24, 30, 36]);
    expect(y.shape).toEqual([1, 1, 2, 3]);
  });

  it('runs im2col in PyTorch unfold order', async () => {
    const spec = im2colSpec({ input: [1, 1, 3, 3], kernel: 2, padding: [0, 0, 0, 1] });
    const x = t([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
    const y = await fast.run({ op: 'im2col', spec }, 'im2col', [x]);
    expect(y.shape).toEqual([1, 1, 4, 6]);
    // rows (p, q) = (0,0), (0,1), (1,0), (1,1); columns: output (i, j) for i < 2, j < 3
    expect(Array.from(y.data)).toEqual([1, 2, 3, 4, 5, 6, 2, 3, 0, 5, 6, 0, 4, 5, 6, 7, 8, 9, 5, 6, 0, 8, 9, 0]);
    expect(Array.from(im2colExact(spec, x).data)).toEqual(Array.from(y.data));
  });

  it('im2col with groups splits channels', () => {
    const spec = im2colSpec({ input: [1, 2, 1, 2], kernel: [1, 1], groups: 2 });
    const y = im2colExact(spec, t([1, 2, 3, 4], [1, 2, 1, 2]));
    expect(y.shape).toEqual([1, 2, 1, 2]);
    expect(Array.from(y.data)).toEqual([1, 2, 3, 4]);
  });
});

describe('gemm', () => {
  /** Oracle: Y = op(A) op(B) + bias, rounded once, from BigInt sums. */
  function oracleGemm(spec: ReturnType<typeof gemmSpec>, a: Float32Array, b: Float32Array, bias?: Float32Array): number[] {
    const { m, n, k, batch, transA, transB } = spec;
    const out: number[] = [];
    for (let bb = 0; bb < batch; bb++) {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          const terms = bias ? [decompose(bias[j])] : [];
          for (let kk = 0; kk < k; kk++) {
            const av = a[bb * m * k + (transA ? kk * m + i : i * k + kk)];
            const bv = b[bb * k * n + (transB ? j * k + kk : kk * n + j)];
            terms.push(exactProduct(av, bv));
          }
          out.push(roundToFloat32(exactSum(terms)));
        }
      }
    }
    return out;
  }

  const gemmCase = fc
    .record({ batch: fc.integer({ min: 0, max: 2 }), m: fc.integer({ min: 1, max: 9 }), n: fc.integer({ min: 1, max: 9 }), k: fc.integer({ min: 1, max: 12 }) })
    .chain((r) =>
      fc.record({
        r: fc.constant(r),
        transA: fc.boolean(),
        transB: fc.boolean(),
        bias: fc.boolean(),
        relu: fc.boolean(),
      }),
    )
    .chain(({ r, transA, transB, bias, relu }) => {
      const lead = r.batch > 0 ? [r.batch] : [];
      const spec = gemmSpec({
        a: [...lead, ...(transA ? [r.k, r.m] : [r.m, r.k])],
        b: [...lead, ...(transB ? [r.n, r.k] : [r.k, r.n])],
        transA,
        transB,
        bias,
        activation: relu ? 'relu' : 'none',
      });
      return fc.record({ spec: fc.constant(spec), a: tensorArb(spec.a), b: tensorArb(spec.b), bias: bias ? tensorArb([spec.n]) : fc.constant(undefined) });
    });

  it('exact gemm equals the BigInt oracle; fast stays within the bound; abs bounds from above', () => {
    fc.assert(
      fc.property(gemmCase, ({ spec, a, b, bias }) => {
        const want = oracleGemm(spec, a.data, b.data, bias?.data).map((v) => (spec.activation.kind === 'relu' && v < 0 ? 0 : v));
        expect(Array.from(gemmExact(spec, a, b, bias).data)).toEqual(want);
        const noAct = { ...spec, activation: { kind: 'none' as const } };
        const exact = gemmExact(noAct, a, b, bias).data;
        const fast = gemmFast(noAct, a, b, bias).data;
        const abs = gemmAbs(noAct, a, b, bias).data;
        const nTerms = spec.k + (spec.bias ? 1 : 0);
        const u = 2 ** -24;
        const gamma = (nTerms * u) / (1 - nTerms * u);
        for (let i = 0; i < fast.length; i++) {
          expect(Math.abs(fast[i] - exact[i])).toBeLessThanOrEqual(gamma * abs[i] + u * Math.abs(exact[i]) + nTerms * 2 ** -126);
        }
      }),
      fcParams('gemm vs oracle', 150),
    );
  });

  it('runs through the backend with a batch and transposes', async () => {
    const spec = gemmSpec({ a: [2, 1, 2], b: [2, 2, 1], transA: true, transB: true, bias: true });
    const a = t([1, 2, 3, 4], [2, 1, 2]); // op(A): batch 0 [[1], [2]], batch 1 [[3], [4]]
    const b = t([1, 2, 3, 5], [2, 2, 1]); // op(B): batch 0 [[1, 2]], batch 1 [[3, 5]]
    const y = await createCpuBackend().run({ op: 'gemm', spec }, 'gemm', [a, b, t([10, 20], [2])]);
    expect(y.shape).toEqual([2, 2, 2]);
    expect(Array.from(y.data)).toEqual([11, 22, 12, 24, 19, 35, 22, 40]);
  });
});
