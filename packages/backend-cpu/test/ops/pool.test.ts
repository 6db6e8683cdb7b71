import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { setCertifiedFastPath } from '../../src/exact/certify.ts';
import { averagePool2dAbs, averagePool2dExact, averagePool2dFast, maxPool2d, type Pool2dParams, pool2dOutputShape } from '../../src/ops/pool.ts';
import { valueArb } from '../arbitraries.ts';
import { fcParams } from '../fc-params.ts';
import { oracleMean } from './oracle-rational.ts';

const iota = (n: number) => Float32Array.from({ length: n }, (_, i) => i + 1);
const params = (p: Partial<Pool2dParams> & Pick<Pool2dParams, 'input' | 'kernel'>): Pool2dParams => ({
  stride: [1, 1],
  padding: [0, 0, 0, 0],
  dilation: [1, 1],
  ceilMode: false,
  ...p,
});
const rows = (data: Float32Array, w: number) => Array.from({ length: data.length / w }, (_, i) => Array.from(data.subarray(i * w, (i + 1) * w)));

describe('pooling: ONNX backend test cases', () => {
  it('averagepool_2d_ceil and maxpool_2d_ceil (4x4, kernel 3, stride 2)', () => {
    const p = params({ input: [1, 1, 4, 4], kernel: [3, 3], stride: [2, 2], ceilMode: true });
    expect(pool2dOutputShape(p)).toEqual([1, 1, 2, 2]);
    expect(rows(averagePool2dExact(p, iota(16)).data, 2)).toEqual([
      [6, 7.5],
      [12, 13.5],
    ]);
    expect(rows(maxPool2d(p, iota(16)).data, 2)).toEqual([
      [11, 12],
      [15, 16],
    ]);
  });

  it('maxpool_2d_dilations (kernel 2, dilation 2)', () => {
    const p = params({ input: [1, 1, 4, 4], kernel: [2, 2], dilation: [2, 2] });
    expect(rows(maxPool2d(p, iota(16)).data, 2)).toEqual([
      [11, 12],
      [15, 16],
    ]);
  });

  it('averagepool_2d_precomputed_pads with and without count_include_pad (5x5, kernel 5, pads 2)', () => {
    const p = params({ input: [1, 1, 5, 5], kernel: [5, 5], padding: [2, 2, 2, 2] });
    const exclude = [7, 7.5, 8, 8.5, 9, 9.5, 10, 10.5, 11, 11.5, 12, 12.5, 13, 13.5, 14, 14.5, 15, 15.5, 16, 16.5, 17, 17.5, 18, 18.5, 19];
    expect(Array.from(averagePool2dExact(p, iota(25)).data)).toEqual(exclude);
    // count_include_pad: every window has 25 taps; the sums over 25, each rounded once
    const sums = [63, 90, 120, 102, 81, 114, 160, 210, 176, 138, 180, 250, 325, 270, 210, 174, 240, 310, 256, 198, 153, 210, 270, 222, 171];
    expect(Array.from(averagePool2dExact({ ...p, countIncludePad: true }, iota(25)).data)).toEqual(sums.map((s) => Math.fround(s / 25)));
  });

  it('a ceil-mode window hanging past the padded input: the part beyond it is not counted', () => {
    // W = 4, kernel 3, stride 2, pads 1 and 1: windows start at -1, 1, 3; the last covers 3, 4 (pad), 5 (beyond)
    const p = params({ input: [1, 1, 1, 4], kernel: [1, 3], stride: [1, 2], padding: [0, 1, 0, 1], ceilMode: true });
    expect(pool2dOutputShape(p)).toEqual([1, 1, 1, 3]);
    const x = Float32Array.from([1, 2, 3, 4]);
    expect(Array.from(averagePool2dExact({ ...p, countIncludePad: true }, x).data)).toEqual([1, 3, 2]);
    expect(Array.from(averagePool2dExact(p, x).data)).toEqual([1.5, 3, 4]);
    expect(Array.from(averagePool2dFast({ ...p, countIncludePad: true }, x).data)).toEqual([1, 3, 2]);
    expect(Array.from(maxPool2d(p, x).data)).toEqual([2, 4, 4]);
  });

  it('averagepool_2d_ceil_last_window_starts_on_pad (2x2, kernel 3, stride 3, pads 1, count_include_pad)', () => {
    const p = params({ input: [1, 1, 2, 2], kernel: [3, 3], stride: [3, 3], padding: [1, 1, 1, 1], ceilMode: true, countIncludePad: true });
    // ceil((2 + 2 - 3) / 3) + 1 = 2, but the second window would start at 3 >= 2 + 1: dropped
    expect(pool2dOutputShape(p)).toEqual([1, 1, 1, 1]);
    expect(Array.from(averagePool2dExact(p, Float32Array.from([1, 2, 3, 4])).data)).toEqual([Math.fround(10 / 9)]);
  });

  it('ceil mode drops a last window that would start in the trailing padding', () => {
    // H = 5, kernel 2, stride 2, pad bottom 1: ceil((5 + 1 - 2) / 2) + 1 = 3 windows, starting at 0, 2, 4
    expect(poolExtent({ h: 5, k: 2, s: 2, pb: 0, pe: 1 })).toBe(3);
    // H = 4, kernel 2, stride 2, pads 1, 1: ceil(4/2) + 1 = 3; the third starts at 3 < 4 + 1, kept
    expect(poolExtent({ h: 4, k: 2, s: 2, pb: 1, pe: 1 })).toBe(3);
    // H = 4, kernel 1, stride 2, pad end 1: ceil(4/2) + 1 = 3, third starts at 4 >= 4 + 0: dropped
    expect(poolExtent({ h: 4, k: 1, s: 2, pb: 0, pe: 1 })).toBe(2);
  });

  it('max: NaN wins wherever it sits in the window, +0 beats -0, and an empty window is -Infinity', () => {
    const p = params({ input: [1, 1, 1, 3], kernel: [1, 3] });
    for (const x of [
      [Number.NaN, 1, 2],
      [1, Number.NaN, 2],
      [1, 2, Number.NaN],
    ]) {
      expect(maxPool2d(p, Float32Array.from(x)).data[0]).toBeNaN();
    }
    expect(Object.is(maxPool2d(p, Float32Array.from([-0, 0, -1])).data[0], 0)).toBe(true);
    expect(maxPool2d(p, Float32Array.from([Number.NEGATIVE_INFINITY, -1, Number.POSITIVE_INFINITY])).data[0]).toBe(Number.POSITIVE_INFINITY);
    // kernel 2 dilation 3, pads 2 and 1, on a 1-wide input: the one window reads -2 and 1, both outside
    const empty = params({ input: [1, 1, 1, 1], kernel: [1, 2], dilation: [1, 3], padding: [0, 2, 0, 1] });
    expect(Array.from(maxPool2d(empty, Float32Array.from([5])).data)).toEqual([Number.NEGATIVE_INFINITY]);
    expect(averagePool2dExact(empty, Float32Array.from([5])).data[0]).toBeNaN();
    expect(averagePool2dExact({ ...empty, countIncludePad: true }, Float32Array.from([5])).data[0]).toBe(0);
  });

  it('average: the exact sum divided once, rounded once (a tie goes to even; no double rounding)', () => {
    const p = params({ input: [1, 1, 1, 3], kernel: [1, 3] });
    // (1 + 2^-23) + (1 + 2^-23) + (1 - 2^-24) = 3 (1 + 2^-24): a float32 midpoint, 1 is even
    const tie = Float32Array.from([1 + 2 ** -23, 1 + 2 ** -23, 1 - 2 ** -24]);
    expect(averagePool2dExact(p, tie).data[0]).toBe(1);
    // S = 4 (1 + 2^-24) + 2^-100 over d = 4 (three taps and a counted pad): in float64 S / 4 is the
    // float32 midpoint 1 + 2^-24 (to even: 1); the exact quotient is just above it
    const pad = params({ input: [1, 1, 1, 3], kernel: [1, 4], padding: [0, 0, 0, 1], countIncludePad: true });
    expect(averagePool2dExact(pad, Float32Array.from([2 + 2 ** -22, 2, 2 ** -100])).data[0]).toBe(1 + 2 ** -23);
    // huge terms that cancel: float64 summation loses the 1
    const cancel = Float32Array.from([2 ** 100, 1, -(2 ** 100)]);
    expect(averagePool2dExact(p, cancel).data[0]).toBe(Math.fround(1 / 3));
    expect(averagePool2dExact(p, Float32Array.from([1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])).data[0]).toBeNaN();
    expect(averagePool2dExact(p, Float32Array.from([1, Number.POSITIVE_INFINITY, 2])).data[0]).toBe(Number.POSITIVE_INFINITY);
    expect(Object.is(averagePool2dExact(p, Float32Array.from([-0, -0, -0])).data[0], 0)).toBe(true);
  });
});

function poolExtent(a: { h: number; k: number; s: number; pb: number; pe: number }): number {
  return pool2dOutputShape(params({ input: [1, 1, a.h, 1], kernel: [a.k, 1], stride: [a.s, 1], padding: [a.pb, 0, a.pe, 0], ceilMode: true }))[2];
}

/** The windows by the definition, independently of src: taps inside the input, and the count of
 * taps inside the padded input. */
function oracleWindows(p: Pool2dParams): { taps: number[][]; padded: number[] } {
  const [n, c, h, w] = p.input;
  const [, , hOut, wOut] = pool2dOutputShape(p);
  const [top, left, bottom, right] = p.padding;
  const taps: number[][] = [];
  const padded: number[] = [];
  for (let pl = 0; pl < n * c; pl++) {
    for (let i = 0; i < hOut; i++) {
      for (let j = 0; j < wOut; j++) {
        const t: number[] = [];
        let cnt = 0;
        for (let a = 0; a < p.kernel[0]; a++) {
          for (let b = 0; b < p.kernel[1]; b++) {
            const r = i * p.stride[0] - top + a * p.dilation[0];
            const q = j * p.stride[1] - left + b * p.dilation[1];
            if (r >= 0 && r < h && q >= 0 && q < w) t.push((pl * h + r) * w + q);
            if (r >= -top && r < h + bottom && q >= -left && q < w + right) cnt++;
          }
        }
        taps.push(t);
        padded.push(cnt);
      }
    }
  }
  return { taps, padded };
}

const poolCaseArb = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    c: fc.integer({ min: 1, max: 2 }),
    h: fc.integer({ min: 1, max: 7 }),
    w: fc.integer({ min: 1, max: 7 }),
    kernel: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
    stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    padding: fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)),
    ceilMode: fc.boolean(),
    countIncludePad: fc.boolean(),
  })
  .map((r): Pool2dParams => ({ ...r, input: [r.n, r.c, r.h, r.w] }))
  .filter((p) => pool2dOutputShape(p).every((d) => d >= 1))
  .chain((p) => {
    const size = p.input.reduce((a, b) => a * b, 1);
    return fc.record({ p: fc.constant(p), x: fc.array(valueArb, { minLength: size, maxLength: size }).map((v) => Float32Array.from(v)) });
  });

describe('pooling properties', () => {
  it('exact average pool equals the BigInt oracle (certified path on and off); max is the largest tap', () => {
    fc.assert(
      fc.property(poolCaseArb, ({ p, x }) => {
        const { taps, padded } = oracleWindows(p);
        const want = taps.map((t, o) => {
          const d = p.countIncludePad ? padded[o] : t.length;
          return d === 0
            ? Number.NaN
            : oracleMean(
                t.map((i) => x[i]),
                d,
              );
        });
        for (const fast of [true, false]) {
          setCertifiedFastPath(fast);
          try {
            expect(Array.from(averagePool2dExact(p, x).data)).toEqual(want);
          } finally {
            setCertifiedFastPath(true);
          }
        }
        const max = taps.map((t) => t.reduce((m, i) => Math.max(m, x[i]), Number.NEGATIVE_INFINITY));
        expect(Array.from(maxPool2d(p, x).data)).toEqual(max);
      }),
      fcParams('average pool exact vs oracle', 150),
    );
  });

  it('fast average pool stays within gamma(n) * A + u * |y| + n * 2^-126 of exact', () => {
    const u = 2 ** -24;
    fc.assert(
      fc.property(poolCaseArb, ({ p, x }) => {
        const exact = averagePool2dExact(p, x).data;
        const fast = averagePool2dFast(p, x).data;
        const { abs, terms } = averagePool2dAbs(p, x);
        exact.forEach((y, o) => {
          if (Number.isNaN(y)) {
            expect(fast[o]).toBeNaN();
            return;
          }
          const n = Math.max(terms[o], 1);
          const g = (n * u) / (1 - n * u);
          const bound = (g * abs[o] + (u * Math.abs(y)) / (1 - u) + n * 2 ** -126) * (1 + 2 ** -48);
          expect(Math.abs(fast[o] - y)).toBeLessThanOrEqual(bound);
        });
      }),
      fcParams('average pool fast bound', 150),
    );
  });
});
