import { ConvrouteError } from './errors.ts';
import { checkEnum, checkOutputShape, checkRankedShape } from './op-attrs.ts';
import type { Shape } from './tensor.ts';

export const RESIZE_MODES = ['nearest', 'linear'] as const;
export const RESIZE_COORDINATE_MODES = ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric'] as const;
export const RESIZE_NEAREST_MODES = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'] as const;
export type ResizeMode = (typeof RESIZE_MODES)[number];
export type ResizeCoordinateMode = (typeof RESIZE_COORDINATE_MODES)[number];
export type ResizeNearestMode = (typeof RESIZE_NEAREST_MODES)[number];

/** ONNX Resize (opset 11+; no roi, cubic or tf_crop_and_resize). Exactly one of scales or sizes.
 * The coordinate mapping uses `scales` (ONNX: the given scale, not out/in); given sizes, the scale
 * is sizes / in rounded to float32 (as ONNX Runtime computes it). 'linear' interpolates the last
 * two axes (bilinear); the others keep their extent. */
export interface ResizeSpec {
  readonly input: readonly number[];
  readonly mode: ResizeMode;
  readonly coordinateTransformationMode: ResizeCoordinateMode;
  readonly nearestMode: ResizeNearestMode;
  /** per axis, float32: the given scales, or sizes / in */
  readonly scales: readonly number[];
  /** derived: floor(in * scale) per axis (the float32 product), or the given sizes */
  readonly output: readonly number[];
}
export interface ResizeSpecInit {
  input: Shape;
  mode?: ResizeMode;
  coordinateTransformationMode?: ResizeCoordinateMode;
  nearestMode?: ResizeNearestMode;
  scales?: readonly number[];
  sizes?: readonly number[];
}
export const RESIZE_ATTR_KEYS = ['mode', 'coordinateTransformationMode', 'nearestMode', 'scales', 'sizes'] as const;

export function resizeSpec(init: ResizeSpecInit): ResizeSpec {
  const input = checkRankedShape('input', init.input, 1);
  const rank = input.length;
  const mode = checkEnum('mode', init.mode, RESIZE_MODES, 'nearest');
  const coordinateTransformationMode = checkEnum('coordinateTransformationMode', init.coordinateTransformationMode, RESIZE_COORDINATE_MODES, 'half_pixel');
  const nearestMode = checkEnum('nearestMode', init.nearestMode, RESIZE_NEAREST_MODES, 'round_prefer_floor');
  if ((init.scales === undefined) === (init.sizes === undefined)) {
    throw new ConvrouteError('INVALID_ATTRIBUTE', 'scales', init.scales, 'give exactly one of scales and sizes');
  }
  const list = (f: 'scales' | 'sizes', v: unknown): unknown[] => {
    if (!Array.isArray(v) || v.length !== rank) throw new ConvrouteError('INVALID_ATTRIBUTE', f, v, `must be an array of ${rank} numbers, one per input axis`);
    return v;
  };
  let scales: number[];
  let output: number[];
  if (init.scales !== undefined) {
    scales = list('scales', init.scales).map((s, i) => {
      if (typeof s !== 'number' || !Number.isFinite(s) || s <= 0)
        throw new ConvrouteError('INVALID_ATTRIBUTE', `scales[${i}]`, s, 'must be a finite number > 0');
      return Math.fround(s);
    });
    // ONNX Runtime: the float32 product, truncated.
    output = scales.map((s, i) => Math.floor(Math.fround(s * input[i])));
  } else {
    output = list('sizes', init.sizes).map((d, i) => {
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 1) throw new ConvrouteError('INVALID_ATTRIBUTE', `sizes[${i}]`, d, 'must be an integer >= 1');
      return d;
    });
    scales = output.map((d, i) => Math.fround(d / input[i]));
  }
  if (mode === 'linear') {
    scales.forEach((s, i) => {
      if (i < rank - 2 && s !== 1)
        throw new ConvrouteError('INVALID_ATTRIBUTE', `scales[${i}]`, s, "'linear' resizes the last two axes only; the others must keep scale 1");
    });
  }
  return { input, mode, coordinateTransformationMode, nearestMode, scales, output: checkOutputShape('resize', output) };
}
