import type { ExactAccumulator } from './accumulator.ts';
import { certifiedFastPathEnabled } from './certify.ts';
import { HALF_ULP_AT_MAX, isEven32, nextDown32, nextUp32 } from './float32-bits.ts';

/**
 * Means for exact mode (average pool, global average pool, reducemean): the exact sum divided by
 * the count d, rounded once to float32 (ties to even), R(S / d). Zero results are +0, specials
 * follow the sum's (NaN, or the infinity: inf / d = inf).
 */

/** R(S / d) for the accumulator's exact sum S and an integer divisor 1 <= d < 2^53. */
export function roundQuotient(acc: ExactAccumulator, d: number): number {
  if (acc.hasSpecial()) return acc.round();
  // approx() is within a relative 2^-52 of S, so c starts within an ulp of the answer; the loop
  // only trusts exact comparisons of S with d * (float32 midpoint), so it is right from any start.
  let c = Math.fround(acc.approx() / d);
  for (;;) {
    const up = nextUp32(c);
    const mUp = up === Number.POSITIVE_INFINITY ? c + HALF_ULP_AT_MAX : (c + up) / 2;
    const sUp = acc.signMinusProduct(d, mUp);
    if (sUp > 0) {
      if (up === Number.POSITIVE_INFINITY) return up;
      c = up;
      continue;
    }
    if (sUp === 0) return (isEven32(c) ? c : up) + 0;
    const dn = nextDown32(c);
    const mDn = dn === Number.NEGATIVE_INFINITY ? c - HALF_ULP_AT_MAX : (c + dn) / 2;
    const sDn = acc.signMinusProduct(d, mDn);
    if (sDn < 0) {
      if (dn === Number.NEGATIVE_INFINITY) return dn;
      c = dn;
      continue;
    }
    if (sDn === 0) return (isEven32(c) ? c : dn) + 0;
    return c + 0;
  }
}

/**
 * The certified fast path for a mean: s is a float64 sum of n float32 terms (any order) and t the
 * float64 sum of their magnitudes. |s - S| <= gamma(n-1) t <= B/2 with B = n 2^-52 t, and the
 * division s / d errs by 2^-53 relatively, so S / d lies within E = 2B/d + 2^-50 |q| of q = s / d,
 * with slack for the roundings of q - E and q + E. When both ends round to one float32, that is
 * R(S / d); otherwise undefined, and the caller computes the element with roundQuotient.
 */
export function certifiedMean(s: number, t: number, n: number, d: number): number | undefined {
  if (!certifiedFastPathEnabled() || s - s !== 0) return undefined;
  const q = s / d;
  const e = (2 * Math.max(n, 1) * 2 ** -52 * t) / d + 2 ** -50 * Math.abs(q);
  const lo = Math.fround(q - e);
  return lo === Math.fround(q + e) ? lo + 0 : undefined;
}
