import type { ErrorModelName } from '@convroute/core';

/**
 * The per-element error bound of docs/error-model.md: for any float32 summation of the same
 * n terms (products and bias), in any order, with or without FMA,
 *   |y_impl - y_exact| <= gamma(n) * A + u * |y_exact| + n * 2^-126,
 *   u = 2^-24, gamma(n) = n u / (1 - n u), A = |b| + sum |w x|
 * (Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed., Lemma 3.1 and eq. 3.5).
 * The u * |y| term covers the reference's own rounding: the reference is R(s), not s, and
 * |s| <= |R(s)| / (1 - u). Activations (relu, clamp to float32 bounds) are monotone and
 * 1-Lipschitz and fix R(s)'s side, so the bound holds on activated values too.
 */
export const U = 2 ** -24;
export const MIN_NORMAL = 2 ** -126;
/** Reals at or above this magnitude round to infinity in float32 (FLT_MAX + half an ulp). */
export const OVERFLOW_THRESHOLD = 2 ** 128 - 2 ** 103;

/** Each float64 operation below is off by at most 2^-53 relatively; fewer than 16 of them, so
 * inflating the result by 2^-48 rounds the whole computation outward. */
const OUTWARD = 1 + 2 ** -48;

export function gamma(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`gamma(n): n must be a positive integer, got ${n}`);
  if (n * U >= 1) return Number.POSITIVE_INFINITY;
  return ((n * U) / (1 - n * U)) * OUTWARD;
}

/** The bound for one element; Infinity when partial sums may overflow float32, where the model
 * says nothing (A * (1 + gamma) reaches the overflow threshold). */
export function errorBound(n: number, absSum: number, reference: number): number {
  if (!(absSum >= 0)) return Number.POSITIVE_INFINITY; // NaN or infinite A
  const g = gamma(n);
  if (absSum * (1 + g) * OUTWARD >= OVERFLOW_THRESHOLD) return Number.POSITIVE_INFINITY;
  const b = g * absSum + (U * Math.abs(reference)) / (1 - U) + n * MIN_NORMAL;
  return b * OUTWARD;
}

/** Bitwise agreement as docs/error-model.md defines it: NaN equals NaN, -0 equals +0. */
export function sameValue(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/**
 * How conformance judges one method's output against the exact reference. Each method's
 * descriptor in core names its model (`errorModel`); a method that does not compute the same
 * n-term sum in another order (Winograd, fp16 storage, fused chains) names its own.
 */
export interface ErrorModel {
  /** A method's model (core's ErrorModelName) or a precision's (f16-error-model.ts). */
  readonly name: ErrorModelName | 'f16-storage' | 'f16';
  /** Bitwise agreement (sameValue) instead of a bound. */
  readonly bitwise: boolean;
  /** The bound on |y_impl - y_exact| for one element: n summed terms, A, the reference. */
  bound(n: number, absSum: number, reference: number): number;
  /** Its roundings are not all of sums (Winograd's fl32(1/6)), so small-integer data does not
   * make it exact: judged by its bound there too, unless the backend is exact (options.bitwise). */
  readonly inexactOnSmallIntegers?: boolean;
  /** Its bound is not a function of (n, A, reference) but of the conv's inputs (Winograd's):
   * conv2d-bounds.ts computes every element's, and `bound` throws. */
  readonly perElement?: boolean;
  /** Whether the element may overflow to +-Infinity in the method's arithmetic (fp16): then
   * its value is reported as an overflow, an outcome of its own, and not judged by the bound. */
  overflows?(n: number, absSum: number, reference: number): boolean;
  /** With non-finite inputs, an infinite reference may come out NaN (fp16: infinity times a
   * weight that became 0); a NaN reference must still be NaN. */
  readonly infinityMayBeNaN?: boolean;
}

export const ERROR_MODELS: Readonly<Record<ErrorModelName, ErrorModel>> = Object.freeze({
  reordering: { name: 'reordering', bitwise: false, bound: errorBound },
  'correctly-rounded': { name: 'correctly-rounded', bitwise: true, bound: () => 0 },
  winograd: {
    name: 'winograd',
    bitwise: false,
    inexactOnSmallIntegers: true,
    perElement: true,
    bound() {
      throw new Error('the winograd bound needs the inputs: use conv2dBounds (docs/winograd-bound.md)');
    },
  },
});

/** The default: the reordering bound above. */
export const REORDERING: ErrorModel = ERROR_MODELS.reordering;
