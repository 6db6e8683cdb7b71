import { type Conv2dSpecInit, conv2dSpec, Tensor } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { conv2dExact, conv2dFast, cpuConvMethodsFor, MAX_FLOAT32 } from '../src/index.ts';

const t = (data: number[], shape: number[]) => Tensor.fromData(Float32Array.from(data), shape);
const iota = (n: number, from = 1) => Array.from({ length: n }, (_, i) => i + from);

/** Runs every method in both modes; small-integer data makes every order exact, so all must be equal. */
function conv(init: Conv2dSpecInit, x: Tensor, w: Tensor, b?: Tensor): number[] {
  const spec = conv2dSpec(init);
  const results = cpuConvMethodsFor(spec).flatMap((m) => [conv2dExact(spec, x, w, b, m), conv2dFast(spec, x, w, b, m)]);
  const first = Array.from(results[0].data);
  for (const r of results) expect(Array.from(r.data)).toEqual(first);
  return first;
}

describe('hand-computed convs (every method, both modes)', () => {
  // Padding wider than the output with a dilated tap that reads only padding (seed 1129533182 of
  // the conformance kit): im2col's valid range started past the row's end and copied out of bounds.
  it('a tap reading only padding when the padding is wider than the output (left and top)', () => {
    const x = t([0.5], [1, 1, 1, 1]);
    expect(
      conv({ input: [1, 1, 1, 1], weight: [1, 1, 1, 2], padding: [0, 3, 0, 0], dilation: [1, 3], activation: 'relu' }, x, t([1, 2], [1, 1, 1, 2])),
    ).toEqual([1]);
    expect(conv({ input: [1, 1, 1, 1], weight: [1, 1, 2, 1], padding: [3, 0, 0, 0], dilation: [3, 1] }, x, t([1, 2], [1, 1, 2, 1]))).toEqual([1]);
    const x2 = t([1, 2, 3, 4], [2, 2, 1, 1]);
    expect(conv({ input: [2, 2, 1, 1], weight: [3, 2, 1, 3], padding: [0, 5, 0, 5], dilation: [1, 5] }, x2, t(iota(18), [3, 2, 1, 3]))).toEqual([
      12, 30, 48, 26, 68, 110,
    ]);
  });

  // x = 1..16 on a 4x4 map
  const x44 = t(iota(16), [1, 1, 4, 4]);

  it('3x3 all-ones, no padding: sums of 3x3 windows', () => {
    expect(conv({ input: [1, 1, 4, 4], weight: [1, 1, 3, 3] }, x44, t(Array(9).fill(1), [1, 1, 3, 3]))).toEqual([54, 63, 90, 99]);
  });

  it('stride 2 with a 1x1 kernel picks every other pixel', () => {
    expect(conv({ input: [1, 1, 4, 4], weight: [1, 1, 1, 1], stride: 2 }, x44, t([2], [1, 1, 1, 1]))).toEqual([2, 6, 18, 22]);
  });

  it('four-sided padding [top 1, left 0, bottom 0, right 2] with a 2x2 kernel', () => {
    // padded rows: [0 row; x rows], columns: x cols then two zero columns -> 4x5 output? H_out = 4+1-1 = 4, W_out = 4+2-1 = 5
    const y = conv({ input: [1, 1, 4, 4], weight: [1, 1, 2, 2], padding: [1, 0, 0, 2] }, x44, t([1, 1, 1, 1], [1, 1, 2, 2]));
    expect(y.slice(0, 5)).toEqual([3, 5, 7, 4, 0]); // top row sees only x row 0
    expect(y.slice(5, 10)).toEqual([14, 18, 22, 12, 0]);
    expect(y.length).toBe(20);
  });

  it('dilation 2: taps two apart', () => {
    // 2x2 kernel, dilation 2 on 4x4: output 2x2, y[i,j] = x[i,j] + x[i,j+2] + x[i+2,j] + x[i+2,j+2]
    expect(conv({ input: [1, 1, 4, 4], weight: [1, 1, 2, 2], dilation: 2 }, x44, t([1, 1, 1, 1], [1, 1, 2, 2]))).toEqual([
      1 + 3 + 9 + 11,
      2 + 4 + 10 + 12,
      5 + 7 + 13 + 15,
      6 + 8 + 14 + 16,
    ]);
  });

  it('groups 2: each output channel sees only its group', () => {
    const x = t([1, 2, 3, 4], [1, 4, 1, 1]);
    const w = t([1, 10, 1, 10, 100, 1000, 100, 1000], [4, 2, 1, 1]);
    expect(conv({ input: [1, 4, 1, 1], weight: [4, 2, 1, 1], groups: 2 }, x, w)).toEqual([21, 21, 4300, 4300]);
  });

  it('depthwise with bias', () => {
    const x = t([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    const w = t([1, 1, 1, 1, 2, 0, 0, 2], [2, 1, 2, 2]);
    expect(conv({ input: [1, 2, 2, 2], weight: [2, 1, 2, 2], groups: 2, bias: true }, x, w, t([100, -100], [2]))).toEqual([110, 2 * 5 + 2 * 8 - 100]);
  });

  it('transposed, stride 2, padding 1, output padding 1 (PyTorch semantics)', () => {
    // x 2x2 = [1 2; 3 4], w 3x3 all ones: H_out = (2-1)*2 - 2 + 2 + 1 + 1 = 4
    const y = conv(
      { input: [1, 1, 2, 2], weight: [1, 1, 3, 3], stride: 2, padding: 1, outputPadding: 1, transposed: true },
      t([1, 2, 3, 4], [1, 1, 2, 2]),
      t(Array(9).fill(1), [1, 1, 3, 3]),
    );
    // full (unpadded) 5x5 scatter then crop [1, 5) x [1, 5):
    //   rows of the full map: r0 = [1 1 3 2 2], r1 same, r2 = [4 4 10 6 6], r3 = [3 3 7 4 4], r4 same
    expect(y).toEqual([1, 3, 2, 2, 4, 10, 6, 6, 3, 7, 4, 4, 3, 7, 4, 4]);
  });

  it('bias, relu and clamp apply after the sum', () => {
    const x = t([1, -2], [1, 2, 1, 1]);
    const w = t([1, 1, 3, 1], [2, 2, 1, 1]); // o0 = 1 - 2 = -1, o1 = 3 - 2 = 1
    const b = t([0.5, 0.5], [2]);
    expect(conv({ input: [1, 2, 1, 1], weight: [2, 2, 1, 1], bias: true }, x, w, b)).toEqual([-0.5, 1.5]);
    expect(conv({ input: [1, 2, 1, 1], weight: [2, 2, 1, 1], bias: true, activation: 'relu' }, x, w, b)).toEqual([0, 1.5]);
    expect(conv({ input: [1, 2, 1, 1], weight: [2, 2, 1, 1], bias: true, activation: { kind: 'clamp', min: -0.25, max: 1 } }, x, w, b)).toEqual([-0.25, 1]);
  });

  it('batch 2 keeps images apart', () => {
    expect(conv({ input: [2, 1, 1, 2], weight: [1, 1, 1, 2] }, t([1, 2, 3, 4], [2, 1, 1, 2]), t([1, 1], [1, 1, 1, 2]))).toEqual([3, 7]);
  });
});

describe('exact mode: rounding and special values (every method)', () => {
  const spec1x2 = conv2dSpec({ input: [1, 2, 1, 1], weight: [1, 2, 1, 1], bias: true });
  const run = (xs: number[], ws: number[], b: number) =>
    cpuConvMethodsFor(spec1x2).map((m) => conv2dExact(spec1x2, t(xs, [1, 2, 1, 1]), t(ws, [1, 2, 1, 1]), t([b], [1]), m).data[0]);

  it('ties to even at float32 midpoints, and one rounding only', () => {
    expect(run([1, 2 ** -12], [1, 2 ** -12], 0)).toEqual([1, 1, 1]); // 1 + 2^-24: tie, 1 is even
    expect(run([1, 2 ** -12], [1 + 2 ** -23, 2 ** -12], 0)).toEqual(Array(3).fill(1 + 2 ** -22)); // tie, odd -> up
    expect(run([1, 2 ** -12], [1, 2 ** -12], 2 ** -60)).toEqual(Array(3).fill(1 + 2 ** -23)); // above the tie
    expect(run([1, 2 ** -12], [1, 2 ** -12], -(2 ** -60))).toEqual([1, 1, 1]);
  });

  it('cancellation is exact', () => {
    expect(run([2 ** 60, 1], [2 ** 60, 3], -(2 ** 120))).toEqual([3, 3, 3]);
  });

  it('subnormal results round correctly', () => {
    expect(run([2 ** -75, 2 ** -75], [2 ** -75, 2 ** -75], 0)).toEqual(Array(3).fill(2 ** -149)); // 2 * 2^-150
    expect(run([2 ** -75, 0], [2 ** -75, 0], 0)).toEqual([0, 0, 0]); // 2^-150: tie to 0
    expect(run([2 ** -70, 1], [2 ** -70, -(2 ** -126)], 2 ** -127)).toEqual(Array(3).fill(2 ** -140 - 2 ** -127));
  });

  it('overflow on rounding gives infinity', () => {
    expect(run([MAX_FLOAT32, 2 ** 50], [1, 2 ** 53], 0)).toEqual(Array(3).fill(Number.POSITIVE_INFINITY)); // MAX + 2^103: tie to 2^128
    expect(run([MAX_FLOAT32, 2 ** 50], [1, 2 ** 52], 0)).toEqual(Array(3).fill(MAX_FLOAT32));
    expect(run([2 ** 100, 2 ** 100], [2 ** 100, -(2 ** 100)], 1)).toEqual([1, 1, 1]); // huge partials cancel
    expect(run([2 ** 127, 2 ** 127], [-2, -2], 0)).toEqual(Array(3).fill(Number.NEGATIVE_INFINITY));
  });

  it('NaN and infinities follow IEEE', () => {
    const inf = Number.POSITIVE_INFINITY;
    expect(run([Number.NaN, 1], [1, 1], 0).every(Number.isNaN)).toBe(true);
    expect(run([inf, 1], [1, 1], -inf).every(Number.isNaN)).toBe(true);
    expect(run([inf, 1], [1, 1], 5)).toEqual([inf, inf, inf]);
    expect(run([inf, 0], [1, inf], 0).every(Number.isNaN)).toBe(true); // inf * 0
    expect(run([-inf, 1], [1, 1], -inf)).toEqual([-inf, -inf, -inf]);
  });

  it('a non-finite weight on a padded tap gives NaN in every method (w * 0)', () => {
    const spec = conv2dSpec({ input: [1, 1, 2, 2], weight: [1, 1, 2, 2], padding: [1, 0, 0, 0] });
    const x = t([1, 2, 3, 4], [1, 1, 2, 2]);
    const w = t([Number.POSITIVE_INFINITY, 0, 0, 0], [1, 1, 2, 2]); // tap (0,0) is padded for output row 0
    for (const m of cpuConvMethodsFor(spec)) {
      for (const run of [conv2dExact, conv2dFast]) {
        const y = Array.from(run(spec, x, w, undefined, m).data);
        expect(y[0], m).toBeNaN();
        expect(y[1], m).toBe(Number.POSITIVE_INFINITY);
      }
    }
  });
});
