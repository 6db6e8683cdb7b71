import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { setCertifiedFastPath } from '../../src/exact/certify.ts';
import { type ReduceMeanParams, reduceMeanAbs, reduceMeanExact, reduceMeanFast, reduceMeanOutputShape } from '../../src/ops/reduce-mean.ts';
import { valueArb } from '../arbitraries.ts';
import { fcParams } from '../fc-params.ts';
import { oracleMean } from './oracle-rational.ts';

describe('reducemean', () => {
  it('ONNX reduce_mean_default_axes_keepdims and do_not_keepdims examples', () => {
    // shape [3, 2, 2], data 5, 1, 20, 2, 30, 1, 40, 2, 55, 1, 60, 2
    const x = Float32Array.from([5, 1, 20, 2, 30, 1, 40, 2, 55, 1, 60, 2]);
    const all: ReduceMeanParams = { input: [3, 2, 2], axes: [0, 1, 2], keepdims: true };
    expect(reduceMeanOutputShape(all)).toEqual([1, 1, 1]);
    expect(Array.from(reduceMeanExact(all, x))).toEqual([18.25]);
    const axis1: ReduceMeanParams = { input: [3, 2, 2], axes: [1], keepdims: false };
    expect(reduceMeanOutputShape(axis1)).toEqual([3, 2]);
    expect(Array.from(reduceMeanExact(axis1, x))).toEqual([12.5, 1.5, 35, 1.5, 57.5, 1.5]);
  });

  it('global average pool is the mean over H and W, each rounded once', () => {
    const p: ReduceMeanParams = { input: [1, 2, 1, 3], axes: [2, 3], keepdims: true };
    const x = Float32Array.from([1 + 2 ** -23, 1 + 2 ** -23, 1 - 2 ** -24, 2 ** 100, 1, -(2 ** 100)]);
    expect(reduceMeanOutputShape(p)).toEqual([1, 2, 1, 1]);
    expect(Array.from(reduceMeanExact(p, x))).toEqual([1, Math.fround(1 / 3)]);
  });

  const caseArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }).chain((shape) =>
    fc.record({
      p: fc.record({
        input: fc.constant(shape),
        axes: fc.subarray(shape.map((_, i) => i)),
        keepdims: fc.boolean(),
      }),
      x: fc.array(valueArb, { minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) }),
    }),
  );

  /** By the definition: for each output, gather the inputs whose kept coordinates match. */
  function oracle(p: ReduceMeanParams, x: number[]): number[] {
    const outShape = p.input.map((d, i) => (p.axes.includes(i) ? 1 : d));
    const groups = new Map<number, number[]>();
    for (let flat = 0; flat < x.length; flat++) {
      let rem = flat;
      let key = 0;
      let mul = 1;
      for (let d = p.input.length - 1; d >= 0; d--) {
        const c = rem % p.input[d];
        rem = Math.floor(rem / p.input[d]);
        key += (p.axes.includes(d) ? 0 : c) * mul;
        mul *= outShape[d];
      }
      groups.set(key, [...(groups.get(key) ?? []), x[flat]]);
    }
    return [...groups.keys()].sort((a, b) => a - b).map((k) => oracleMean(groups.get(k) as number[]));
  }

  it('exact equals the BigInt oracle (certified path on and off); fast stays within its bound', () => {
    const u = 2 ** -24;
    fc.assert(
      fc.property(caseArb, ({ p, x }) => {
        const xs = Float32Array.from(x);
        const want = oracle(p, Array.from(xs));
        for (const fast of [true, false]) {
          setCertifiedFastPath(fast);
          try {
            expect(Array.from(reduceMeanExact(p, xs))).toEqual(want);
          } finally {
            setCertifiedFastPath(true);
          }
        }
        const fast = reduceMeanFast(p, xs);
        const { abs, terms } = reduceMeanAbs(p, xs);
        want.forEach((y, o) => {
          const g = (terms * u) / (1 - terms * u);
          expect(Math.abs(fast[o] - y)).toBeLessThanOrEqual((g * abs[o] + (u * Math.abs(y)) / (1 - u) + terms * 2 ** -126) * (1 + 2 ** -48));
        });
      }),
      fcParams('reducemean exact vs oracle, fast bound', 150),
    );
  });
});
