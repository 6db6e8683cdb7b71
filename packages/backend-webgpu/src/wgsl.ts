import type { Activation } from '@convroute/core';
import { type KernelTypes, kernelTypes } from './f16.ts';

/** A float32 as a WGSL literal that parses back to the same float32 (9 significant digits
 * round-trip any binary32). */
export function f32Literal(v: number): string {
  const f = Math.fround(v);
  if (!Number.isFinite(f)) throw new Error(`no WGSL literal for ${f}`);
  if (Object.is(f, -0)) return '-0.0';
  const s = f.toPrecision(9);
  return s.includes('.') || s.includes('e') ? `${s}f` : `${s}.0f`;
}

/** `fn act(v: f32) -> f32` applying the activation after rounding. Written with `select` so a
 * NaN passes through (WGSL's min/max may drop NaN); an infinite clamp bound is a no-op side. */
export function activationFn(act: Activation, name = 'act'): string {
  if (act.kind === 'none') return `fn ${name}(v: f32) -> f32 { return v; }`;
  if (act.kind === 'relu') return `fn ${name}(v: f32) -> f32 { return select(v, 0.0, v < 0.0); }`;
  let body = 'var r = v;';
  if (act.min > Number.NEGATIVE_INFINITY) body += ` r = select(r, ${f32Literal(act.min)}, r < ${f32Literal(act.min)});`;
  if (act.max < Number.POSITIVE_INFINITY) body += ` r = select(r, ${f32Literal(act.max)}, r > ${f32Literal(act.max)});`;
  return `fn ${name}(v: f32) -> f32 { ${body} return r; }`;
}

export function activationKey(act: Activation): string {
  return act.kind === 'clamp' ? `clamp(${act.min},${act.max})` : act.kind;
}

/** A uniform struct of u32 fields, named in order; `packParams` writes the same order. */
export function paramsStruct(names: readonly string[]): string {
  return `struct Params {\n${names.map((n) => `  ${n}: u32,`).join('\n')}\n}\n@group(0) @binding(0) var<uniform> u: Params;`;
}

/** Uniform words of the direct, depthwise and transposed kernels: the loops' trip counts (kept out
 * of the code, see kernels/gemm.ts GEMM_PARAMS) and the chunk offsets of the grid. */
export const CONV_LOOP_PARAMS = ['loopC', 'loopKH', 'loopKW', 'yBase', 'zBase'] as const;

/** The bindings the sliding-window kernels share: params, X, weights (scalar or vec4), Y, the
 * optional bias and residual, and the activation function. */
export function convKernelHeader(
  weights: 'f32' | 'vec4<f32>',
  bias: boolean,
  activation: Activation,
  residual?: Activation,
  t: KernelTypes = kernelTypes(),
): string[] {
  // f16 precisions (f16.ts): X, the weights and the bias stored as binary16; Y (and R) stay f32.
  const w = t.st === 'f32' ? weights : weights.replace('f32', 'f16');
  return [
    ...t.enable,
    paramsStruct(CONV_LOOP_PARAMS),
    `@group(0) @binding(1) var<storage, read> X: array<${t.st}>;`,
    `@group(0) @binding(2) var<storage, read> Wt: array<${w}>;`,
    '@group(0) @binding(3) var<storage, read_write> Y: array<f32>;',
    bias ? `@group(0) @binding(4) var<storage, read> bias: array<${t.st}>;` : '',
    ...residualBinding(bias ? 5 : 4, residual),
    activationFn(activation),
  ];
}

/** The residual operand R (epilogue fusion of a following `add`), bound after the bias, and
 * `post`, the activation applied after the add ('none' when no relu/clip node follows it). */
export function residualBinding(binding: number, residual: Activation | undefined): string[] {
  return residual ? [`@group(0) @binding(${binding}) var<storage, read> R: array<f32>;`, activationFn(residual, 'post')] : [];
}

/** One output store: `act(value)`; with a fused residual add, `post(act(value) + R[index])`: the
 * activated, rounded output plus the residual, rounded once, then the activation after the add
 * (the conv node, the add node, the relu/clip node). */
export function storeOutput(target: string, index: string, value: string, residual: Activation | undefined): string {
  return residual ? `${target}[${index}] = post(act(${value}) + R[${index}]);` : `${target}[${index}] = act(${value});`;
}

/** Cache-key part of a residual epilogue. */
export function residualKey(residual: Activation | undefined): string {
  return residual ? `:res-${activationKey(residual)}` : '';
}

export function packParams(names: readonly string[], values: Record<string, number>): Uint32Array {
  const words = new Uint32Array(Math.max(4, Math.ceil(names.length / 4) * 4));
  names.forEach((n, i) => {
    const v = values[n];
    if (v === undefined || !Number.isInteger(v)) throw new Error(`param ${n} = ${v}`);
    words[i] = v >>> 0;
  });
  return words;
}

export function ceilDiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}
