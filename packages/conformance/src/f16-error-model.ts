import type { Precision, Tensor } from '@convroute/core';
import { type ErrorModel, MIN_NORMAL, U } from './error-model.ts';

/**
 * The fp16 bounds of docs/error-model.md ("fp16"). Both f16 precisions store the input, weights
 * and bias as binary16 (round to nearest); `f16-storage` then multiplies and sums in float32,
 * `f16` in binary16. Per output element, with A = |b| + sum |w x| over the n terms (products and
 * bias) and X, W the largest finite input and weight magnitudes:
 *   rounding the operands:  E_in = (2 u16 + u16^2) A + n tau,  tau = eta (1 + u16)(W + X) + eta + eta^2
 *   the sum (on operands of magnitude sum <= A + E_in):
 *     f16-storage: gamma32(n) (A + E_in) + n 2^-126      f16: gamma16(n) (A + E_in) + 2 n eta (1 + gamma16(n))
 *   plus the reference's own rounding u32 |y| / (1 - u32).
 * u16 = 2^-11; eta = 2^-14, f16's smallest normal, bounds the absolute error of a value or an
 * operation in f16's subnormal range whether it rounds (2^-25) or is flushed to zero (< 2^-14).
 * Where a value may reach 65520 (65504 + half an ulp) it becomes +-Infinity in f16: the model
 * reports overflow there (`overflows`), an outcome of its own, not a bound.
 */
export const U16 = 2 ** -11;
export const F16_MIN_NORMAL = 2 ** -14;
/** Reals at or above this magnitude round to infinity in binary16 (65504 + 16). */
export const F16_OVERFLOW_THRESHOLD = 65520;
const OUTWARD = 1 + 2 ** -48;

export type F16Precision = Exclude<Precision, 'f32'>;

/** The largest finite magnitudes of a conv's operands (NaN and infinities propagate as such). */
export interface F16Operands {
  maxAbsInput: number;
  maxAbsWeight: number;
  maxAbsBias: number;
}

function maxFiniteAbs(t: Tensor | undefined): number {
  let m = 0;
  if (t) for (const v of t.data) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m;
}

export function f16Operands(inputs: readonly Tensor[]): F16Operands {
  return { maxAbsInput: maxFiniteAbs(inputs[0]), maxAbsWeight: maxFiniteAbs(inputs[1]), maxAbsBias: maxFiniteAbs(inputs[2]) };
}

function gammaOf(n: number, u: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`gamma(n): n must be a positive integer, got ${n}`);
  return n * u >= 1 ? Number.POSITIVE_INFINITY : ((n * u) / (1 - n * u)) * OUTWARD;
}

/** The f16 model for one conv's operands; `n` and A as in the reordering model. */
export function f16ErrorModel(precision: F16Precision, ops: F16Operands): ErrorModel {
  const eta = F16_MIN_NORMAL;
  const tau = (eta * (1 + U16) * (ops.maxAbsWeight + ops.maxAbsInput) + eta + eta * eta) * OUTWARD;
  const inputOverflow = Math.max(ops.maxAbsInput, ops.maxAbsWeight, ops.maxAbsBias) >= F16_OVERFLOW_THRESHOLD;
  // A bound on every |operand| summed, after rounding to f16.
  const rounded = (n: number, absSum: number) => {
    const eIn = (2 * U16 + U16 * U16) * absSum + n * tau;
    return { eIn, total: (absSum + eIn) * OUTWARD };
  };
  const overflows = (n: number, absSum: number): boolean => {
    if (inputOverflow) return true;
    if (precision === 'f16-storage') return false;
    const g = gammaOf(n, U16);
    return !(rounded(n, absSum).total * (1 + g) * OUTWARD < F16_OVERFLOW_THRESHOLD);
  };
  return {
    name: precision,
    bitwise: false,
    // A term of infinity times a weight below f16's range (0 in f16) is NaN, not the reference's
    // infinity.
    infinityMayBeNaN: true,
    overflows,
    bound(n, absSum, reference) {
      if (!(absSum >= 0)) return Number.POSITIVE_INFINITY;
      const { eIn, total } = rounded(n, absSum);
      // An underflow's absolute error is scaled by at most (1 + gamma16) by the roundings after it.
      const g16 = gammaOf(n, U16);
      const sum = precision === 'f16' ? g16 * total + 2 * n * eta * (1 + g16) : gammaOf(n, U) * total + n * MIN_NORMAL;
      return (eIn + sum + (U * Math.abs(reference)) / (1 - U)) * OUTWARD;
    },
  };
}
