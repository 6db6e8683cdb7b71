import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { setCertifiedFastPath } from '../../src/exact/certify.ts';
import {
  type CoordinateTransformationMode,
  type NearestMode,
  type ResizeParams,
  resizeAbs,
  resizeExact,
  resizeFast,
  resizeGeometry,
  sourceCoordinate,
} from '../../src/ops/resize.ts';
import { valueArb } from '../arbitraries.ts';
import { fcParams } from '../fc-params.ts';
import { oracleBilinear } from './oracle-rational.ts';

const f32 = (v: number[]) => Float32Array.from(v);
const iota = (n: number) => f32(Array.from({ length: n }, (_, i) => i + 1));
type Given = { scales?: number[]; sizes?: number[] };
const params = (
  input: number[],
  given: Given,
  mode: 'nearest' | 'linear',
  ctm: CoordinateTransformationMode = 'half_pixel',
  nearestMode: NearestMode = 'round_prefer_floor',
): ResizeParams => ({
  input,
  ...resizeGeometry(input, given),
  mode,
  coordinateTransformationMode: ctm,
  nearestMode,
});
const grid = (data: Float32Array, w: number) => Array.from({ length: data.length / w }, (_, i) => Array.from(data.subarray(i * w, (i + 1) * w)));
/** ONNX's published outputs are float32 values printed with 7 or 8 digits. */
const expectNear = (got: Float32Array, want: number[]) => {
  expect(got.length).toBe(want.length);
  want.forEach((v, i) => {
    expect(Math.abs(got[i] - v)).toBeLessThanOrEqual(Math.abs(v) * 2e-7);
  });
};
const s = Math.fround; // ONNX scales are float32 tensors

describe('resize: ONNX backend test cases', () => {
  it('resize_upsample_scales_nearest and resize_downsample_scales_nearest', () => {
    const up = params([1, 1, 2, 2], { scales: [1, 1, 2, 3] }, 'nearest');
    expect(grid(resizeExact(up, f32([1, 2, 3, 4])), 6)).toEqual([
      [1, 1, 1, 2, 2, 2],
      [1, 1, 1, 2, 2, 2],
      [3, 3, 3, 4, 4, 4],
      [3, 3, 3, 4, 4, 4],
    ]);
    const down = params([1, 1, 2, 4], { scales: [1, 1, s(0.6), s(0.6)] }, 'nearest');
    expect(down.output).toEqual([1, 1, 1, 2]);
    expect(Array.from(resizeExact(down, iota(8)))).toEqual([1, 3]);
  });

  it('nearest modes: ceil half_pixel, floor align_corners, round_prefer_ceil asymmetric (4x4 to 8x8)', () => {
    const run = (ctm: CoordinateTransformationMode, nm: NearestMode) =>
      grid(resizeExact(params([1, 1, 4, 4], { sizes: [1, 1, 8, 8] }, 'nearest', ctm, nm), iota(16)), 8);
    const rowsOf = (cols: number[], rows: number[]) => rows.map((r) => cols.map((c) => r * 4 + c + 1));
    expect(run('half_pixel', 'ceil')).toEqual(rowsOf([0, 1, 1, 2, 2, 3, 3, 3], [0, 1, 1, 2, 2, 3, 3, 3]));
    expect(run('align_corners', 'floor')).toEqual(rowsOf([0, 0, 0, 1, 1, 2, 2, 3], [0, 0, 0, 1, 1, 2, 2, 3]));
    expect(run('asymmetric', 'round_prefer_ceil')).toEqual(rowsOf([0, 1, 1, 2, 2, 3, 3, 3], [0, 1, 1, 2, 2, 3, 3, 3]));
    // round_prefer_floor puts 0.5 on the floor, round_prefer_ceil on the ceiling
    expect(run('asymmetric', 'round_prefer_floor')[0]).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
  });

  it('resize_upsample_scales_linear (half_pixel) and its align_corners variant', () => {
    const x = f32([1, 2, 3, 4]);
    expect(grid(resizeExact(params([1, 1, 2, 2], { scales: [1, 1, 2, 2] }, 'linear'), x), 4)).toEqual([
      [1, 1.25, 1.75, 2],
      [1.5, 1.75, 2.25, 2.5],
      [2.5, 2.75, 3.25, 3.5],
      [3, 3.25, 3.75, 4],
    ]);
    const ac = resizeExact(params([1, 1, 2, 2], { scales: [1, 1, 2, 2] }, 'linear', 'align_corners'), x);
    // thirds, each the exact rational rounded once
    const t = (k: number) => s(1 + k / 3);
    expect(grid(ac, 4)).toEqual([
      [1, t(1), t(2), 2],
      [t(2), 2, t(4), t(5)],
      [t(4), t(5), 3, t(7)],
      [3, t(7), t(8), 4],
    ]);
  });

  it('resize_downsample_scales_linear: half_pixel, and align_corners with length_resized = in * scale', () => {
    const half = params([1, 1, 2, 4], { scales: [1, 1, s(0.6), s(0.6)] }, 'linear');
    expectNear(resizeExact(half, iota(8)), [2.6666665, 4.3333331]);
    // ONNX divides by in * scale - 1 = 1.4, not by out - 1 = 1: 1 + 3 / 1.4 = 3.142857
    const ac = params([1, 1, 2, 4], { scales: [1, 1, s(0.6), s(0.6)] }, 'linear', 'align_corners');
    expectNear(resizeExact(ac, iota(8)), [1, 3.142857]);
  });

  it('resize_downsample_sizes_linear_pytorch_half_pixel, and output length 1 in each mode', () => {
    const p = params([1, 1, 4, 4], { sizes: [1, 1, 3, 1] }, 'linear', 'pytorch_half_pixel');
    expectNear(resizeExact(p, iota(16)), [1.6666666, 7, 12.333333]);
    // length 1: pytorch_half_pixel and align_corners read coordinate 0; half_pixel reads the centre
    for (const mode of ['nearest', 'linear'] as const) {
      expect(Array.from(resizeExact(params([1, 1, 1, 4], { sizes: [1, 1, 1, 1] }, mode, 'pytorch_half_pixel'), iota(4)))).toEqual([1]);
      expect(Array.from(resizeExact(params([1, 1, 1, 4], { sizes: [1, 1, 1, 1] }, mode, 'align_corners'), iota(4)))).toEqual([1]);
    }
    expect(Array.from(resizeExact(params([1, 1, 1, 4], { sizes: [1, 1, 1, 1] }, 'linear', 'half_pixel'), iota(4)))).toEqual([2.5]);
    expect(Array.from(resizeExact(params([1, 1, 1, 4], { sizes: [1, 1, 1, 1] }, 'nearest', 'half_pixel'), iota(4)))).toEqual([2]);
  });

  it('linear on a rank-1 tensor interpolates its one axis', () => {
    const p = params([2], { scales: [2] }, 'linear');
    expect(Array.from(resizeExact(p, f32([1, 3])))).toEqual([1, 1.5, 2.5, 3]);
    expect(Array.from(resizeFast(p, f32([1, 3])))).toEqual([1, 1.5, 2.5, 3]);
  });

  it('linear: zero-weight taps are not terms; specials of weighted taps follow IEEE', () => {
    const inf = Number.POSITIVE_INFINITY;
    // scale 1: every coordinate is an integer, so the resize is a copy even beside an infinity
    const id = params([1, 1, 2, 2], { scales: [1, 1, 1, 1] }, 'linear');
    expect(Array.from(resizeExact(id, f32([inf, 2, 3, 4])))).toEqual([inf, 2, 3, 4]);
    expect(Array.from(resizeFast(id, f32([inf, 2, 3, 4])))).toEqual([inf, 2, 3, 4]);
    const up = params([1, 1, 1, 2], { scales: [1, 1, 1, 2] }, 'linear', 'asymmetric');
    expect(Array.from(resizeExact(up, f32([inf, -inf])))).toEqual([inf, Number.NaN, -inf, -inf]);
    expect(Array.from(resizeFast(up, f32([inf, -inf])))).toEqual([inf, Number.NaN, -inf, -inf]);
  });
});

const ctmArb = fc.constantFrom<CoordinateTransformationMode>('half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric');
const linearCaseArb = fc
  .record({
    planes: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    h: fc.integer({ min: 1, max: 5 }),
    w: fc.integer({ min: 1, max: 5 }),
    sizes: fc.boolean(),
    outH: fc.integer({ min: 1, max: 9 }),
    outW: fc.integer({ min: 1, max: 9 }),
    scaleH: fc.constantFrom(0.5, 0.6, 0.75, 1, 1.5, 2, 2.5, 3, 1 / 3),
    scaleW: fc.constantFrom(0.5, 0.6, 0.75, 1, 1.5, 2, 2.5, 3, 1 / 3),
    ctm: ctmArb,
  })
  .map((r) => {
    const input = [r.planes[0], r.planes[1], r.h, r.w];
    const given: Given = r.sizes ? { sizes: [r.planes[0], r.planes[1], r.outH, r.outW] } : { scales: [1, 1, s(r.scaleH), s(r.scaleW)] };
    return params(input, given, 'linear', r.ctm);
  })
  .filter((p) => p.output.every((d) => d >= 1))
  .chain((p) => {
    const n = p.input.reduce((a, b) => a * b, 1);
    return fc.record({ p: fc.constant(p), x: fc.array(valueArb, { minLength: n, maxLength: n }).map(f32) });
  });

/** By the definition, independently of src's index tables: clamp, floor, the exact weights. */
function oracleLinear(p: ResizeParams, x: Float32Array): number[] {
  const [, , h, w] = p.input;
  const [n0, n1, hOut, wOut] = p.output;
  const axis = (len: number, outIdx: number, a: number) => {
    const raw = sourceCoordinate(p.coordinateTransformationMode, outIdx, p.scales[a], len, p.resizedLengths[a]);
    const xo = Math.min(Math.max(raw, 0), len - 1);
    const i0 = Math.floor(xo);
    return { i0, i1: Math.min(i0 + 1, len - 1), l: xo - i0 };
  };
  const out: number[] = [];
  for (let pl = 0; pl < n0 * n1; pl++) {
    for (let i = 0; i < hOut; i++) {
      const y = axis(h, i, 2);
      for (let j = 0; j < wOut; j++) {
        const c = axis(w, j, 3);
        const at = (r: number, q: number) => x[(pl * h + r) * w + q];
        out.push(oracleBilinear(y.l, c.l, [at(y.i0, c.i0), at(y.i0, c.i1), at(y.i1, c.i0), at(y.i1, c.i1)]));
      }
    }
  }
  return out;
}

describe('resize properties', () => {
  it('linear exact equals the BigInt oracle (certified path on and off); fast within gamma(6) * A + u * |y| + 6 * 2^-126', () => {
    const u = 2 ** -24;
    const g6 = (6 * u) / (1 - 6 * u);
    fc.assert(
      fc.property(linearCaseArb, ({ p, x }) => {
        const want = oracleLinear(p, x);
        for (const fast of [true, false]) {
          setCertifiedFastPath(fast);
          try {
            expect(Array.from(resizeExact(p, x))).toEqual(want);
          } finally {
            setCertifiedFastPath(true);
          }
        }
        const fast = resizeFast(p, x);
        const abs = resizeAbs(p, x);
        want.forEach((y, o) => {
          expect(Math.abs(fast[o] - y)).toBeLessThanOrEqual((g6 * abs[o] + (u * Math.abs(y)) / (1 - u) + 6 * 2 ** -126) * (1 + 2 ** -48));
        });
      }),
      fcParams('resize linear exact vs oracle, fast bound', 150),
    );
  });
});
