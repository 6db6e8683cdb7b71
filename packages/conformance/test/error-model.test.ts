import { conv2dSpec } from '@convroute/core';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareWithBound, ERROR_MODELS, errorBound, fcParams, gamma, MIN_NORMAL, OVERFLOW_THRESHOLD, specToCommandLine, U } from '../src/index.ts';

/** Exact sum of float32 products by float64 with integer-scaled terms is not available in
 * general, so these tests use sums where float64 is exact: few terms of bounded exponent range. */
function f32Sum(terms: number[]): number {
  let s = 0;
  for (const t of terms) s = Math.fround(s + t);
  return s;
}

describe('error bound', () => {
  it('matches the formula', () => {
    expect(gamma(1)).toBeGreaterThanOrEqual(U / (1 - U));
    expect(gamma(1)).toBeLessThan((U / (1 - U)) * (1 + 2 ** -40));
    const b = errorBound(10, 100, 3);
    const plain = ((10 * U) / (1 - 10 * U)) * 100 + (U * 3) / (1 - U) + 10 * MIN_NORMAL;
    expect(b).toBeGreaterThanOrEqual(plain);
    expect(b).toBeLessThan(plain * (1 + 2 ** -40));
    expect(errorBound(2 ** 24, 1, 1)).toBe(Infinity);
    expect(errorBound(3, Infinity, 0)).toBe(Infinity);
    expect(errorBound(3, OVERFLOW_THRESHOLD, 0)).toBe(Infinity);
    expect(errorBound(3, 2 ** 126, 0)).toBeLessThan(Infinity);
  });

  it('holds for naive float32 sums in random orders (float64 exact: exponents within 2^[-20,20], 8 terms)', () => {
    const term = fc.tuple(fc.integer({ min: -(2 ** 24) + 1, max: 2 ** 24 - 1 }), fc.integer({ min: -20, max: 6 })).map(([m, e]) => m * 2 ** (e - 24));
    fc.assert(
      fc.property(fc.array(term, { minLength: 1, maxLength: 8 }), (terms) => {
        const exact = terms.reduce((a, b) => a + b, 0); // exact in float64: 2^-44 .. 2^6 span < 53 bits
        const ref = Math.fround(exact);
        const abs = Math.fround(terms.reduce((a, b) => a + Math.abs(b), 0) * (1 + 2 ** -23));
        const forward = f32Sum(terms);
        const backward = f32Sum([...terms].reverse());
        for (const got of [forward, backward]) {
          expect(Math.abs(got - ref)).toBeLessThanOrEqual(errorBound(terms.length, abs, ref));
        }
      }),
      fcParams('bound vs float32 sums', {}, 300),
    );
  });
});

describe('compareWithBound', () => {
  const ref = new Float32Array([1, 2, Number.NaN, Number.POSITIVE_INFINITY, -3]);
  const abs = new Float32Array([1, 2, Number.NaN, Number.POSITIVE_INFINITY, 3]);

  it('accepts the reference itself and NaN/inf in place', () => {
    const r = compareWithBound(ref, ref, abs, 4, { inputsFinite: false });
    expect(r.ok).toBe(true);
    expect(compareWithBound(ref, ref, undefined, 4, { bitwise: true }).ok).toBe(true);
  });

  it('requires NaN where the reference is NaN and matching infinities for non-finite inputs', () => {
    const a = ref.slice();
    a[2] = 0;
    expect(compareWithBound(a, ref, abs, 4, { inputsFinite: false }).ok).toBe(false);
    const b = ref.slice();
    b[3] = Number.NEGATIVE_INFINITY;
    const r = compareWithBound(b, ref, abs, 4, { inputsFinite: false, shape: [1, 5] });
    expect(r.ok).toBe(false);
    expect(r.worst?.position).toEqual([0, 3]);
  });

  it('treats -0 and +0 as equal, and NaN where a finite value is expected as a failure', () => {
    expect(compareWithBound(new Float32Array([-0]), new Float32Array([0]), undefined, 1, { bitwise: true }).ok).toBe(true);
    const r = compareWithBound(new Float32Array([Number.NaN]), new Float32Array([1]), new Float32Array([1]), 1);
    expect(r.ok).toBe(false);
    expect(r.worst?.ratio).toBe(Infinity);
  });

  it('reports the worst element with index, values, error, bound and ratio', () => {
    const reference = new Float32Array([1, 1, 1, 1, 1, 1]);
    const absSum = new Float32Array(6).fill(1);
    const actual = reference.slice();
    actual[4] = Math.fround(1 + 2 ** -10);
    actual[1] = Math.fround(1 + 2 ** -20);
    const r = compareWithBound(actual, reference, absSum, 8, { shape: [1, 2, 3], label: 'test conv2d direct' });
    expect(r.ok).toBe(false);
    expect(r.failures).toBe(2);
    expect(r.worst?.index).toBe(4);
    expect(r.worst?.position).toEqual([0, 1, 1]);
    expect(r.message).toMatch(
      /test conv2d direct: 2 of 6 elements exceed the error bound \(n = 8 terms\); worst at \[0, 1, 1\] \(flat 4\): got 1\.0009765\d*, reference 1, error 0\.000977, bound .*, ratio \d+/,
    );
  });

  it('leaves overflow territory unbounded for finite inputs', () => {
    const r = compareWithBound(new Float32Array([Number.NaN]), new Float32Array([Number.POSITIVE_INFINITY]), new Float32Array([Number.POSITIVE_INFINITY]), 2);
    expect(r.ok).toBe(true);
    expect(r.unbounded).toBe(1);
  });
});

describe('specToCommandLine', () => {
  it('prints every attribute in the CLI syntax', () => {
    const spec = conv2dSpec({
      input: [1, 4, 5, 5],
      weight: [4, 2, 3, 3],
      bias: true,
      stride: [2, 1],
      padding: [1, 0, 2, 1],
      dilation: [1, 2],
      groups: 2,
      transposed: true,
      outputPadding: [1, 0],
      activation: { kind: 'clamp', min: -1, max: 6 },
    });
    expect(specToCommandLine(spec, { method: 'transposed' })).toBe(
      'pnpm convroute conv2d --input x.npy --weight w.npy --bias b.npy --stride 2,1 --padding 1,0,2,1 --dilation 1,2 --groups 2 --transposed --output-padding 1,0 --activation clamp:-1,6 --method transposed --output y.npy',
    );
  });
});

describe('error models (a method names its own)', () => {
  it("one ulp off passes the reordering bound and fails a correctly-rounded method's", () => {
    const reference = new Float32Array([1]);
    const actual = new Float32Array([1 + 2 ** -23]);
    const absSum = new Float32Array([2]);
    expect(compareWithBound(actual, reference, absSum, 4).ok).toBe(true);
    expect(compareWithBound(actual, reference, absSum, 4, { model: ERROR_MODELS.reordering }).ok).toBe(true);
    const r = compareWithBound(actual, reference, absSum, 4, { model: ERROR_MODELS['correctly-rounded'], label: 'x' });
    expect([r.ok, r.mode]).toEqual([false, 'bitwise']);
    expect(r.message).toMatch(/bitwise required by error model correctly-rounded/);
    expect(ERROR_MODELS.reordering.bound(10, 100, 3)).toBe(errorBound(10, 100, 3));
  });
});
