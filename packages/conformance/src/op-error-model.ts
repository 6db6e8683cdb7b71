import type { OpSpec, Tensor } from '@convroute/core';
import { broadcastIndex } from './broadcast-index.ts';
import { errorBound, gamma, MIN_NORMAL, U } from './error-model.ts';

/**
 * Per-element bounds for issue 13's arithmetic ops (docs/error-model.md, "Issue 13's ops"): the
 * largest |y_impl - y_exact| an implementation evaluating the op in float32 may show, computed
 * from the op's OWN inputs, so every node of a chain is judged against what it was given. The
 * implementations covered: CPU fast mode, and WGSL's f32 accuracy (x + y, x - y, x * y correctly
 * rounded; x / y within 2.5 ulp for |y| in [2^-126, 2^126]; exp within 3 + 2|x| ulp; sqrt and
 * inverseSqrt within 2.5 ulp), fused multiply-add allowed. ulp(y) <= 2u |y| for normal y.
 * Returns null for an op this model does not cover. `bitwise`: the op is a copy.
 */
export interface OpBounds {
  bitwise: boolean;
  /** per output element, in row-major order; Infinity where the model says nothing */
  bound: Float64Array;
}

const ARITH = [
  'add',
  'sub',
  'mul',
  'div',
  'relu',
  'clip',
  'identity',
  'leakyrelu',
  'hardsigmoid',
  'hardswish',
  'sigmoid',
  'softmax',
  'batchnormalization',
  'matmul',
];

export function isArithOp(op: OpSpec): boolean {
  return ARITH.includes(op.op);
}

/** Second-order terms of the first-order relative bounds below stay under 1% of them. */
const SLACK = 1.01;

export function opBounds(op: OpSpec, inputs: readonly Tensor[], exact: Tensor): OpBounds | null {
  const y = exact.data;
  const bound = new Float64Array(y.length);
  const x = inputs[0]?.data;
  switch (op.op) {
    case 'relu':
    case 'clip':
    case 'identity':
      return { bitwise: true, bound };
    case 'add':
    case 'sub':
    case 'mul':
    case 'leakyrelu':
      // one correctly rounded operation: equal, but for a result flushed from the subnormal range
      bound.fill(MIN_NORMAL);
      return { bitwise: false, bound };
    case 'div': {
      const b = inputs[1].data;
      const index = broadcastIndex(op.spec.b, op.spec.output);
      for (let i = 0; i < y.length; i++) {
        const d = Math.abs(b[index(i)]);
        // WGSL: 2.5 ulp when the divisor is normal and below 2^126; else nothing is promised
        bound[i] = d >= MIN_NORMAL && d <= 2 ** 126 ? 5 * U * Math.abs(y[i]) * SLACK + MIN_NORMAL : Infinity;
      }
      return { bitwise: false, bound };
    }
    case 'hardsigmoid': {
      // R(R(alpha x) + beta) against R(alpha x + beta): the reordering bound of the 2-term sum
      const { alpha, beta } = op.spec;
      for (let i = 0; i < y.length; i++) bound[i] = errorBound(3, Math.abs(alpha * x[i]) + Math.abs(beta), y[i]);
      return { bitwise: false, bound };
    }
    case 'hardswish':
      // x * clamp(x + 3, 0, 6) / 6 or x * hardsigmoid(x) with alpha = R(1/6): at most four
      // roundings relative to A = |x| (|x| + 3) / 6, the 2.5-ulp division counted as 5u: gamma(8)
      for (let i = 0; i < y.length; i++) {
        const a = Math.abs(x[i]);
        bound[i] = errorBound(8, (a * (a + 3)) / 6, y[i]) + MIN_NORMAL;
      }
      return { bitwise: false, bound };
    case 'sigmoid':
      // exp: (3 + 2|x|) ulp <= (6 + 4|x|) u relative, carried through 1 + e (factor <= 1); 1 + e: u;
      // the reciprocal or division: 5u; the reference's rounding: u
      for (let i = 0; i < y.length; i++) bound[i] = (13 + 4 * Math.abs(x[i])) * U * Math.abs(y[i]) * SLACK + 2 * MIN_NORMAL;
      return { bitwise: false, bound };
    case 'softmax':
      softmaxBounds(op.spec.input, op.spec.axis, x, y, bound);
      return { bitwise: false, bound };
    case 'batchnormalization':
      batchnormBounds(op.spec.input, op.spec.epsilon, inputs, bound);
      return { bitwise: false, bound };
    case 'matmul':
      matmulBounds(op.spec, inputs, y, bound);
      return { bitwise: false, bound };
    default:
      return null;
  }
}

/**
 * softmax, element i of a slice of n with d_j = max - x_j >= 0: each exp errs by (6 + 4 d_j) u
 * relatively (WGSL) plus u d_j from the rounded subtraction; the sum of n positive terms adds
 * gamma(n - 1) and the terms' errors weighted by e^-d_j, whose sum with d_j e^-d_j <= 1/e is at
 * most 6u + 5u (n - 1) / e relative to the sum (>= 1); the division 5u; the reference's rounding u.
 */
function softmaxBounds(shape: readonly number[], axis: number, x: Float32Array, y: Float32Array, bound: Float64Array): void {
  const len = shape[axis];
  const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const outer = shape.slice(0, axis).reduce((p, d) => p * d, 1);
  const g = len > 1 ? gamma(len - 1) : 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < len; j++) max = Math.max(max, x[base + j * inner]);
      for (let j = 0; j < len; j++) {
        const k = base + j * inner;
        const d = max - x[k];
        const rel = (6 + 5 * d + 6 + 2 * (len - 1) + 5 + 1) * U + g;
        bound[k] = Number.isFinite(d) ? rel * Math.abs(y[k]) * SLACK + 2 * len * MIN_NORMAL : Infinity;
      }
    }
  }
}

/**
 * batchnormalization: the reference (ONNX's formula, each float32 step rounded) is within
 * gamma(7) M of the real value Y, M = |scale| (|x| + |mean|) / sqrt(var + eps) + |bias|; a float32
 * evaluation in any of the usual forms (as written, or folded to x a + b), with WGSL's 2.5-ulp
 * sqrt and division, is within gamma(20) M. Their difference is bounded by the sum.
 */
function batchnormBounds(shape: readonly number[], epsilon: number, inputs: readonly Tensor[], bound: Float64Array): void {
  const [n, c] = shape;
  const inner = shape.slice(2).reduce((p, d) => p * d, 1);
  const [x, scale, bias, mean, variance] = inputs.map((t) => t.data);
  const g = gamma(20) + gamma(7);
  for (let ch = 0; ch < c; ch++) {
    const a = Math.abs(scale[ch]) / Math.sqrt(variance[ch] + epsilon);
    for (let img = 0; img < n; img++) {
      for (let i = (img * c + ch) * inner, end = i + inner; i < end; i++) {
        const m = a * (Math.abs(x[i]) + Math.abs(mean[ch])) + Math.abs(bias[ch]);
        bound[i] = Number.isFinite(m) ? g * m * SLACK + 4 * MIN_NORMAL : Infinity;
      }
    }
  }
}

/** matmul: the reordering bound of a K-term sum, A = sum |a b| (in double, inflated outward). */
function matmulBounds(spec: Extract<OpSpec, { op: 'matmul' }>['spec'], inputs: readonly Tensor[], y: Float32Array, bound: Float64Array): void {
  const { m, n, k, batch } = spec;
  const a = inputs[0].data;
  const b = inputs[1].data;
  const a2 = spec.a.length === 1 ? [1, spec.a[0]] : spec.a;
  const b2 = spec.b.length === 1 ? [spec.b[0], 1] : spec.b;
  const aIndex = broadcastIndex(a2.slice(0, -2), batch);
  const bIndex = broadcastIndex(b2.slice(0, -2), batch);
  const batches = batch.reduce((p, d) => p * d, 1);
  for (let t = 0; t < batches; t++) {
    const ao = aIndex(t) * m * k;
    const bo = bIndex(t) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let kk = 0; kk < k; kk++) s += Math.abs(a[ao + i * k + kk] * b[bo + kk * n + j]);
        const o = (t * m + i) * n + j;
        bound[o] = errorBound(k, s * (1 + (k + 2) * 2 ** -52), y[o]);
      }
    }
  }
}
