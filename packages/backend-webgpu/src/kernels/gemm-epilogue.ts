import type { Activation } from '@convroute/core';
import type { Dispatch, GpuArray, GpuRuntime } from '../runtime.ts';
import { activationFn, activationKey } from '../wgsl.ts';
import { f32Bits, flatDispatch, flatKernelOpen } from './flat.ts';

const PARAMS = ['m', 'n', 'sm', 'sn', 'alpha', 'beta'] as const;

export function gemmEpilogueKey(act: Activation, bias: boolean): string {
  return `gemm-epilogue:${bias ? 'bias' : 'nobias'}:${activationKey(act)}`;
}

/**
 * ONNX Gemm's scaling after the plain GEMM, in place: Y = act(alpha * Y + beta * C), C broadcast
 * to [M, N] by strides (sm, sn) (0 on a broadcast axis), the same for every batch.
 */
export function gemmEpilogueWgsl(act: Activation, bias: boolean): string {
  const bindings = ['var<storage, read_write> Y: array<f32>;', ...(bias ? ['var<storage, read> C: array<f32>;'] : [])];
  const L = [activationFn(act), ...flatKernelOpen([...PARAMS], bindings)];
  L.push('  let v = bitcast<f32>(u.alpha) * Y[i];');
  if (bias) {
    L.push('  let col = i % u.n; let row = (i / u.n) % u.m;', '  Y[i] = act(v + bitcast<f32>(u.beta) * C[row * u.sm + col * u.sn]);', '}');
  } else {
    L.push('  Y[i] = act(v);', '}');
  }
  return L.join('\n');
}

/** `total` = batch * M * N outputs; `biasStrides` the bias's [row, column] strides, when given. */
export async function gemmEpilogueDispatch(
  rt: GpuRuntime,
  act: Activation,
  m: number,
  n: number,
  total: number,
  alpha: number,
  beta: number,
  y: GpuArray,
  bias?: { c: GpuArray; strides: readonly [number, number] },
): Promise<Dispatch> {
  const pipeline = await rt.pipeline(gemmEpilogueKey(act, bias !== undefined), () => gemmEpilogueWgsl(act, bias !== undefined));
  const v = { m, n, sm: bias?.strides[0] ?? 0, sn: bias?.strides[1] ?? 0, alpha: f32Bits(alpha), beta: f32Bits(beta) };
  return flatDispatch(pipeline, total, bias ? [y, bias.c] : [y], [...PARAMS], v, 3);
}
