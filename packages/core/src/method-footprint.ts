import { conv2dGeometry } from './conv-geometry.ts';
import { type ConvMethod, unhandledConvMethod } from './conv-methods.ts';
import type { Conv2dSpec } from './conv2d.ts';
import { winogradTiles, winogradTransform } from './winograd.ts';

/**
 * The storage buffers a conv method binds on a GPU, at the smallest size the method can make
 * them: the one definition the WebGPU backend sizes (and refuses) by and the router routes by,
 * so a routed method never meets LIMIT_EXCEEDED that the router could have foreseen (issue 12).
 */

/** The WebGPU limits every storage buffer must fit (GPUSupportedLimits names). */
export interface BindingLimits {
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
}

/** One storage buffer a method binds. */
export interface MethodBinding {
  /** What it holds: input, output, weight, bias, im2col row, gathered input. */
  readonly name: string;
  readonly bytes: number;
}

/** A binding over the device's limit: what, how many bytes, and the limit it breaks. */
export interface BindingExcess extends MethodBinding {
  readonly limit: number;
  readonly limitName: keyof BindingLimits;
}

/** Output channels per block the direct and transposed kernels pack their weights in (a group's
 * C_out is padded up to a whole block; 8 wide blocks once a group has 8 channels). */
export function packedWeightLanes(cOutPerGroup: number): number {
  return cOutPerGroup >= 8 ? 8 : 4;
}

/** Bytes of one output row of im2col, [C_in/g * kH * kW, W_out]: the smallest tile the row-tiled
 * im2col-gemm can materialise (it tiles by output rows when the whole matrix is over budget). */
export function im2colRowBytes(spec: Conv2dSpec): number {
  const g = conv2dGeometry(spec);
  return 4 * g.cInG * g.kH * g.kW * g.wOut;
}

/** The buffers `method` binds for `spec` (no uniforms: those are a few words). `lanes`: the
 * packed-weight block of direct / transposed when a tuning overrides packedWeightLanes. */
export function methodBindings(method: ConvMethod, spec: Conv2dSpec, lanes?: number): MethodBinding[] {
  const g = conv2dGeometry(spec);
  const taps = g.cInG * g.kH * g.kW;
  const rawWeight = 4 * g.groups * g.cOutG * taps;
  const block = lanes ?? packedWeightLanes(g.cOutG);
  const packedWeight = 4 * g.groups * Math.ceil(g.cOutG / block) * block * taps;
  // Per method: its weight layout and the scratch buffers it binds (after input, output, weight, bias).
  let weight = rawWeight;
  const scratch: MethodBinding[] = [];
  switch (method) {
    case 'direct':
    case 'transposed':
      weight = packedWeight;
      break;
    case 'im2col-gemm':
      scratch.push({ name: 'im2col row', bytes: im2colRowBytes(spec) });
      break;
    case 'pointwise': {
      // A strided or padded 1x1 gathers its whole input view first (untiled).
      const plain = g.sH === 1 && g.sW === 1 && g.hOut === g.h && g.wOut === g.w && g.top === 0 && g.left === 0;
      if (!plain) scratch.push({ name: 'gathered input', bytes: 4 * g.n * g.cIn * g.hOut * g.wOut });
      break;
    }
    case 'depthwise':
    case 'implicit-gemm':
      break;
    case 'winograd-2x3':
    case 'winograd-4x3': {
      // The filters transformed to [groups][alpha^2][C_out/g][C_in/g]; the transformed inputs
      // [N][groups][alpha^2][C_in/g][tiles] and channel sums [N][groups][alpha^2][C_out/g][tiles].
      const { alpha } = winogradTransform(method);
      const { tilesH, tilesW } = winogradTiles(method, g.hOut, g.wOut);
      const a2 = alpha * alpha;
      const tiles = tilesH * tilesW;
      weight = 4 * a2 * g.cOut * g.cInG;
      scratch.push({ name: 'transformed input', bytes: 4 * g.n * g.groups * a2 * g.cInG * tiles });
      scratch.push({ name: 'tile products', bytes: 4 * g.n * g.groups * a2 * g.cOutG * tiles });
      break;
    }
    default:
      unhandledConvMethod(method);
  }
  const out: MethodBinding[] = [
    { name: 'input', bytes: 4 * g.n * g.cIn * g.h * g.w },
    { name: 'output', bytes: 4 * g.n * g.cOut * g.hOut * g.wOut },
    { name: 'weight', bytes: weight },
  ];
  if (spec.bias) out.push({ name: 'bias', bytes: 4 * g.cOut });
  return [...out, ...scratch];
}

/** The largest a storage binding may be on a device: both limits bound it. */
export function maxBindingBytes(limits: BindingLimits): { limit: number; limitName: keyof BindingLimits } {
  return limits.maxBufferSize < limits.maxStorageBufferBindingSize
    ? { limit: limits.maxBufferSize, limitName: 'maxBufferSize' }
    : { limit: limits.maxStorageBufferBindingSize, limitName: 'maxStorageBufferBindingSize' };
}

/** The first of `method`'s buffers that exceeds the device's limits, or null when all fit. */
export function methodBindingExcess(method: ConvMethod, spec: Conv2dSpec, limits: BindingLimits, lanes?: number): BindingExcess | null {
  const { limit, limitName } = maxBindingBytes(limits);
  const over = methodBindings(method, spec, lanes).find((b) => b.bytes > limit);
  return over ? { ...over, limit, limitName } : null;
}

/** `im2col-gemm's im2col row needs 150994944 bytes, over the device's maxStorageBufferBindingSize of 134217728 bytes` */
export function describeBindingExcess(method: ConvMethod, e: BindingExcess): string {
  return `${method}'s ${e.name} needs ${e.bytes} bytes, over the device's ${e.limitName} of ${e.limit} bytes`;
}
