import type { Dispatch, GpuArray, GpuRuntime } from '../runtime.ts';
import { f32Bits, flatDispatch, flatKernelOpen } from './flat.ts';

const PARAMS = ['channels', 'inner', 'eps'] as const;

export function batchnormKey(): string {
  return 'batchnormalization';
}

/** Inference batch norm, ONNX's formula step by step: y = (x - mean) / sqrt(var + eps) * scale + bias,
 * channel = axis 1 (`inner` elements per channel and image). */
export function batchnormWgsl(): string {
  const L = flatKernelOpen(
    [...PARAMS],
    [
      'var<storage, read> X: array<f32>;',
      'var<storage, read> S: array<f32>;',
      'var<storage, read> B: array<f32>;',
      'var<storage, read> M: array<f32>;',
      'var<storage, read> V: array<f32>;',
      'var<storage, read_write> Y: array<f32>;',
    ],
  );
  L.push('  let c = (i / u.inner) % u.channels;', '  Y[i] = (X[i] - M[c]) / sqrt(V[c] + bitcast<f32>(u.eps)) * S[c] + B[c];', '}');
  return L.join('\n');
}

/** Operands in ONNX's order: x, scale, bias, mean, var. */
export async function batchnormDispatch(rt: GpuRuntime, shape: readonly number[], epsilon: number, xs: readonly GpuArray[], y: GpuArray): Promise<Dispatch> {
  const pipeline = await rt.pipeline(batchnormKey(), batchnormWgsl);
  const channels = shape[1];
  const inner = shape.slice(2).reduce((a, b) => a * b, 1);
  const total = shape.reduce((a, b) => a * b, 1);
  return flatDispatch(pipeline, total, [...xs, y], [...PARAMS], { channels, inner, eps: f32Bits(epsilon) }, 6);
}
