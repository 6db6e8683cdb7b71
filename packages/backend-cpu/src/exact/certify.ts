import { roundUp32 } from './float32-bits.ts';

/**
 * The fast path of exact mode. Kernels sum the exact float64 products (a product of two float32
 * values is exact in float64) in plain float64, in whatever order suits the method, together with
 * T = sum |term|. Recursive (or any tree) float64 summation of n terms errs by at most
 * gamma_{n-1} * T with u = 2^-53 (Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed.,
 * eq. 4.4; products of float32 values never overflow or underflow float64). With the margin
 * E = n * 2^-52 * T (twice the bound, which also covers the roundings of s - E and s + E), the exact
 * sum lies in [fl(s - E), fl(s + E)]; rounding to float32 is monotone, so when both ends round to
 * the same float32 that is the correctly rounded exact sum. Otherwise (near a float32 midpoint) the
 * caller recomputes that element exactly with ExactAccumulator.
 */

let fastPathEnabled = true;

/** Tests turn the fast path off to check that the exact fallback agrees everywhere. */
export function setCertifiedFastPath(enabled: boolean): void {
  fastPathEnabled = enabled;
}

export function certifiedFastPathEnabled(): boolean {
  return fastPathEnabled;
}

/** The margin factor for n terms (bias included). */
export function certifyEpsilon(nTerms: number): number {
  return Math.max(nTerms, 1) * 2 ** -52;
}

/**
 * Rounds the float64 sums `s` (with absolute sums `t`) to float32 in `out`, using `exact(i)` for the
 * elements the bound cannot decide. Specials: a float64 sum of finite float32 products never
 * overflows, so a non-finite s already is IEEE's answer for the exact sum (NaN, or the infinity).
 * Zero results are stored as +0.
 */
export function certifyInto(
  s: Float64Array,
  t: Float64Array,
  count: number,
  nTerms: number,
  out: Float32Array,
  outOffset: number,
  exact: (i: number) => number,
): void {
  const eps = certifyEpsilon(nTerms);
  const fast = fastPathEnabled;
  for (let i = 0; i < count; i++) {
    const si = s[i];
    const e = t[i] * eps;
    const lo = Math.fround(si - e);
    if (fast && lo === Math.fround(si + e)) {
      out[outOffset + i] = lo + 0;
    } else if (si - si !== 0) {
      out[outOffset + i] = si;
    } else {
      out[outOffset + i] = exact(i);
    }
  }
}

/** A = sum |term| rounded up to float32 with a margin for float64 summation error, so the bound
 * is never underestimated (NaN and infinities pass through). */
export function roundUpAbs(t: number, nTerms: number): number {
  if (!(t < Number.POSITIVE_INFINITY)) return t;
  return roundUp32(t + t * ((nTerms + 2) * 2 ** -52));
}
