import { addSpec, divSpec, hardsigmoidSpec, hardswishSpec, leakyreluSpec, type Method, mulSpec, type OpSpec, subSpec, Tensor } from '@convroute/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundQuotient32 } from '../src/exact/round-quotient.ts';
import { createCpuBackend } from '../src/index.ts';
import { valueArb } from './arbitraries.ts';
import { fcParams } from './fc-params.ts';
import { add, div, mul, type Ratio, ratioOf, roundRatio32 } from './precise-oracle.ts';

// Issue 13: exact mode is correctly rounded for add/sub/mul/div, leakyrelu, hardsigmoid and
// hardswish (docs/semantics.md), checked against exact rationals (test/precise-oracle.ts).
const exact = createCpuBackend();
const fast = createCpuBackend({ mode: 'fast' });
const run = async (op: OpSpec, inputs: Tensor[], backend = exact) => [...(await backend.run(op, op.op as Method, inputs)).data];

/** Wide-ranging finite float32 values: the conv data plus extremes and subnormals. */
const f32Arb = fc.oneof(
  valueArb,
  fc.float({ noNaN: true, noDefaultInfinity: true }),
  fc.float({ min: Math.fround(-1e-40), max: Math.fround(1e-40), noNaN: true }),
);

describe('binary ops are correctly rounded, with broadcasting, in both modes', () => {
  const shapes = fc.constantFrom<[number[], number[]]>(
    [[2, 3], [3]],
    [
      [2, 1, 4],
      [3, 1],
    ],
    [[], [2, 2]],
    [
      [1, 3, 1, 2],
      [2, 1, 3, 1],
    ],
  );
  const ops = [
    ['add', addSpec, (a: Ratio, b: Ratio) => add(a, b)],
    ['sub', subSpec, (a: Ratio, b: Ratio) => add(a, mul(b, [-1n, 1n]))],
    ['mul', mulSpec, (a: Ratio, b: Ratio) => mul(a, b)],
    ['div', divSpec, (a: Ratio, b: Ratio) => div(a, b)],
  ] as const;
  for (const [name, make, exactOf] of ops) {
    it(`${name} matches the rational oracle element by element`, async () => {
      const arb = shapes.chain(([sa, sb]) =>
        fc.tuple(
          fc.constant(make({ a: sa, b: sb })),
          fc.array(f32Arb, { minLength: size(sa), maxLength: size(sa) }),
          fc.array(f32Arb, { minLength: size(sb), maxLength: size(sb) }),
        ),
      );
      await fc.assert(
        fc.asyncProperty(arb, async ([spec, av, bv]) => {
          const op = { op: name, spec } as OpSpec;
          const a = Tensor.fromData(av, spec.a);
          const b = Tensor.fromData(bv, spec.b);
          const y = await run(op, [a, b]);
          expect(await run(op, [a, b], fast)).toEqual(y);
          const out = Tensor.fromData(y, spec.output);
          // reference by broadcasting by hand
          const at = a.array;
          const bt = b.array;
          forEachIndex(spec.output, (idx) => {
            const xa = at.get(...idx.slice(idx.length - spec.a.length).map((v, i) => (spec.a[i] === 1 ? 0 : v)));
            const xb = bt.get(...idx.slice(idx.length - spec.b.length).map((v, i) => (spec.b[i] === 1 ? 0 : v)));
            const got = out.get(...idx);
            if (name === 'div' && xb === 0) {
              expect(Object.is(got, xa / xb) || (Number.isNaN(got) && Number.isNaN(xa / xb))).toBe(true);
              return;
            }
            expect(got === roundRatio32(exactOf(ratioOf(xa), ratioOf(xb))), `${xa} ${name} ${xb} = ${got}`).toBe(true);
          });
        }),
        fcParams(`binary ${name}`, 60),
      );
    });
  }

  it('special values follow IEEE 754', async () => {
    const spec = addSpec({ a: [4], b: [4] });
    const a = Tensor.fromData([Infinity, Infinity, Number.NaN, 1], [4]);
    const b = Tensor.fromData([-Infinity, 1, 1, 3.4e38], [4]);
    expect(await run({ op: 'add', spec }, [a, b])).toEqual([Number.NaN, Infinity, Number.NaN, Math.fround(3.4e38)]);
    expect(await run({ op: 'div', spec: divSpec({ a: [3], b: [3] }) }, [Tensor.fromData([1, -1, 0], [3]), Tensor.fromData([0, 0, 0], [3])])).toEqual([
      Infinity,
      -Infinity,
      Number.NaN,
    ]);
    expect(await run({ op: 'mul', spec: mulSpec({ a: [1], b: [1] }) }, [Tensor.fromData([3e38], [1]), Tensor.fromData([2], [1])])).toEqual([Infinity]);
  });
});

describe('roundQuotient32: R((t + e) / q) at and next to float32 midpoints', () => {
  it('decides exact ties to even and near ties by the sign of the tail', () => {
    fc.assert(
      fc.property(fc.float({ min: 2 ** -120, max: 2 ** 100, noNaN: true }), fc.constantFrom(1, 3, 6, 12), fc.constantFrom(-1, 0, 1), (c, q, side) => {
        const bits = new Float32Array([c]);
        new Uint32Array(bits.buffer)[0]++;
        const m = (c + bits[0]) / 2; // the midpoint above c
        const t = q * m; // exact: 25 + 4 bits
        const e = side * 2 ** (Math.floor(Math.log2(t)) - 60);
        const want = roundRatio32(add(ratioOf(t), div(ratioOf(e), [1n, 1n])).map((v, i) => (i === 1 ? v * BigInt(q) : v)) as Ratio);
        expect(same(roundQuotient32(t, e, q), want)).toBe(true);
      }),
      fcParams('roundQuotient32 ties', 300),
    );
  });

  it('agrees with the oracle on random sums', () => {
    fc.assert(
      fc.property(f32Arb, f32Arb, fc.constantFrom(1, 6), (x, y, q) => {
        const p = x * y;
        const t = p + x;
        const e = p - (t - (t - p)) + (x - (t - p));
        const want = roundRatio32(div(add(ratioOf(p), ratioOf(x)), ratioOf(q)));
        expect(same(roundQuotient32(t, e, q), want)).toBe(true);
      }),
      fcParams('roundQuotient32 random', 500),
    );
  });
});

describe('unary ops with a rational definition are correctly rounded', () => {
  const xs = fc.array(fc.oneof(f32Arb, fc.float({ min: -3.5, max: 3.5, noNaN: true })), { minLength: 1, maxLength: 40 });

  it('hardswish: R(x (x + 3) / 6) on (-3, 3), 0 below, x above', async () => {
    await fc.assert(
      fc.asyncProperty(xs, async (v) => {
        const y = await run({ op: 'hardswish', spec: hardswishSpec({ input: [v.length] }) }, [Tensor.fromData(v, [v.length])]);
        v.forEach((x, i) => {
          const want = x <= -3 ? 0 : x >= 3 ? Math.fround(x) : roundRatio32(div(mul(ratioOf(x), add(ratioOf(x), [3n, 1n])), [6n, 1n]));
          expect(same(y[i], want), `hardswish(${x}) = ${y[i]}, want ${want}`).toBe(true);
        });
      }),
      fcParams('hardswish exact', 80),
    );
  });

  it('hardsigmoid: clamp(R(alpha x + beta), 0, 1); leakyrelu: R(alpha x) below 0', async () => {
    await fc.assert(
      fc.asyncProperty(xs, valueArb, valueArb, async (v, alpha, beta) => {
        const x = Tensor.fromData(v, [v.length]);
        const hs = await run({ op: 'hardsigmoid', spec: hardsigmoidSpec({ input: [v.length], alpha, beta }) }, [x]);
        const lr = await run({ op: 'leakyrelu', spec: leakyreluSpec({ input: [v.length], alpha }) }, [x]);
        v.forEach((xi, i) => {
          const r = roundRatio32(add(mul(ratioOf(alpha), ratioOf(xi)), ratioOf(beta)));
          expect(same(hs[i], Math.min(1, Math.max(0, r))), `hardsigmoid(${xi}; ${alpha}, ${beta})`).toBe(true);
          expect(same(lr[i], xi >= 0 ? Math.fround(xi) : roundRatio32(mul(ratioOf(alpha), ratioOf(xi)))), `leakyrelu(${xi}; ${alpha})`).toBe(true);
        });
      }),
      fcParams('hardsigmoid/leakyrelu exact', 80),
    );
  });

  it('relu, clip and identity are copies; NaN passes through', async () => {
    const x = Tensor.fromData([-1, 0.5, 7, Number.NaN, -Infinity], [5]);
    const spec = { input: [5] };
    expect(await run({ op: 'relu', spec }, [x])).toEqual([0, 0.5, 7, Number.NaN, 0]);
    expect(await run({ op: 'clip', spec: { ...spec, min: 0, max: 6 } }, [x])).toEqual([0, 0.5, 6, Number.NaN, 0]);
    expect(await run({ op: 'identity', spec }, [x])).toEqual([-1, 0.5, 7, Number.NaN, -Infinity]);
    // hardswish(-inf) is ONNX's -inf * max(0, ...) = NaN, in both modes
    const hs = [-1 / 3, (0.5 * 3.5) / 6, 7, Number.NaN, Number.NaN].map(Math.fround);
    expect(await run({ op: 'hardswish', spec }, [x])).toEqual(hs);
    expect(await run({ op: 'hardswish', spec }, [x], fast)).toEqual(hs);
  });
});

/** Equal, with -0 equal to +0 (docs/semantics.md, special values). */
function same(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function size(s: readonly number[]): number {
  return s.reduce((p, d) => p * d, 1);
}

function forEachIndex(shape: readonly number[], f: (idx: number[]) => void): void {
  const idx = shape.map(() => 0);
  for (let n = 0; n < size(shape); n++) {
    f(idx);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}
