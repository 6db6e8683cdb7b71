import type { BinarySpec, ClipSpec, HardsigmoidSpec, LeakyreluSpec, OpSpec, UnarySpec } from '@convroute/core';
import { Tensor } from '@convroute/core';
import { broadcastStrides, forEachBroadcast } from './broadcast.ts';
import { roundQuotient32, twoSum } from './exact/round-quotient.ts';

/**
 * Elementwise ops (docs/semantics.md, "Elementwise ops"). add/sub/mul/div: the double result of
 * two float32 operands rounded to float32 is the correctly rounded result (double rounding is
 * innocuous for +, -, *, / when the wider format has p' >= 2p + 2 bits, 53 >= 50: Figueroa, "When
 * is double rounding innocuous?", SIGNUM Newsletter 30(3), 1995), so exact and fast mode agree.
 */
type Mode = 'exact' | 'fast';

const BINARY = {
  add: (x: number, y: number) => x + y,
  sub: (x: number, y: number) => x - y,
  mul: (x: number, y: number) => x * y,
  div: (x: number, y: number) => x / y,
};

export function binaryOp(op: keyof typeof BINARY, spec: BinarySpec, a: Tensor, b: Tensor): Tensor {
  const f = BINARY[op];
  const av = a.data;
  const bv = b.data;
  const out = new Float32Array(spec.output.reduce((p, d) => p * d, 1));
  forEachBroadcast(spec.output, broadcastStrides(spec.a, spec.output), broadcastStrides(spec.b, spec.output), (o, ia, ib, len, da, db) => {
    for (let i = 0; i < len; i++, ia += da, ib += db) out[o + i] = f(av[ia], bv[ib]);
  });
  return Tensor.fromData(out, spec.output);
}

/** Applies a per-element function; the Float32Array store rounds a double result once. */
function map(x: Tensor, f: (v: number) => number): Tensor {
  const xv = x.data;
  const out = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) out[i] = f(xv[i]);
  return Tensor.fromData(out, x.shape);
}

/** NaN passes through every clamp below (comparisons with NaN are false). */
const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);

/** hardsigmoid exact: R(alpha * x + beta) (alpha * x is exact in double; one rounding), clamped. */
function hardsigmoidExact(alpha: number, beta: number, x: number): number {
  const p = alpha * x;
  if (!Number.isFinite(p) || !Number.isFinite(beta)) return clamp(Math.fround(p + beta), 0, 1);
  const [t, e] = twoSum(p, beta);
  return clamp(roundQuotient32(t, e, 1), 0, 1);
}

/** hardswish exact: R(x * (x + 3) / 6) on (-3, 3), with the real 1/6; 0 below, x above; -inf
 * gives NaN, as ONNX's formula x * max(0, ...) does under IEEE (-inf * 0).
 * x*x and 3*x are exact in double; their TwoSum is the exact numerator. */
function hardswishExact(x: number): number {
  if (Number.isNaN(x) || x === Number.NEGATIVE_INFINITY) return Number.NaN;
  if (x <= -3) return 0;
  if (x >= 3) return x;
  const [t, e] = twoSum(x * x, 3 * x);
  return roundQuotient32(t, e, 6);
}

export function unaryOp(op: Exclude<OpSpec['op'], 'conv2d'>, spec: UnarySpec, x: Tensor, mode: Mode): Tensor {
  const f32 = Math.fround;
  switch (op) {
    case 'identity':
      return Tensor.fromData(x.data.slice(), x.shape);
    case 'relu':
      return map(x, (v) => (v < 0 ? 0 : v));
    case 'clip': {
      const { min, max } = spec as ClipSpec;
      return map(x, (v) => clamp(v, min, max));
    }
    case 'leakyrelu': {
      const { alpha } = spec as LeakyreluSpec;
      return map(x, (v) => (v >= 0 ? v : alpha * v));
    }
    case 'hardsigmoid': {
      const { alpha, beta } = spec as HardsigmoidSpec;
      if (mode === 'exact') return map(x, (v) => hardsigmoidExact(alpha, beta, v));
      return map(x, (v) => clamp(f32(f32(alpha * v) + beta), 0, 1));
    }
    case 'hardswish':
      if (mode === 'exact') return map(x, hardswishExact);
      // PyTorch's form in float32: x * relu6(x + 3) / 6
      return map(x, (v) => f32(f32(v * clamp(f32(v + 3), 0, 6)) / 6));
    case 'sigmoid':
      // exact: the double 1 / (1 + exp(-x)) rounded once (within 2^-51 relatively of the real
      // value: docs/semantics.md states the bound); fast: each step in float32.
      if (mode === 'exact') return map(x, (v) => 1 / (1 + Math.exp(-v)));
      return map(x, (v) => f32(1 / f32(1 + f32(Math.exp(-v)))));
    default:
      throw new Error(`unaryOp: ${op} is not a unary op`);
  }
}
