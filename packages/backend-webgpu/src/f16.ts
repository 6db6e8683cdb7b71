import type { Precision } from '@convroute/core';

// IEEE binary16 conversion for uploads (Node 20 has no Float16Array): round to nearest, ties to
// even, as WGSL's f32 -> f16 conversion and the error model's u = 2^-11 assume.
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The binary16 bits nearest the float32 `v` (ties to even; overflow to +-Infinity; NaN kept). */
export function halfBits(v: number): number {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 | (mant >>> 13) : 0);
  const e = exp - 112; // the binary16 biased exponent
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    // A subnormal half (or zero): m * 2^-24, from the 24-bit significand shifted right.
    if (e < -10) return sign;
    const full = mant | 0x800000;
    const shift = 14 - e;
    return sign | roundShift(full, shift);
  }
  // A carry out of the significand moves into the exponent (up to 0x7c00, Infinity): correct.
  return sign | ((e << 10) + roundShift(mant, 13));
}

/** `m >> s` rounded to nearest, ties to even. */
function roundShift(m: number, s: number): number {
  const h = m >>> s;
  const rem = m & ((1 << s) - 1);
  const half = 1 << (s - 1);
  return rem > half || (rem === half && (h & 1) === 1) ? h + 1 : h;
}

/** The value of binary16 bits `h`. */
export function halfValue(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0x1f) return m ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (e === 0 ? m * 2 ** -24 : (1 + m / 1024) * 2 ** (e - 15));
}

/** The data as binary16, padded to an even count (storage buffers are whole 4-byte words). */
export function toHalf(data: Float32Array): Uint16Array {
  const out = new Uint16Array(data.length + (data.length % 2));
  for (let i = 0; i < data.length; i++) out[i] = halfBits(data[i]);
  return out;
}

/** The WGSL types a kernel of `precision` uses: `st` its stored operands (input, weights, bias,
 * scratch), `at` its products and sums; the output buffer is always f32. */
export interface KernelTypes {
  precision: Precision;
  st: 'f32' | 'f16';
  at: 'f32' | 'f16';
  /** `enable f16;` where the kernel names f16. */
  enable: string[];
  /** A stored value as the arithmetic type. */
  load(e: string): string;
  /** An arithmetic value as the f32 output. */
  out(e: string): string;
  /** The pipeline-key suffix: empty for f32, so f32 keys (and snapshots) are unchanged. */
  key: string;
}

export function kernelTypes(precision: Precision = 'f32'): KernelTypes {
  const st = precision === 'f32' ? 'f32' : 'f16';
  const at = precision === 'f16' ? 'f16' : 'f32';
  return {
    precision,
    st,
    at,
    enable: st === 'f16' ? ['enable f16;'] : [],
    load: (e) => (st === at ? e : `${at}(${e})`),
    out: (e) => (at === 'f32' ? e : `f32(${e})`),
    key: precision === 'f32' ? '' : `:p-${precision}`,
  };
}
