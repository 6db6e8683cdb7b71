// High-precision oracles for the non-sum ops (independent of src/): exact rationals as BigInt
// fractions, and exp in 320-bit fixed point. Why 320 bits suffice: every value below is computed
// with an absolute error of a few units of 2^-320 on quantities >= 2^-220 relatively scaled, i.e. a
// relative error below 2^-90, while the tests compare against bounds of 2^-53 relatively or more.
import { decompose } from './oracle.ts';

export type Ratio = [bigint, bigint]; // numerator, positive denominator

/** A finite float64 as an exact fraction. */
export function ratioOf(v: number): Ratio {
  const [m, e] = decompose(v);
  return e >= 0 ? [m << BigInt(e), 1n] : [m, 1n << BigInt(-e)];
}

export const add = ([a, b]: Ratio, [c, d]: Ratio): Ratio => [a * d + c * b, b * d];
export const mul = ([a, b]: Ratio, [c, d]: Ratio): Ratio => [a * c, b * d];
export function div([a, b]: Ratio, [c, d]: Ratio): Ratio {
  if (c === 0n) throw new Error('oracle: division by zero');
  return c < 0n ? [-a * d, -c * b] : [a * d, c * b];
}

/** The float32 nearest a fraction, ties to even (overflow to infinity, zero as +0). */
export function roundRatio32([n, d]: Ratio): number {
  if (n === 0n) return 0;
  const neg = n < 0n;
  const a = neg ? -n : n;
  // the exponent of the leading bit of a / d
  let lead = a.toString(2).length - d.toString(2).length;
  // a / d >= 2^lead, or one less
  if (lead >= 0 ? a < d << BigInt(lead) : a << BigInt(-lead) < d) lead--;
  const qe = Math.max(lead - 23, -149);
  // q = a / d / 2^qe, split into integer part and remainder
  const num = qe >= 0 ? a : a << BigInt(-qe);
  const den = qe >= 0 ? d << BigInt(qe) : d;
  let q = num / den;
  const r2 = 2n * (num - q * den);
  if (r2 > den || (r2 === den && (q & 1n) === 1n)) q += 1n;
  const v = Number(q) * 2 ** qe;
  const mag = v >= 2 ** 128 ? Number.POSITIVE_INFINITY : v;
  return neg ? -mag : mag;
}

/** (y - r) in units of ulp32(y) (the float32 spacing at y), as a float64 (y finite float32). */
export function ulpError(y: number, [n, d]: Ratio): number {
  const ay = Math.abs(y) || 2 ** -149;
  const ulpExp = Math.max(Math.floor(Math.log2(ay)) - 23, -149);
  const [yn, yd] = ratioOf(y);
  // (y - n/d) / 2^ulpExp = (yn*d - n*yd) / (yd*d*2^ulpExp)
  const top = yn * d - n * yd;
  const bottom = ulpExp >= 0 ? (yd * d) << BigInt(ulpExp) : yd * d;
  const scaledTop = ulpExp >= 0 ? top : top << BigInt(-ulpExp);
  return Number((scaledTop << 64n) / bottom) / 2 ** 64;
}

const F = 320n;
const ONE = 1n << F;

/** exp(x) * 2^320 for x >= 0 (x a float64 <= 200), by x = r * 2^16, a Taylor series in r, and 16
 * squarings. */
function expFixed(x: number): bigint {
  if (x < 0 || x > 200) throw new Error('oracle: expFixed needs 0 <= x <= 200');
  const [m, e] = decompose(x);
  // r = x / 2^16 in fixed point (exact: float64 exponents >= -1074 are not needed for x >= 2^-200)
  const shift = BigInt(e) + F - 16n;
  const r = shift >= 0n ? m << shift : m >> -shift;
  let term = ONE;
  let sum = ONE;
  for (let k = 1n; term !== 0n; k++) {
    term = (term * r) / (ONE * k);
    sum += term;
  }
  for (let i = 0; i < 16; i++) sum = (sum * sum) >> F;
  return sum;
}

/** sigmoid(x) = 1 / (1 + e^-x) as a fraction. */
export function sigmoidRatio(x: number): Ratio {
  if (x >= 0) {
    const ex = expFixed(x);
    return [ex, ex + ONE];
  }
  return [ONE, ONE + expFixed(-x)];
}

/** softmax of `xs` (finite) at index i, as a fraction: 1 / (e^(max - x_i) * sum_j e^(x_j - max)). */
export function softmaxRatio(xs: readonly number[], i: number): Ratio {
  const max = Math.max(...xs);
  // e^(x_j - max) = ONE^2 / expFixed(max - x_j) in fixed point; max - x_j is exact in float64 for
  // float32 values within 2^29 of each other (the tests' range)
  const sum = xs.reduce((s, x) => s + (ONE * ONE) / expFixed(max - x), 0n);
  return [ONE * ONE, expFixed(max - xs[i]) * sum];
}
