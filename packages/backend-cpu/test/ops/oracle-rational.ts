// Slow BigInt oracles for the means and bilinear resize (exact rationals, one rounding). Finite
// inputs only; shares no code with src/ beyond the BigInt helpers of ../oracle.ts.
import { decompose, exactSum, roundToFloat32 } from '../oracle.ts';

type Dyadic = [bigint, number];

/** m * 2^e / d rounded to the nearest float32 (ties to even), for an integer d >= 1. */
export function roundQuotientToFloat32([m, e]: Dyadic, d: number): number {
  if (m === 0n) return 0;
  const neg = m < 0n;
  const a = neg ? -m : m;
  // 80 extra bits of quotient, then a sticky bit: far below float32's rounding position
  const k = 80 + BigInt(d).toString(2).length;
  const num = a << BigInt(k);
  const q = num / BigInt(d);
  const sticky = num % BigInt(d) === 0n ? 0n : 1n;
  const v = roundToFloat32([(q << 1n) | sticky, e - k - 1]);
  // zero results are +0 (docs/semantics.md, special values)
  return neg && v !== 0 ? -v : v;
}

/** R(sum(values) / d). */
export function oracleMean(values: readonly number[], d: number = values.length): number {
  return roundQuotientToFloat32(exactSum(values.map(decompose)), d);
}

const mul = ([ma, ea]: Dyadic, [mb, eb]: Dyadic): Dyadic => [ma * mb, ea + eb];

/** 1 - lambda as an exact dyadic. */
export function oneMinus(lambda: number): Dyadic {
  return exactSum([decompose(1), decompose(-lambda)]);
}

/** R(sum w a) for bilinear taps with real weights (1 - ly or ly) * (1 - lx or lx). */
export function oracleBilinear(ly: number, lx: number, a: [number, number, number, number]): number {
  const wy: Dyadic[] = [oneMinus(ly), decompose(ly)];
  const wx: Dyadic[] = [oneMinus(lx), decompose(lx)];
  const parts: Dyadic[] = [];
  for (let p = 0; p < 2; p++) for (let q = 0; q < 2; q++) parts.push(mul(mul(wy[p], wx[q]), decompose(a[p * 2 + q])));
  return roundToFloat32(exactSum(parts));
}
