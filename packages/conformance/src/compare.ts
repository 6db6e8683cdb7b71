import type { Tensor } from '@convroute/core';
import { type ErrorModel, REORDERING, sameValue } from './error-model.ts';

export interface ElementReport {
  /** flat row-major index */
  index: number;
  /** multi-index in the output shape, when known */
  position: number[];
  actual: number;
  reference: number;
  error: number;
  bound: number;
  /** error / bound (Infinity for a special-value mismatch) */
  ratio: number;
}

export interface ComparisonReport {
  ok: boolean;
  mode: 'bound' | 'bitwise';
  elements: number;
  failures: number;
  /** Elements where partial sums may overflow, so the model bounds nothing (finite inputs only). */
  unbounded: number;
  /** Elements the model says may overflow its arithmetic (fp16: a value or partial sum may
   * reach 65520), not judged by the bound; `overflowInfinite` of them came out +-Infinity. */
  overflow: number;
  overflowInfinite: number;
  /** Largest error / bound among bounded elements (0 when all are equal). */
  maxRatio: number;
  /** The worst element: a failing one when any fails, else the one with the largest ratio. */
  worst?: ElementReport;
  message: string;
}

export interface CompareOptions {
  /** Output shape, to report positions as [n, c, h, w]. */
  shape?: readonly number[];
  /** Require bitwise equality (NaN = NaN, -0 = +0) instead of the bound. */
  bitwise?: boolean;
  /** The error model the method declares (its descriptor's `errorModel`); default the
   * reordering bound. A bitwise model makes the comparison bitwise. */
  model?: ErrorModel;
  /** Whether every input was finite: then an infinite reference is an overflow, which the
   * bound does not cover; with non-finite inputs infinities must match exactly. Default true. */
  inputsFinite?: boolean;
  /** Per-element bounds computed from the inputs (conv2dBounds, for a `perElement` model): used
   * instead of model.bound(n, A, reference). */
  bounds?: ArrayLike<number>;
  /** What was compared, for the message, e.g. "webgpu conv2d direct". */
  label?: string;
  /** How the message names the bound when it is not a model's n-term bound, e.g. "softmax bound". */
  boundName?: string;
}

type Data = Float32Array | Tensor;
const dataOf = (d: Data): Float32Array => (d instanceof Float32Array ? d : d.data);

function positionOf(index: number, shape: readonly number[] | undefined): number[] {
  if (!shape) return [index];
  const pos = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    pos[d] = index % shape[d];
    index = Math.floor(index / shape[d]);
  }
  return pos;
}

/** float32 values printed with 9 significant digits, enough to identify them exactly. */
function fmt(v: number): string {
  return Number.isFinite(v) && v !== 0 ? v.toPrecision(9).replace(/\.?0+(e|$)/, '$1') : Object.is(v, -0) ? '-0' : String(v);
}
const fmtShort = (v: number): string => (Number.isFinite(v) && v !== 0 ? v.toPrecision(3) : String(v));

/**
 * Compares an implementation's output with the exact reference element by element, under the
 * error model (`absSum` is the reference's A, `n` the number of summed terms) or bitwise, and
 * reports the worst element in a message a person can act on.
 */
export function compareWithBound(actual: Data, reference: Data, absSum: Data | undefined, n: number, options: CompareOptions = {}): ComparisonReport {
  const act = dataOf(actual);
  const ref = dataOf(reference);
  const abs = absSum === undefined ? undefined : dataOf(absSum);
  const label = options.label ?? 'output';
  const model = options.model ?? REORDERING;
  const bitwise = !!options.bitwise || model.bitwise;
  if (act.length !== ref.length) {
    const message = `${label}: ${act.length} elements, the reference has ${ref.length}`;
    return {
      ok: false,
      mode: bitwise ? 'bitwise' : 'bound',
      elements: ref.length,
      failures: ref.length,
      unbounded: 0,
      overflow: 0,
      overflowInfinite: 0,
      maxRatio: Infinity,
      message,
    };
  }
  const bounds = options.bounds;
  if (bounds && bounds.length !== ref.length) throw new Error(`compareWithBound: ${bounds.length} bounds for ${ref.length} elements`);
  if (!bitwise && !abs && !bounds) throw new Error('compareWithBound: the bound needs A (absSum) unless bitwise');
  const inputsFinite = options.inputsFinite ?? true;
  let failures = 0;
  let unbounded = 0;
  let overflow = 0;
  let overflowInfinite = 0;
  let maxRatio = 0;
  let worst: ElementReport | undefined;
  let worstFails = false;
  for (let i = 0; i < ref.length; i++) {
    const a = act[i];
    const r = ref[i];
    // A model that bounds from the inputs (perElement) has no formula to report with in a
    // bitwise comparison.
    const bound = bounds ? bounds[i] : abs && !(bitwise && model.perElement) ? model.bound(n, abs[i], r) : 0;
    const error = Math.abs(a - r);
    let ok: boolean;
    let ratio: number;
    if (bitwise) {
      ok = sameValue(a, r);
      ratio = ok ? 0 : Number.isNaN(error) ? Infinity : error / bound;
    } else if (Number.isNaN(r) || (!Number.isFinite(r) && !inputsFinite)) {
      // a NaN or infinity of the exact sum must be reproduced
      ok = sameValue(a, r) || (model.infinityMayBeNaN === true && !Number.isNaN(r) && Number.isNaN(a));
      ratio = ok ? 0 : Infinity;
    } else if (abs && model.overflows?.(n, abs[i], r)) {
      ok = true; // an outcome of its own: counted and reported, not judged by the bound
      ratio = 0;
      overflow++;
      if (a === Number.POSITIVE_INFINITY || a === Number.NEGATIVE_INFINITY) overflowInfinite++;
    } else if (bound === Infinity || !Number.isFinite(r)) {
      ok = true; // overflow territory: the model bounds nothing
      ratio = 0;
      unbounded++;
    } else {
      ok = error <= bound; // NaN actual: comparison is false
      ratio = Number.isNaN(error) ? Infinity : error / bound;
    }
    if (ok && ratio > maxRatio && Number.isFinite(ratio)) maxRatio = ratio;
    if (!ok) failures++;
    const better = !worst || (!ok && !worstFails) || (ok === !worstFails && ratio > worst.ratio);
    if (better) {
      worst = { index: i, position: [], actual: a, reference: r, error, bound, ratio };
      worstFails = !ok;
    }
  }
  if (worst) worst.position = positionOf(worst.index, options.shape);
  const mode = bitwise ? 'bitwise' : 'bound';
  const where = worst ? `[${worst.position.join(', ')}]${options.shape ? ` (flat ${worst.index})` : ''}` : '';
  const detail = worst
    ? `got ${fmt(worst.actual)}, reference ${fmt(worst.reference)}, error ${fmtShort(worst.error)}, bound ${fmtShort(worst.bound)}, ratio ${fmtShort(worst.ratio)}`
    : '';
  const why = model === REORDERING ? 'bitwise required' : `bitwise required by error model ${model.name}`;
  const boundName = options.boundName ?? `${model === REORDERING ? 'error' : model.name} bound (n = ${n} terms)`;
  const what = mode === 'bitwise' ? `differ from the exact reference (${why})` : `exceed the ${boundName}`;
  const message =
    failures > 0
      ? `${label}: ${failures} of ${ref.length} elements ${what}; worst at ${where}: ${detail}`
      : `${label}: all ${ref.length} elements ${mode === 'bitwise' ? 'bitwise equal' : 'within the bound'}; max error/bound ${fmtShort(maxRatio)}${unbounded ? `; ${unbounded} in overflow range, unbounded` : ''}${overflow ? `; ${overflow} may overflow ${model.name} (${overflowInfinite} came out +-Infinity): overflow, not judged by the bound` : ''}`;
  return { ok: failures === 0, mode, elements: ref.length, failures, unbounded, overflow, overflowInfinite, maxRatio, worst, message };
}
