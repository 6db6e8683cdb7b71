import { HALF_ULP_AT_MAX, isEven32, MAX_FLOAT32, nextDown32, nextUp32 } from './float32-bits.ts';

/**
 * R((t + e) / q): the float32 nearest the exact real (t + e) / q, ties to even, for float64 t and e
 * with t + e an exact sum (e.g. Knuth's TwoSum of two exact products, |e| <= ulp(t) / 2) and q a
 * positive float64 whose significand has at most 28 bits (1, 6, 12, ...), so that q times a float32
 * midpoint (25 bits) is exact.
 *
 * Why it is right: d = t / q is within 2^-52 |v| of v = (t + e) / q (one rounding, 2^-53, plus
 * |e / t| <= 2^-53). Rounding to float32 is monotone, so R(v) = R(d) unless a float32 midpoint m
 * lies within that distance of d; then the sign of t + e - q*m decides, computed exactly: q*m is
 * exact, t - q*m is exact by Sterbenz's lemma (t and q*m agree to 2^-49 relatively), and the
 * rounded sum (t - q*m) + e has the sign of the exact one.
 */
export function roundQuotient32(t: number, e: number, q: number): number {
  const d = t / q;
  if (!Number.isFinite(d)) return Math.fround(d);
  const r = Math.fround(d);
  // d a float32 itself: v is within 2^-52 |v| of it, far from the midpoints half an ulp away.
  if (r === d) return r;
  // The float32 midpoint nearest d: between r and its neighbour on d's side (past MAX: MAX + 2^103).
  const other = d > r ? nextUp32(r) : nextDown32(r);
  const m = Number.isFinite(r) && Number.isFinite(other) ? (r + other) / 2 : Math.sign(d) * (MAX_FLOAT32 + HALF_ULP_AT_MAX);
  if (Math.abs(d - m) > 2 ** -50 * Math.abs(d)) return r;
  const s = t - q * m + e;
  const upper = Math.max(r, other);
  const lower = Math.min(r, other);
  if (s > 0) return upper;
  if (s < 0) return lower;
  // An exact tie: the even one (an infinity counts as even, as IEEE rounds MAX + 2^103 up).
  if (!Number.isFinite(upper)) return upper;
  if (!Number.isFinite(lower)) return lower;
  return isEven32(upper) ? upper : lower;
}

/** Knuth's TwoSum: [s, err] with s + err == a + b exactly (a, b finite float64). */
export function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bv = s - a;
  const av = s - bv;
  return [s, a - av + (b - bv)];
}
