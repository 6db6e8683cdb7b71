import { isConvrouteError, seededRandom } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { halfBits, halfValue, toHalf } from '../src/f16.ts';
import { createWebGpuBackend } from '../src/index.ts';

describe('binary16 conversion (uploads at the f16 precisions)', () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff],
    [65519.99, 0x7bff], // below 65504 + half an ulp: the largest finite
    [65520, 0x7c00], // the tie rounds to even: Infinity
    [1e9, 0x7c00],
    [Number.NEGATIVE_INFINITY, 0xfc00],
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -25, 0x0000], // a tie between 0 and 2^-24: even is 0
    [1.5 * 2 ** -25, 0x0001],
    [3 * 2 ** -25, 0x0002], // a subnormal tie (1.5 ulp) rounds to even 2
    [1 + 2 ** -11, 0x3c00], // a tie between 1 and 1 + 2^-10: even is 1
    [1 + 3 * 2 ** -11, 0x3c02], // a tie rounds up to the even 1 + 2^-9
    [2 ** -14 - 2 ** -25, 0x0400], // the largest subnormal's tie carries into the normals
  ])('%d -> 0x%s', (v, bits) => {
    expect(halfBits(v)).toBe(bits);
  });

  it('NaN stays NaN; every binary16 value converts back to itself', () => {
    expect(Number.isNaN(halfValue(halfBits(Number.NaN)))).toBe(true);
    for (let h = 0; h < 0x10000; h++) {
      const v = halfValue(h);
      if (Number.isNaN(v)) continue;
      expect(halfBits(v)).toBe(h);
    }
  });

  it('rounds to nearest: the error is at most half an ulp (2^-11 relative for normals, 2^-25 below 2^-14)', () => {
    const rnd = seededRandom(20261202);
    for (let i = 0; i < 20000; i++) {
      const v = Math.fround((rnd() * 2 - 1) * 2 ** (Math.floor(rnd() * 40) - 26));
      const e = Math.abs(halfValue(halfBits(v)) - v);
      expect(e).toBeLessThanOrEqual(Math.max(Math.abs(v) * 2 ** -11, 2 ** -25));
    }
  });

  it('pads to whole 4-byte words', () => {
    expect(toHalf(new Float32Array([1, 2, 3])).length).toBe(4);
  });
});

describe('the f16 precisions need shader-f16', () => {
  it('a device without shader-f16 is UNSUPPORTED_PRECISION (SwiftShader, Dawn on the H200)', async () => {
    const device = { features: new Set<string>(['timestamp-query']) } as unknown as GPUDevice;
    for (const precision of ['f16-storage', 'f16'] as const) {
      const e = await createWebGpuBackend({ device, precision }).catch((x) => x);
      expect(isConvrouteError(e, 'UNSUPPORTED_PRECISION')).toBe(true);
      expect(e.message).toMatch(/precision = "f16.*lacks the 'shader-f16' feature/);
    }
  });

  it('a precision that is not one is INVALID_ARGUMENT', async () => {
    const device = { features: new Set<string>(['shader-f16']) } as unknown as GPUDevice;
    await expect(createWebGpuBackend({ device, precision: 'f8' as never })).rejects.toThrow(
      /INVALID_ARGUMENT: precision = "f8": precision is one of f32, f16-storage, f16/,
    );
  });
});
