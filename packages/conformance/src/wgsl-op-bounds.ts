import { gamma, MIN_NORMAL, sameValue, U } from './error-model.ts';

/**
 * Per-element bounds of the WebGPU kernels for issue 13's ops against the CPU exact result
 * (docs/webgpu-op-bounds.md). They rest on WGSL's accuracy rules
 * (WGSL spec, "Floating Point Accuracy"): +, -, *, min/max/select are correctly rounded; x / y is
 * within 2.5 ulp for |y| in [2^-126, 2^126]; exp(x) within 3 + 2|x| ulp; inverseSqrt within 2 ulp
 * and sqrt as 1 / inverseSqrt; and an implementation may flush subnormal operands and results to
 * zero (lavapipe does). Each bound is the kernel's distance to the real result plus the
 * reference's own distance to it (`refUlps` ulps; 0.5 for a correctly rounded reference).
 */

/** One ulp of float32 at |x| (2^-149 below the normal range). */
function ulp32(x: number): number {
  const a = Math.abs(x);
  if (!(a >= MIN_NORMAL)) return 2 ** -149;
  if (!Number.isFinite(a)) return Number.POSITIVE_INFINITY;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  return 2 ** (e - 23);
}

/** Relative size of one ulp (2^-23): bounds below scale it by |value|. */
const ULP_REL = 2 ** -23;
/** First-order bounds below are inflated by this to cover the second-order terms. */
const SLACK = 1 + 2 ** -10;
/** A subnormal flushed to zero moves a value by less than this. */
const FLUSH = MIN_NORMAL;

const subnormal = (v: number) => v !== 0 && Math.abs(v) < MIN_NORMAL;

/** The reference's own distance to the real result. */
const refError = (ref: number, refUlps: number) => refUlps * ulp32(ref) * SLACK;

/** add, sub, mul (correctly rounded in WGSL): bitwise, unless a subnormal operand or result may
 * have been flushed: then |a| or |b| (add/sub), or 2^-126 times the other operand (mul). */
export function binaryBound(op: 'add' | 'sub' | 'mul' | 'div', a: number, b: number, ref: number): number {
  const flush = subnormal(a) || subnormal(b) || subnormal(ref);
  if (op === 'div') {
    const ab = Math.abs(b);
    if (!(ab >= MIN_NORMAL)) return Number.POSITIVE_INFINITY; // WGSL bounds no subnormal divisor
    // 2.5 ulp (the kernel scales |b| > 2^126 into range) + the reference's half ulp.
    const base = 3 * ulp32(ref) * SLACK;
    return base + (flush ? FLUSH * (1 + 1 / ab) : 0);
  }
  if (!flush) return 0;
  if (op === 'mul') return FLUSH * Math.max(1, Math.abs(a), Math.abs(b));
  return FLUSH;
}

/** relu, leakyrelu, clip: copies or one correctly rounded product; a flushed subnormal only. */
export function pieceLinearBound(x: number, ref: number): number {
  return subnormal(x) || subnormal(ref) ? FLUSH * Math.max(1, Math.abs(x)) : 0;
}

/** sigmoid as the kernel computes it: e = exp(-|x|) (3 + 2|x| ulp), 1 / (1 + e) (one rounding, a
 * 2.5-ulp division) and, for x < 0, e * that: within (1.5 E + 3.5 ulp) relative of sigma(x),
 * E = (3 + 2|x|) 2^-23; e below the normal range may flush (absolute 2^-125). */
export function sigmoidBound(x: number, ref: number, refUlps: number): number {
  if (!Number.isFinite(x)) return 0; // exp(-inf) = 0 exactly: sigmoid(+-inf) is 1 or 0, bitwise
  const e = (3 + 2 * Math.abs(x)) * ULP_REL;
  return (1.5 * e + 3.5 * ULP_REL) * Math.abs(ref) * SLACK * SLACK + refError(ref, refUlps) + 2 * FLUSH;
}

/** hardsigmoid: alpha * x + beta rounded once or twice (fused or not), clamped (1-Lipschitz). */
export function hardsigmoidBound(x: number, alpha: number, beta: number, ref: number, refUlps: number): number {
  if (!Number.isFinite(x)) return 0; // an infinite x saturates (or is NaN): bitwise
  const ax = Math.abs(alpha * x);
  return U * (ax + Math.abs(alpha * x + beta)) * SLACK + refError(ref, refUlps) + FLUSH * Math.max(1, Math.abs(alpha));
}

/** hardswish: 0 at and below -3, x at and above 3 (exact), else x * (x / 6 + 0.5): the
 * division (2.5 ulp), the sum and the product each rounded. */
export function hardswishBound(x: number, ref: number, refUlps: number): number {
  if (!Number.isFinite(x)) return 0; // +inf and -inf take the exact branches: bitwise
  const ax = Math.abs(x);
  const h = 2.5 * ULP_REL * (ax / 6) + U * (ax / 6 + 0.5);
  return (ax * h + U * Math.abs(ref)) * SLACK + refError(ref, refUlps) + FLUSH * Math.max(1, ax);
}

/**
 * batchnormalization, y = (x - mean) / sqrt(var + eps) * scale + bias evaluated in float32: the
 * quotient q = (x - mean) / sqrt(var + eps) is within 7.75 ulp relative (x - mean and var + eps
 * rounded, sqrt 4.5 ulp, the division 2.5), the product and sum each rounded: |y - y_real| <=
 * 8.25 ulp |q * scale| + u |y|. `qs` = |q * scale| (float64), `ref` the reference.
 */
export function batchnormBound(qs: number, ref: number, refUlps: number, refQsUlps: number): number {
  return (8.25 + refQsUlps) * ULP_REL * qs * SLACK + U * Math.abs(ref) * SLACK + refError(ref, refUlps) + FLUSH * (1 + qs);
}

/**
 * softmax along a row: y_i = exp(d_i) / S, d_i = x_i - max rounded (relative u), exp within
 * E_i = (3 + 2|d_i|) ulp, S summed in float32 in any order (gamma(L)), one 2.5-ulp division:
 * relative to y_i, e_i + max_j e_j + gamma(L) + 2.5 ulp with e_i = E_i + u|d_i|. Terms below
 * the normal range may flush (absolute 2^-125 on y_i, which S >= 1 keeps below that).
 */
export function softmaxRowBounds(x: ArrayLike<number>, ref: ArrayLike<number>, refUlps: number): Float64Array {
  const n = x.length;
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) m = Math.max(m, x[i]);
  // A NaN or +inf makes the row NaN, and a -inf term is exactly 0: those are bitwise (bound 0).
  if (!Number.isFinite(m)) return new Float64Array(n);
  const e = Float64Array.from({ length: n }, (_, i) => {
    const d = Math.abs(x[i] - m);
    return Number.isFinite(d) ? (3 + 2 * d) * ULP_REL + U * d : 0;
  });
  const eMax = e.reduce((a, b) => Math.max(a, b), 0);
  const common = eMax + gamma(Math.max(1, n)) + 2.5 * ULP_REL;
  return Float64Array.from({ length: n }, (_, i) =>
    Number.isFinite(x[i]) ? (e[i] + common) * Math.abs(ref[i]) * SLACK * SLACK + refError(ref[i], refUlps) + 2 * FLUSH : 0,
  );
}

/** ONNX Gemm with alpha, beta or a broadcast bias: the plain GEMM (reordering bound gamma(k) A on
 * the sum), then alpha * sum and beta * c each rounded and their sum rounded (activation after,
 * 1-Lipschitz), against R(alpha * sum + beta * c): |alpha| gamma(k) A + u (|alpha s| + |beta c|)
 * + u |y| for the kernel, half an ulp for the reference. */
export function scaledGemmBound(k: number, absSum: number, alpha: number, betaC: number, ref: number): number {
  const aa = Math.abs(alpha);
  const s = absSum * aa;
  return (aa * gamma(Math.max(1, k)) * absSum + U * (s + Math.abs(betaC)) + U * Math.abs(ref)) * SLACK + refError(ref, 0.5) + (k + 2) * FLUSH * Math.max(1, aa);
}

export interface ElementwiseReport {
  ok: boolean;
  failures: number;
  maxRatio: number;
  message: string;
}

/** Compares element by element against per-element bounds: a NaN or infinite reference must be
 * reproduced exactly; else |actual - reference| <= bound (a bound of 0 means bitwise). */
export function compareWithElementBounds(
  actual: ArrayLike<number>,
  reference: ArrayLike<number>,
  bound: (i: number) => number,
  label: string,
): ElementwiseReport {
  if (actual.length !== reference.length) {
    return {
      ok: false,
      failures: reference.length,
      maxRatio: Number.POSITIVE_INFINITY,
      message: `${label}: ${actual.length} elements, reference ${reference.length}`,
    };
  }
  let failures = 0;
  let maxRatio = 0;
  let first = '';
  for (let i = 0; i < reference.length; i++) {
    const a = actual[i];
    const r = reference[i];
    const b = bound(i);
    let ok: boolean;
    let ratio = 0;
    if (!Number.isFinite(r) || b === 0) ok = sameValue(a, r);
    else {
      const err = Math.abs(a - r);
      ok = err <= b;
      ratio = Number.isNaN(err) ? Number.POSITIVE_INFINITY : err / b;
    }
    if (ok && Number.isFinite(ratio)) maxRatio = Math.max(maxRatio, ratio);
    if (!ok) {
      failures++;
      if (!first) first = `element ${i}: got ${a}, reference ${r}, bound ${b}`;
    }
  }
  const message = failures
    ? `${label}: ${failures}/${reference.length} elements outside the bound; first ${first}`
    : `${label}: ok (max error/bound ${maxRatio.toFixed(3)})`;
  return { ok: failures === 0, failures, maxRatio, message };
}
