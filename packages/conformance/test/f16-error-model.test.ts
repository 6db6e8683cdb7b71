import { Tensor } from '@convroute/core';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcParams } from '../src/fc-params.ts';
import { compareWithBound, f16ErrorModel, f16Operands } from '../src/index.ts';

/** Round to binary16 (nearest, ties to even), in float64: 11 significant bits, subnormals below
 * 2^-14 in steps of 2^-24, infinity from 65520. A simulation of f16 arithmetic for the bound. */
function f16(v: number): number {
  if (!Number.isFinite(v) || v === 0) return v;
  const a = Math.abs(v);
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--; // log2 may round up just below a power of two
  if (2 ** (e + 1) <= a) e++;
  e = Math.max(e, -14);
  const ulp = 2 ** (e - 10);
  let q = a / ulp;
  const fl = Math.floor(q);
  const rem = q - fl;
  q = rem > 0.5 || (rem === 0.5 && fl % 2 === 1) ? fl + 1 : fl;
  const r = q * ulp;
  return Math.sign(v) * (r >= 65520 ? Number.POSITIVE_INFINITY : r);
}

describe('the fp16 error model (docs/error-model.md, "fp16")', () => {
  it('rounds like binary16 in the simulation: ties to even, subnormals, overflow', () => {
    expect(f16(1 + 2 ** -11)).toBe(1);
    expect(f16(1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9);
    expect(f16(2049)).toBe(2048);
    expect(f16(3 * 2 ** -25)).toBe(2 ** -23);
    expect(f16(65519)).toBe(65504);
    expect(f16(65520)).toBe(Infinity);
  });

  // Operands rounded to f16, then f16 products and sums (f16) or exact products summed in float32
  // (f16-storage), in two orders: the error against the exact float64 result stays within the bound.
  const value = fc.tuple(fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), fc.integer({ min: -30, max: 3 })).map(([m, e]) => Math.fround(m * 2 ** (e - 20)));
  const pairs = fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 24 });
  for (const precision of ['f16', 'f16-storage'] as const) {
    it(`${precision}: holds for simulated sums in two orders, subnormal operands included`, () => {
      fc.assert(
        fc.property(pairs, (ps) => {
          const xs = ps.map((p) => p[0]);
          const ws = ps.map((p) => p[1]);
          const exact = ps.reduce((s, [x, w]) => s + x * w, 0); // float64: within 2^-100..2^6, exact enough to a 2^-60 relative
          const ref = Math.fround(exact);
          const abs = Math.fround(ps.reduce((s, [x, w]) => s + Math.abs(x * w), 0) * (1 + 2 ** -23));
          const ops = f16Operands([Tensor.fromData(Float32Array.from(xs), [xs.length]), Tensor.fromData(Float32Array.from(ws), [ws.length])]);
          const model = f16ErrorModel(precision, ops);
          if (model.overflows?.(ps.length, abs, ref)) return;
          const terms = ps.map(([x, w]) => (precision === 'f16' ? f16(f16(x) * f16(w)) : f16(x) * f16(w)));
          const add = (a: number, b: number) => (precision === 'f16' ? f16(a + b) : Math.fround(a + b));
          for (const order of [terms, [...terms].reverse()]) {
            const got = order.reduce((s, t) => add(s, t), 0);
            expect(Math.abs(got - ref)).toBeLessThanOrEqual(model.bound(ps.length, abs, ref));
          }
        }),
        fcParams(`f16 bound vs simulated ${precision} sums`, {}, 400),
      );
    });
  }

  it('operands past 65504 overflow at both precisions; f16 sums past it only at f16', () => {
    const t = (v: number[]) => Tensor.fromData(Float32Array.from(v), [v.length]);
    const big = f16Operands([t([70000]), t([1])]);
    expect(f16ErrorModel('f16-storage', big).overflows?.(1, 70000, 70000)).toBe(true);
    const sum = f16Operands([t([200, 200]), t([200, 200])]); // 80000: the f16 sum overflows
    expect(f16ErrorModel('f16', sum).overflows?.(2, 80000, 80000)).toBe(true);
    expect(f16ErrorModel('f16-storage', sum).overflows?.(2, 80000, 80000)).toBe(false);
    expect(f16ErrorModel('f16', f16Operands([t([2, 3]), t([4, 5])])).overflows?.(2, 23, 23)).toBe(false);
  });

  it('compareWithBound reports overflow as its own outcome, and an infinity may be NaN only with non-finite inputs', () => {
    const model = f16ErrorModel('f16', f16Operands([Tensor.fromData(Float32Array.from([300]), [1]), Tensor.fromData(Float32Array.from([300]), [1])]));
    const r = compareWithBound(new Float32Array([Infinity]), new Float32Array([90000]), new Float32Array([90000]), 1, { model });
    expect(r).toMatchObject({ ok: true, failures: 0, overflow: 1, overflowInfinite: 1 });
    const nan = compareWithBound(new Float32Array([Number.NaN]), new Float32Array([Infinity]), new Float32Array([Infinity]), 1, { model, inputsFinite: false });
    expect(nan.ok).toBe(true);
    const nanRef = compareWithBound(new Float32Array([Infinity]), new Float32Array([Number.NaN]), new Float32Array([Number.NaN]), 1, {
      model,
      inputsFinite: false,
    });
    expect(nanRef.ok).toBe(false);
    // Within range, the bound judges: a far-off value fails.
    const small = f16ErrorModel('f16', f16Operands([Tensor.fromData(Float32Array.from([1]), [1]), Tensor.fromData(Float32Array.from([1]), [1])]));
    expect(compareWithBound(new Float32Array([1.01]), new Float32Array([1]), new Float32Array([1]), 1, { model: small }).ok).toBe(false);
    expect(compareWithBound(new Float32Array([1]), new Float32Array([1]), new Float32Array([1]), 1, { model: small }).ok).toBe(true);
  });
});
