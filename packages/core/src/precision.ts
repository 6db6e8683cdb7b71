import type { ConvMethod } from './conv-methods.ts';
import { ConvrouteError } from './errors.ts';

/**
 * The arithmetic a WebGPU conv runs in (docs/error-model.md, "fp16"): `f32` (the default, every
 * method); `f16-storage`: input, weights and bias stored as f16, products and sums in f32, output
 * f32; `f16`: the same storage, products and sums in f16 too, the f16 result widened to f32.
 */
export type Precision = 'f32' | 'f16-storage' | 'f16';
export const PRECISIONS: readonly Precision[] = ['f32', 'f16-storage', 'f16'];

/** The conv methods with f16 kernels: the GEMM-based ones and direct (issue 14). Another method
 * asked for at an f16 precision is UNSUPPORTED_METHOD, never computed in f32 instead. */
export const F16_CONV_METHODS: readonly ConvMethod[] = ['direct', 'pointwise', 'im2col-gemm'];

function isPrecision(v: unknown): v is Precision {
  return typeof v === 'string' && (PRECISIONS as readonly string[]).includes(v);
}

/** `v` as a Precision (undefined: f32), else INVALID_ARGUMENT naming `field`. */
export function parsePrecision(field: string, v: unknown): Precision {
  if (v === undefined) return 'f32';
  if (!isPrecision(v)) throw new ConvrouteError('INVALID_ARGUMENT', field, v, `precision is one of ${PRECISIONS.join(', ')}`);
  return v;
}

/** UNSUPPORTED_METHOD for a method without a kernel at `precision` (f16 precisions only). */
export function checkPrecisionMethod(precision: Precision, method: string): void {
  if (precision === 'f32' || (F16_CONV_METHODS as readonly string[]).includes(method)) return;
  throw new ConvrouteError(
    'UNSUPPORTED_METHOD',
    'method',
    method,
    `precision ${precision} runs conv2d with ${F16_CONV_METHODS.join(', ')} only; ${method} has no ${precision} kernel (never computed in f32 instead)`,
  );
}
