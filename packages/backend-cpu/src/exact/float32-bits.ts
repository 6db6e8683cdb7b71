// Bit-level float32 neighbours, used to round exact sums and to round bounds upward.
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Largest finite float32, 2^128 - 2^104. */
export const MAX_FLOAT32 = 3.4028234663852886e38;
/** Half the spacing just below 2^128: |x| >= MAX_FLOAT32 + 2^103 rounds to infinity. */
export const HALF_ULP_AT_MAX = 2 ** 103;

/** The next float32 above a float32 value c (finite, or -Infinity is not accepted): MAX -> +Infinity. */
export function nextUp32(c: number): number {
  if (c === 0) return 2 ** -149;
  f32[0] = c;
  if (c > 0) u32[0] = u32[0] + 1;
  else u32[0] = u32[0] - 1;
  return f32[0];
}

/** The next float32 below a float32 value c: -MAX -> -Infinity. */
export function nextDown32(c: number): number {
  return -nextUp32(-c);
}

/** Whether a float32 value's significand is even (ties-to-even picks it); infinities count as even. */
export function isEven32(c: number): boolean {
  f32[0] = c;
  return (u32[0] & 1) === 0;
}

/** The smallest float32 >= v (v a float64, possibly infinite or NaN). */
export function roundUp32(v: number): number {
  const c = Math.fround(v);
  return c < v ? nextUp32(c) : c;
}
