import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, copyData, padConstant, transpose } from '../../src/ops/shape-ops.ts';
import { fcParams } from '../fc-params.ts';

const f32 = (v: number[]) => Float32Array.from(v);
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const strides = (s: readonly number[]) => s.map((_, d) => size(s.slice(d + 1)));
const flatIndex = (idx: number[], s: readonly number[]) => idx.reduce((a, c, d) => a + c * strides(s)[d], 0);
const multiIndex = (flat: number, s: readonly number[]) => s.map((_, d) => Math.floor(flat / strides(s)[d]) % s[d]);

describe('shape ops', () => {
  it('concat along each axis (ONNX concat_2d examples)', () => {
    const a = f32([1, 2, 3, 4]);
    const b = f32([5, 6, 7, 8]);
    expect(
      concat(
        [
          [2, 2],
          [2, 2],
        ],
        [a, b],
        0,
      ),
    ).toEqual({ shape: [4, 2], data: f32([1, 2, 3, 4, 5, 6, 7, 8]) });
    expect(
      concat(
        [
          [2, 2],
          [2, 2],
        ],
        [a, b],
        1,
      ),
    ).toEqual({ shape: [2, 4], data: f32([1, 2, 5, 6, 3, 4, 7, 8]) });
    expect(
      concat(
        [
          [2, 1],
          [2, 3],
        ],
        [f32([1, 2]), f32([3, 4, 5, 6, 7, 8])],
        1,
      ).data,
    ).toEqual(f32([1, 3, 4, 5, 2, 6, 7, 8]));
  });

  it('copies keep NaN payloads, -0 and infinities bit for bit, and never alias', () => {
    const x = f32([Number.NaN, -0, Number.POSITIVE_INFINITY, 2 ** -149]);
    const y = copyData(x);
    expect(new Uint32Array(y.buffer)).toEqual(new Uint32Array(x.buffer));
    y[0] = 1;
    expect(x[0]).toBeNaN();
    expect(Object.is(transpose([2, 2], x, [1, 0]).data[2], -0)).toBe(true);
    expect(Object.is(concat([[4]], [x], 0).data[1], -0)).toBe(true);
  });

  it('transpose: ONNX transpose_default (reversed) and an explicit perm', () => {
    const x = f32(Array.from({ length: 24 }, (_, i) => i));
    const t = transpose([2, 3, 4], x, [2, 1, 0]);
    expect(t.shape).toEqual([4, 3, 2]);
    expect(t.data[flatIndex([3, 1, 0], t.shape)]).toBe(x[flatIndex([0, 1, 3], [2, 3, 4])]);
    expect(transpose([2, 3], f32([1, 2, 3, 4, 5, 6]), [1, 0]).data).toEqual(f32([1, 4, 2, 5, 3, 6]));
  });

  it('pad, constant mode: ONNX constant_pad example; the value is rounded to float32', () => {
    // x [1, 3, 4, 5] would be large; use the same pads pattern on [1, 1, 2, 2]: pads [0, 0, 1, 3, 0, 0, 2, 4]
    const p = padConstant([1, 1, 2, 2], f32([1, 2, 3, 4]), [0, 0, 1, 3, 0, 0, 2, 4], 1.2);
    expect(p.shape).toEqual([1, 1, 5, 9]);
    const v = Math.fround(1.2);
    const want = Array.from({ length: 45 }, () => v);
    want[1 * 9 + 3] = 1;
    want[1 * 9 + 4] = 2;
    want[2 * 9 + 3] = 3;
    want[2 * 9 + 4] = 4;
    expect(Array.from(p.data)).toEqual(want);
  });

  it('transpose and pad agree with index-by-index definitions on random shapes', () => {
    const arb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }).chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        perm: fc.shuffledSubarray(
          shape.map((_, i) => i),
          { minLength: shape.length, maxLength: shape.length },
        ),
        pads: fc.array(fc.nat(2), { minLength: shape.length * 2, maxLength: shape.length * 2 }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ shape, perm, pads }) => {
        const x = f32(Array.from({ length: size(shape) }, (_, i) => i + 1));
        const t = transpose(shape, x, perm);
        for (let o = 0; o < t.data.length; o++) {
          const oi = multiIndex(o, t.shape);
          const ii = shape.map((_, d) => oi[perm.indexOf(d)]);
          expect(t.data[o]).toBe(x[flatIndex(ii, shape)]);
        }
        const r = shape.length;
        const p = padConstant(shape, x, pads, -7);
        for (let o = 0; o < p.data.length; o++) {
          const oi = multiIndex(o, p.shape);
          const ii = oi.map((c, d) => c - pads[d]);
          const inside = ii.every((c, d) => c >= 0 && c < shape[d]);
          expect(p.data[o]).toBe(inside ? x[flatIndex(ii, shape)] : -7);
        }
        expect(p.shape).toEqual(shape.map((d, i) => d + pads[i] + pads[r + i]));
      }),
      fcParams('transpose and pad by definition', 100),
    );
  });
});
