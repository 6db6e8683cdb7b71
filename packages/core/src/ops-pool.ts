import { checkPadding, checkPair } from './attrs.ts';
import { ConvrouteError } from './errors.ts';
import { checkAxes, checkBool, checkOutputShape, checkRankedShape } from './op-attrs.ts';
import type { Shape } from './tensor.ts';

/** 2-D pooling over x [N, C, H, W] (NCHW). A window's taps are
 * (oh * stride - top + i * dilation, ow * stride - left + j * dilation), i < kh, j < kw; taps
 * outside the input are padding (max ignores them; averagepool counts them when countIncludePad). */
interface PoolSpec {
  readonly input: readonly [number, number, number, number];
  readonly kernel: [number, number];
  readonly stride: [number, number];
  /** [top, left, bottom, right] */
  readonly padding: [number, number, number, number];
  readonly dilation: [number, number];
  readonly ceilMode: boolean;
  /** derived: [N, C, H_out, W_out] */
  readonly output: readonly number[];
}
export type MaxpoolSpec = PoolSpec;
export interface AveragepoolSpec extends PoolSpec {
  readonly countIncludePad: boolean;
}

export interface PoolSpecInit {
  input: Shape;
  kernel: number | readonly number[];
  stride?: number | readonly number[];
  /** As conv2d's: an integer, [ph, pw], [top, left, bottom, right], 'valid' or 'same' (SAME_UPPER). */
  padding?: number | readonly number[] | 'same' | 'valid';
  dilation?: number | readonly number[];
  ceilMode?: boolean;
}
export interface AveragepoolSpecInit extends PoolSpecInit {
  countIncludePad?: boolean;
}
export const MAXPOOL_ATTR_KEYS = ['kernel', 'stride', 'padding', 'dilation', 'ceilMode'] as const;
export const AVERAGEPOOL_ATTR_KEYS = [...MAXPOOL_ATTR_KEYS, 'countIncludePad'] as const;

/** One spatial axis's output extent as ONNX (and PyTorch) define it: floor or ceil of
 * (in + pads - dilation * (k - 1) - 1) / stride, + 1; in ceil mode a last window that would start
 * in the end padding is dropped. */
export function poolOutputExtent(
  extent: number,
  kernel: number,
  stride: number,
  padBegin: number,
  padEnd: number,
  dilation: number,
  ceilMode: boolean,
): number {
  const span = extent + padBegin + padEnd - dilation * (kernel - 1) - 1;
  if (span < 0) return 0;
  let out = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceilMode && (out - 1) * stride >= extent + padBegin) out--;
  return out;
}

function poolSpec(op: 'maxpool' | 'averagepool', init: PoolSpecInit): PoolSpec {
  const s = checkRankedShape('input', init.input, 4, 4);
  const input = [s[0], s[1], s[2], s[3]] as const;
  const kernel = checkPair('kernel', init.kernel, 1, 'kernel extents must be >= 1');
  const stride = checkPair('stride', init.stride ?? 1, 1, 'stride must be >= 1');
  const dilation = checkPair('dilation', init.dilation ?? 1, 1, 'dilation must be >= 1');
  const padding = checkPadding('padding', init.padding ?? 0, { extent: [input[2], input[3]], kernel, stride, dilation, transposed: false });
  // ONNX Runtime's rule: a pad as wide as the kernel would make windows of padding only.
  padding.forEach((p, i) => {
    const k = kernel[i % 2];
    if (p >= k) throw new ConvrouteError('INVALID_ATTRIBUTE', `padding[${i}]`, p, `must be < the kernel extent ${k} (a window must hold an input pixel)`);
  });
  const ceilMode = checkBool('ceilMode', init.ceilMode, false);
  const out = [0, 1].map((a) => poolOutputExtent(input[2 + a], kernel[a], stride[a], padding[a], padding[a + 2], dilation[a], ceilMode));
  // With dilation a window can still skip every input pixel (its taps straddle a small input):
  // no max or mean is defined there (ONNX's reference gives NaN, ONNX Runtime 0), so refuse it.
  [0, 1].forEach((a) => {
    for (let i = 0; i < out[a]; i++) {
      const taps = Array.from({ length: kernel[a] }, (_, p) => i * stride[a] - padding[a] + p * dilation[a]);
      if (!taps.some((r) => r >= 0 && r < input[2 + a]))
        throw new ConvrouteError(
          'INVALID_ATTRIBUTE',
          'dilation',
          dilation,
          `window ${i} of axis ${a === 0 ? 'H' : 'W'} reads only padding (taps ${taps.join(', ')} of an extent ${input[2 + a]}): a window must hold an input pixel`,
        );
    }
  });
  return { input, kernel, stride, padding, dilation, ceilMode, output: checkOutputShape(op, [input[0], input[1], out[0], out[1]]) };
}

export function maxpoolSpec(init: PoolSpecInit): MaxpoolSpec {
  return poolSpec('maxpool', init);
}

export function averagepoolSpec(init: AveragepoolSpecInit): AveragepoolSpec {
  return { ...poolSpec('averagepool', init), countIncludePad: checkBool('countIncludePad', init.countIncludePad, false) };
}

/** Mean over every spatial axis: x [N, C, D1, ...] -> [N, C, 1, ...]. */
export interface GlobalaveragepoolSpec {
  readonly input: readonly number[];
  readonly output: readonly number[];
}
export function globalaveragepoolSpec(init: { input: Shape }): GlobalaveragepoolSpec {
  const input = checkRankedShape('input', init.input, 3);
  return { input, output: input.map((d, i) => (i < 2 ? d : 1)) };
}

/** Mean over `axes` (all axes when absent), the exact sum divided once. keepdims keeps them as 1. */
export interface ReducemeanSpec {
  readonly input: readonly number[];
  /** normalised to [0, rank), ascending */
  readonly axes: readonly number[];
  readonly keepdims: boolean;
  readonly output: readonly number[];
}
export interface ReducemeanSpecInit {
  input: Shape;
  axes?: readonly number[];
  keepdims?: boolean;
}
export const REDUCEMEAN_ATTR_KEYS = ['axes', 'keepdims'] as const;

export function reducemeanSpec(init: ReducemeanSpecInit): ReducemeanSpec {
  const input = checkRankedShape('input', init.input, 1);
  const axes = init.axes === undefined ? input.map((_, i) => i) : checkAxes('axes', init.axes, input.length).sort((x, y) => x - y);
  if (axes.length === 0) throw new ConvrouteError('INVALID_ATTRIBUTE', 'axes', init.axes, 'must name at least one axis (omit it to reduce over all axes)');
  const keepdims = checkBool('keepdims', init.keepdims, true);
  const output = keepdims ? input.map((d, i) => (axes.includes(i) ? 1 : d)) : input.filter((_, i) => !axes.includes(i));
  return { input, axes, keepdims, output };
}
