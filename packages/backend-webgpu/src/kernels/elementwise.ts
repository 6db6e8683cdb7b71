import type { Dispatch, GpuArray, GpuRuntime } from '../runtime.ts';
import { axisNames, coalesceAxes, contiguousStrides, decompose, f32Bits, flatDispatch, flatKernelOpen, shapeCount, withinStridedRank } from './flat.ts';

export type UnaryKind = 'relu' | 'sigmoid' | 'hardsigmoid' | 'hardswish' | 'leakyrelu' | 'clip';
export type BinaryKind = 'add' | 'sub' | 'mul' | 'div';

/** Float attributes of the unary ops, as uniforms (p0, p1): one pipeline per op, not per value. */
export interface UnaryAttrs {
  alpha?: number;
  beta?: number;
  min?: number;
  max?: number;
}

/**
 * The unary ops' WGSL bodies on `v`. Comparisons through `select` so a NaN passes through (WGSL's
 * min/max may drop it). sigmoid keeps exp's argument <= 0 (exp(-|v|) in (0, 1], never overflowing);
 * hardswish divides by 6 as ONNX's alpha = 1/6 is not a float32, and is 0 at and below -3 and x at
 * and above 3 outright, except -inf, which gives NaN as ONNX's `x * max(0, ...)` does under IEEE
 * (the CPU's definition, docs/decisions.md): tested by its bits (WGSL may assume no infinities), the
 * NaN made from v's bits at run time (a NaN constant is a WGSL error).
 */
const UNARY_BODY: Record<UnaryKind, string> = {
  relu: 'return select(v, 0.0, v < 0.0);',
  leakyrelu: 'return select(v, v * p0, v < 0.0);',
  clip: 'var r = select(v, p0, v < p0); r = select(r, p1, r > p1); return r;',
  hardsigmoid: 'let t = p0 * v + p1; var r = select(t, 0.0, t < 0.0); r = select(r, 1.0, r > 1.0); return r;',
  hardswish:
    'if (bitcast<u32>(v) == 0xff800000u) { return bitcast<f32>(bitcast<u32>(v) | 0x00400000u); } if (v <= -3.0) { return 0.0; } if (v >= 3.0) { return v; } return v * (v / 6.0 + 0.5);',
  sigmoid: 'let e = exp(-abs(v)); let s = 1.0 / (1.0 + e); return select(s, e * s, v < 0.0);',
};

export function unaryKey(kind: UnaryKind): string {
  return `unary:${kind}`;
}

export function unaryWgsl(kind: UnaryKind): string {
  return [
    `fn f(v: f32, p0: f32, p1: f32) -> f32 { ${UNARY_BODY[kind]} }`,
    ...flatKernelOpen(['p0', 'p1'], ['var<storage, read> X: array<f32>;', 'var<storage, read_write> Y: array<f32>;']),
    '  Y[i] = f(X[i], bitcast<f32>(u.p0), bitcast<f32>(u.p1));',
    '}',
  ].join('\n');
}

function unaryParams(kind: UnaryKind, a: UnaryAttrs): { p0: number; p1: number } {
  switch (kind) {
    case 'leakyrelu':
      return { p0: f32Bits(a.alpha ?? 0.01), p1: 0 };
    case 'hardsigmoid':
      return { p0: f32Bits(a.alpha ?? 0.2), p1: f32Bits(a.beta ?? 0.5) };
    case 'clip':
      return { p0: f32Bits(a.min ?? Number.NEGATIVE_INFINITY), p1: f32Bits(a.max ?? Number.POSITIVE_INFINITY) };
    default:
      return { p0: 0, p1: 0 };
  }
}

export async function unaryDispatch(rt: GpuRuntime, kind: UnaryKind, attrs: UnaryAttrs, x: GpuArray, y: GpuArray, total: number): Promise<Dispatch> {
  const pipeline = await rt.pipeline(unaryKey(kind), () => unaryWgsl(kind));
  return flatDispatch(pipeline, total, [x, y], ['p0', 'p1'], unaryParams(kind, attrs), 4);
}

const BINARY_EXPR: Record<BinaryKind, (a: string, b: string) => string> = {
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${b}`,
  mul: (a, b) => `${a} * ${b}`,
  div: (a, b) => `quotient(${a}, ${b})`,
};

/** WGSL bounds x / y (2.5 ulp) only for |y| <= 2^126: a larger divisor is scaled by 2^-4 first
 * (exact), the quotient (now below 64 in magnitude) scaled back (exact unless subnormal). */
const QUOTIENT_FN = 'fn quotient(a: f32, b: f32) -> f32 { let s = select(1.0, 0.0625, abs(b) > 0x1p126f); return (a / (b * s)) * s; }';

/** 'same': both inputs have the output's shape; 'broadcast': strides per axis (0 on a broadcast
 * axis) computed on the host, the output index decomposed over `rank` axes. */
export type BinaryLayout = { kind: 'same' } | { kind: 'broadcast'; rank: number };

export function binaryKey(op: BinaryKind, layout: BinaryLayout): string {
  return `binary:${op}:${layout.kind === 'same' ? 'same' : `bcast${layout.rank}`}`;
}

export function binaryWgsl(op: BinaryKind, layout: BinaryLayout): string {
  const bindings = ['var<storage, read> A: array<f32>;', 'var<storage, read> B: array<f32>;', 'var<storage, read_write> Y: array<f32>;'];
  const f = BINARY_EXPR[op];
  const pre = op === 'div' ? [QUOTIENT_FN] : [];
  if (layout.kind === 'same') return [...pre, ...flatKernelOpen([], bindings), `  Y[i] = ${f('A[i]', 'B[i]')};`, '}'].join('\n');
  const r = layout.rank;
  const dims = axisNames('u.d', r);
  const L = [...pre, ...flatKernelOpen([...axisNames('d', r), ...axisNames('sa', r), ...axisNames('sb', r)], bindings)];
  L.push(...decompose('i', dims).map((s) => `  ${s}`));
  const off = (p: string) =>
    axisNames('c', r)
      .map((c, d) => `${c} * u.${p}${d}`)
      .join(' + ');
  L.push(`  Y[i] = ${f(`A[${off('sa')}]`, `B[${off('sb')}]`)};`, '}');
  return L.join('\n');
}

/** NumPy/ONNX broadcast of two shapes (the op's spec has validated them): the output shape. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const r = Math.max(a.length, b.length);
  return Array.from({ length: r }, (_, d) => {
    const x = a[d - (r - a.length)] ?? 1;
    const y = b[d - (r - b.length)] ?? 1;
    return x === 1 ? y : x;
  });
}

/** Per-axis strides of `shape` read at an output of rank `r`: 0 on a broadcast (size-1 or absent) axis. */
export function broadcastStrides(shape: readonly number[], out: readonly number[]): number[] {
  const r = out.length;
  const s = contiguousStrides(shape);
  return Array.from({ length: r }, (_, d) => {
    const k = d - (r - shape.length);
    return k < 0 || (shape[k] === 1 && out[d] !== 1) ? 0 : s[k];
  });
}

export async function binaryDispatch(
  rt: GpuRuntime,
  op: BinaryKind,
  aShape: readonly number[],
  bShape: readonly number[],
  a: GpuArray,
  b: GpuArray,
  y: GpuArray,
): Promise<Dispatch> {
  const full = broadcastShape(aShape, bShape);
  const total = shapeCount(full);
  const same = aShape.length === bShape.length && aShape.every((d, k) => d === bShape[k]);
  if (same) {
    const layout: BinaryLayout = { kind: 'same' };
    const pipeline = await rt.pipeline(binaryKey(op, layout), () => binaryWgsl(op, layout));
    return flatDispatch(pipeline, total, [a, b, y], [], {});
  }
  const c = coalesceAxes(full, [broadcastStrides(aShape, full), broadcastStrides(bShape, full)]);
  const [out, sa, sb] = [c.dims, c.strides[0], c.strides[1]];
  if (!withinStridedRank(out.length)) throw new Error(`internal: broadcast over ${out.length} axes reached the kernel (binaryAxes says which run)`);
  const r = out.length;
  const layout: BinaryLayout = { kind: 'broadcast', rank: r };
  const pipeline = await rt.pipeline(binaryKey(op, layout), () => binaryWgsl(op, layout));
  const values: Record<string, number> = {};
  out.forEach((v, d) => {
    values[`d${d}`] = v;
    values[`sa${d}`] = sa[d];
    values[`sb${d}`] = sb[d];
  });
  return flatDispatch(pipeline, total, [a, b, y], [...axisNames('d', r), ...axisNames('sa', r), ...axisNames('sb', r)], values, 2);
}

/** Axes of index math a broadcast needs after coalescing (the backend runs it when <= 6). */
export function binaryAxes(aShape: readonly number[], bShape: readonly number[]): number {
  const full = broadcastShape(aShape, bShape);
  return coalesceAxes(full, [broadcastStrides(aShape, full), broadcastStrides(bShape, full)]).dims.length;
}
