import { batchnormalizationSpec, gemmSpec, type Method, matmulSpec, type OpSpec, sigmoidSpec, softmaxSpec, Tensor } from '@convroute/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createCpuBackend, setCertifiedFastPath } from '../src/index.ts';
import { valueArb } from './arbitraries.ts';
import { fcParams } from './fc-params.ts';
import { add, div, mul, type Ratio, ratioOf, roundRatio32, sigmoidRatio, softmaxRatio, ulpError } from './precise-oracle.ts';

// Issue 13: the ops exact mode evaluates in double (sigmoid, softmax) are within their stated
// bound of the real value (docs/semantics.md); batchnormalization is ONNX's formula with each
// float32 step correctly rounded; gemm with alpha/beta and matmul are correctly rounded.
const exact = createCpuBackend();
const run = async (op: OpSpec, inputs: Tensor[]) => [...(await exact.run(op, op.op as Method, inputs)).data];
afterEach(() => setCertifiedFastPath(true));

describe('sigmoid and softmax against a 320-bit oracle', () => {
  it('sigmoid: |y - sigmoid(x)| <= ulp/2 + 2^-51 |sigmoid(x)|', async () => {
    const xArb = fc.oneof(fc.float({ min: -110, max: 110, noNaN: true }), fc.float({ min: -2, max: 2, noNaN: true }));
    await fc.assert(
      fc.asyncProperty(fc.array(xArb, { minLength: 1, maxLength: 32 }), async (v) => {
        const y = await run({ op: 'sigmoid', spec: sigmoidSpec({ input: [v.length] }) }, [Tensor.fromData(v, [v.length])]);
        v.forEach((x, i) => {
          // 2^-51 |s| is at most 2^-27 ulp (|s| < 2^24 ulp)
          expect(Math.abs(ulpError(y[i], sigmoidRatio(x))), `sigmoid(${x}) = ${y[i]}`).toBeLessThanOrEqual(0.5 + 2 ** -27);
        });
      }),
      fcParams('sigmoid vs oracle', 40),
    );
  });

  it('softmax: |y_i - s_i| <= ulp/2 + (n + 3 + |x_i - max|) 2^-52 |s_i|, along any axis', async () => {
    const arb = fc
      .record({ rows: fc.integer({ min: 1, max: 3 }), len: fc.integer({ min: 1, max: 9 }), axis: fc.constantFrom(0, 1, -1) })
      .chain((r) => fc.tuple(fc.constant(r), fc.array(fc.float({ min: -30, max: 30, noNaN: true }), { minLength: r.rows * r.len, maxLength: r.rows * r.len })));
    await fc.assert(
      fc.asyncProperty(arb, async ([{ rows, len, axis }, v]) => {
        const shape = axis === 0 ? [len, rows] : [rows, len];
        const y = await run({ op: 'softmax', spec: softmaxSpec({ input: shape, axis }) }, [Tensor.fromData(v, shape)]);
        for (let r = 0; r < rows; r++) {
          const at = (j: number) => (axis === 0 ? j * rows + r : r * len + j);
          const slice = Array.from({ length: len }, (_, j) => v[at(j)]);
          const max = Math.max(...slice);
          slice.forEach((x, j) => {
            const slack = (len + 3 + (max - x)) * 2 ** -52 * 2 ** 24;
            expect(Math.abs(ulpError(y[at(j)], softmaxRatio(slice, j))), `softmax ${slice}[${j}]`).toBeLessThanOrEqual(0.5 + slack);
          });
        }
      }),
      fcParams('softmax vs oracle', 40),
    );
  });

  it('special values: NaN in a slice makes it NaN; -inf gives 0; sigmoid saturates', async () => {
    const s = softmaxSpec({ input: [2, 3] });
    const y = await run({ op: 'softmax', spec: s }, [Tensor.fromData([1, Number.NaN, 2, 0, -Infinity, 0], [2, 3])]);
    expect(y.slice(0, 3).every(Number.isNaN)).toBe(true);
    expect(y.slice(3)).toEqual([0.5, 0, 0.5]);
    const z = await run({ op: 'sigmoid', spec: sigmoidSpec({ input: [4] }) }, [Tensor.fromData([-Infinity, Infinity, Number.NaN, 0], [4])]);
    expect(z).toEqual([0, 1, Number.NaN, 0.5]);
  });
});

describe('batchnormalization: ONNX formula, each float32 step correctly rounded', () => {
  /** R(sqrt(v)) by its definition: the float32 c with (c - h)^2 < v < (c + h)^2, h half its ulp. */
  function sqrt32(v: number): number {
    const c = Math.fround(Math.sqrt(v));
    for (const cand of [c, Math.fround(c * (1 - 2 ** -24)), Math.fround(c * (1 + 2 ** -23))]) {
      const lo = (cand + Math.fround(cand * (1 - 2 ** -24))) / 2;
      const hi = (cand + Math.fround(cand * (1 + 2 ** -23))) / 2;
      const sq = (x: number) => mul(ratioOf(x), ratioOf(x));
      const lt = (a: Ratio, b: Ratio) => a[0] * b[1] < b[0] * a[1];
      if (lt(sq(lo), ratioOf(v)) && lt(ratioOf(v), sq(hi))) return cand;
    }
    throw new Error(`no float32 square root found for ${v}`);
  }

  it('matches the step-by-step rational evaluation', async () => {
    const pos = fc.float({ min: Math.fround(0.01), max: 50, noNaN: true });
    const arb = fc.record({
      x: fc.array(valueArb, { minLength: 2 * 3 * 2, maxLength: 2 * 3 * 2 }),
      scale: fc.array(valueArb, { minLength: 3, maxLength: 3 }),
      bias: fc.array(valueArb, { minLength: 3, maxLength: 3 }),
      mean: fc.array(valueArb, { minLength: 3, maxLength: 3 }),
      variance: fc.array(pos, { minLength: 3, maxLength: 3 }),
      epsilon: fc.constantFrom(1e-5, 1e-3, 0),
    });
    await fc.assert(
      fc.asyncProperty(arb, async (r) => {
        const spec = batchnormalizationSpec({ input: [2, 3, 2], epsilon: r.epsilon });
        const t = (d: number[], s: number[]) => Tensor.fromData(d, s);
        const y = await run({ op: 'batchnormalization', spec }, [t(r.x, [2, 3, 2]), t(r.scale, [3]), t(r.bias, [3]), t(r.mean, [3]), t(r.variance, [3])]);
        r.x.forEach((xi, i) => {
          const c = Math.floor(i / 2) % 3;
          const R = (q: Ratio) => roundRatio32(q);
          const d = R(add(ratioOf(Math.fround(xi)), mul(ratioOf(Math.fround(r.mean[c])), [-1n, 1n])));
          const s = sqrt32(R(add(ratioOf(Math.fround(r.variance[c])), ratioOf(spec.epsilon))));
          const q = R(div(ratioOf(d), ratioOf(s)));
          const p = R(mul(ratioOf(q), ratioOf(Math.fround(r.scale[c]))));
          const want = R(add(ratioOf(p), ratioOf(Math.fround(r.bias[c]))));
          expect(y[i] === want, `element ${i}: ${y[i]} vs ${want}`).toBe(true);
        });
      }),
      fcParams('batchnormalization steps', 60),
    );
  });
});

describe('gemm with alpha, beta and a broadcast bias, and matmul, are correctly rounded', () => {
  const biasShapes = (m: number, n: number) => [[], [1], [n], [1, n], [m, 1], [m, n], [1, 1]];
  const arb = fc
    .record({
      m: fc.integer({ min: 1, max: 5 }),
      n: fc.integer({ min: 1, max: 6 }),
      k: fc.integer({ min: 1, max: 9 }),
      alpha: fc.oneof(fc.constant(1), valueArb),
      beta: fc.oneof(fc.constant(1), valueArb),
      which: fc.nat(6),
      transA: fc.boolean(),
      transB: fc.boolean(),
      slow: fc.boolean(),
    })
    .chain((r) => {
      const biasShape = biasShapes(r.m, r.n)[r.which];
      const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
      return fc.tuple(
        fc.constant({ ...r, biasShape }),
        fc.array(valueArb, { minLength: r.m * r.k, maxLength: r.m * r.k }),
        fc.array(valueArb, { minLength: r.k * r.n, maxLength: r.k * r.n }),
        fc.array(valueArb, { minLength: size(biasShape), maxLength: size(biasShape) }),
      );
    });

  it('gemm: R(alpha * sum_k a b + beta * c) per element, certified or summed exactly', async () => {
    await fc.assert(
      fc.asyncProperty(arb, async ([r, av, bv, cv]) => {
        setCertifiedFastPath(!r.slow);
        const a = r.transA ? [r.k, r.m] : [r.m, r.k];
        const b = r.transB ? [r.n, r.k] : [r.k, r.n];
        const spec = gemmSpec({ a, b, transA: r.transA, transB: r.transB, alpha: r.alpha, beta: r.beta, biasShape: r.biasShape });
        const y = await run({ op: 'gemm', spec }, [Tensor.fromData(av, a), Tensor.fromData(bv, b), Tensor.fromData(cv, r.biasShape)]);
        const A = (i: number, kk: number) => av[r.transA ? kk * r.m + i : i * r.k + kk];
        const B = (kk: number, j: number) => bv[r.transB ? j * r.k + kk : kk * r.n + j];
        const bs = r.biasShape;
        const C = (i: number, j: number) => cv[(bs.length === 2 && bs[0] !== 1 ? i * bs[1] : 0) + (bs.length >= 1 && bs[bs.length - 1] !== 1 ? j : 0)];
        for (let i = 0; i < r.m; i++) {
          for (let j = 0; j < r.n; j++) {
            let sum: Ratio = [0n, 1n];
            for (let kk = 0; kk < r.k; kk++) sum = add(sum, mul(ratioOf(A(i, kk)), ratioOf(B(kk, j))));
            const want = roundRatio32(add(mul(ratioOf(Math.fround(r.alpha)), sum), mul(ratioOf(Math.fround(r.beta)), ratioOf(C(i, j)))));
            expect(y[i * r.n + j] === want, `y[${i}, ${j}] = ${y[i * r.n + j]}, want ${want}`).toBe(true);
          }
        }
      }),
      fcParams('gemm alpha/beta exact', 80),
    );
  });

  it('a double evaluation would round a near-midpoint the wrong way: the certificate catches it', async () => {
    // alpha * (1 - 2^-60) + 2^-24 with alpha = 1 + 2^-23 lies just below the float32 midpoint
    // 1 + 2^-23 + 2^-24; in double the sum is 1 and the value is the midpoint itself (ties up).
    const spec = gemmSpec({ a: [1, 2], b: [2, 1], alpha: 1 + 2 ** -23, biasShape: [] });
    const y = await run({ op: 'gemm', spec }, [
      Tensor.fromData([1, -(2 ** -30)], [1, 2]),
      Tensor.fromData([1, 2 ** -30], [2, 1]),
      Tensor.fromData([2 ** -24], []),
    ]);
    expect(y).toEqual([1 + 2 ** -23]);
  });

  it('matmul: batch broadcasting and 1-D operands', async () => {
    const cases: [number[], number[]][] = [
      [
        [2, 1, 3, 4],
        [3, 4, 2],
      ],
      [[4], [4, 3]],
      [[2, 3, 4], [4]],
      [[4], [4]],
      [
        [3, 4],
        [2, 4, 5],
      ],
    ];
    for (const [sa, sb] of cases) {
      const spec = matmulSpec({ a: sa, b: sb });
      const av = Array.from({ length: sa.reduce((p, d) => p * d, 1) }, (_, i) => ((i * 7) % 11) / 3 - 1.5);
      const bv = Array.from({ length: sb.reduce((p, d) => p * d, 1) }, (_, i) => ((i * 5) % 13) / 7 - 0.9);
      const y = await run({ op: 'matmul', spec }, [Tensor.fromData(av, sa), Tensor.fromData(bv, sb)]);
      // the oracle: numpy.matmul by its definition on explicitly broadcast operands
      const a4 = sa.length === 1 ? [1, sa[0]] : sa;
      const b4 = sb.length === 1 ? [sb[0], 1] : sb;
      const batch = spec.batch;
      const at = (shape: number[], idx: number[]) => idx.reduce((o, v, d) => o * shape[d] + (shape[d] === 1 ? 0 : v), 0);
      const pad = (s: number[], bi: number[]) => [...bi.slice(bi.length - (s.length - 2)), 0, 0];
      let o = 0;
      const total = batch.reduce((p, d) => p * d, 1);
      for (let bIdx = 0; bIdx < total; bIdx++) {
        const bi = batch.map((_, d) => Math.floor(bIdx / batch.slice(d + 1).reduce((p, q) => p * q, 1)) % batch[d]);
        for (let i = 0; i < spec.m; i++) {
          for (let j = 0; j < spec.n; j++) {
            let sum: Ratio = [0n, 1n];
            for (let kk = 0; kk < spec.k; kk++) {
              const ai = pad(a4, bi);
              ai[ai.length - 2] = i;
              ai[ai.length - 1] = kk;
              const bj = pad(b4, bi);
              bj[bj.length - 2] = kk;
              bj[bj.length - 1] = j;
              sum = add(sum, mul(ratioOf(Math.fround(av[at(a4, ai)])), ratioOf(Math.fround(bv[at(b4, bj)]))));
            }
            expect(y[o++], `${sa} x ${sb}`).toBe(roundRatio32(sum));
          }
        }
      }
      expect(o).toBe(y.length);
    }
  });
});
