import { ConvrouteError } from './errors.ts';
import { checkAxes, checkAxis, checkBool, checkInteger, checkIntList, checkOutputShape, checkRankedShape } from './op-attrs.ts';
import { checkShape, type Shape, shapeSize } from './tensor.ts';

/** Shape ops: their outputs are exact copies of input elements (pad adds its value). */

/** Concatenation along `axis` of inputs equal in every other extent. */
export interface ConcatSpec {
  readonly inputs: readonly (readonly number[])[];
  /** normalised to [0, rank) */
  readonly axis: number;
  readonly output: readonly number[];
}
export interface ConcatSpecInit {
  inputs: readonly Shape[];
  axis: number;
}
export const CONCAT_ATTR_KEYS = ['axis'] as const;

export function concatSpec(init: ConcatSpecInit): ConcatSpec {
  if (!Array.isArray(init.inputs) || init.inputs.length < 1)
    throw new ConvrouteError('SHAPE_MISMATCH', 'inputs', init.inputs, 'concat takes at least one input');
  const inputs = init.inputs.map((s, i) => checkRankedShape(`inputs[${i}]`, s, 1));
  const rank = inputs[0].length;
  if (init.axis === undefined) throw new ConvrouteError('INVALID_ATTRIBUTE', 'axis', undefined, 'concat needs an axis');
  const axis = checkAxis('axis', init.axis, rank);
  inputs.forEach((s, i) => {
    if (s.length !== rank || s.some((d, j) => j !== axis && d !== inputs[0][j])) {
      throw new ConvrouteError('SHAPE_MISMATCH', `inputs[${i}]`, s, `must equal [${inputs[0].join(', ')}] on every axis but ${axis}`);
    }
  });
  const output = [...inputs[0]];
  output[axis] = inputs.reduce((t, s) => t + s[axis], 0);
  return { inputs, axis, output: checkOutputShape('concat', output) };
}

/** ONNX Reshape: a 0 copies the input's extent at that index (unless allowzero, which ONNX uses for
 * empty tensors: convroute has none, so allowzero with a 0 is refused); one -1 is inferred. */
export interface ReshapeSpec {
  readonly input: readonly number[];
  /** the target as given */
  readonly shape: readonly number[];
  readonly allowzero: boolean;
  readonly output: readonly number[];
}
export interface ReshapeSpecInit {
  input: Shape;
  shape: readonly number[];
  allowzero?: boolean;
}
export const RESHAPE_ATTR_KEYS = ['shape', 'allowzero'] as const;

export function reshapeSpec(init: ReshapeSpecInit): ReshapeSpec {
  const input = checkRankedShape('input', init.input, 0);
  const allowzero = checkBool('allowzero', init.allowzero, false);
  const shape = checkIntList('shape', init.shape, (f, x) => checkInteger(f, x, -1, 2 ** 31 - 1));
  if (shape.length > 8) throw new ConvrouteError('INVALID_ATTRIBUTE', 'shape', init.shape, 'must have at most 8 extents');
  if (shape.filter((d) => d === -1).length > 1) throw new ConvrouteError('INVALID_ATTRIBUTE', 'shape', init.shape, 'may hold at most one -1');
  const out = shape.map((d, i) => {
    if (d !== 0) return d;
    if (allowzero) throw new ConvrouteError('INVALID_ATTRIBUTE', `shape[${i}]`, 0, 'allowzero with a 0 makes an empty tensor, which convroute does not have');
    if (i >= input.length)
      throw new ConvrouteError('INVALID_ATTRIBUTE', `shape[${i}]`, 0, `0 copies the input's extent at index ${i}, but the input has rank ${input.length}`);
    return input[i];
  });
  const n = shapeSize(input);
  const known = out.reduce((t, d) => (d === -1 ? t : t * d), 1);
  const hole = out.indexOf(-1);
  if (hole >= 0) {
    if (n % known !== 0) throw new ConvrouteError('SHAPE_MISMATCH', 'shape', init.shape, `-1 cannot be inferred: ${n} elements are not a multiple of ${known}`);
    out[hole] = n / known;
  } else if (known !== n) {
    throw new ConvrouteError('SHAPE_MISMATCH', 'shape', init.shape, `holds ${known} elements; the input [${input.join(', ')}] holds ${n}`);
  }
  return { input, shape, allowzero, output: out };
}

/** ONNX Flatten: [prod(input[0..axis)), prod(input[axis..))]; axis in [-rank, rank]. */
export interface FlattenSpec {
  readonly input: readonly number[];
  readonly axis: number;
  readonly output: readonly number[];
}
export const FLATTEN_ATTR_KEYS = ['axis'] as const;

export function flattenSpec(init: { input: Shape; axis?: number }): FlattenSpec {
  const input = checkRankedShape('input', init.input, 0);
  const axis = checkAxis('axis', init.axis ?? 1, input.length, true);
  return { input, axis, output: [shapeSize(input.slice(0, axis)), shapeSize(input.slice(axis))] };
}

/** Output axis i is input axis perm[i]; perm defaults to reversing the axes. */
export interface TransposeSpec {
  readonly input: readonly number[];
  readonly perm: readonly number[];
  readonly output: readonly number[];
}
export const TRANSPOSE_ATTR_KEYS = ['perm'] as const;

export function transposeSpec(init: { input: Shape; perm?: readonly number[] }): TransposeSpec {
  const input = checkRankedShape('input', init.input, 0);
  const rank = input.length;
  const perm = init.perm === undefined ? input.map((_, i) => rank - 1 - i) : checkIntList('perm', init.perm, (f, x) => checkInteger(f, x, 0, rank - 1));
  if (perm.length !== rank || new Set(perm).size !== rank) {
    throw new ConvrouteError('INVALID_ATTRIBUTE', 'perm', init.perm, `must be a permutation of 0..${rank - 1}`);
  }
  return { input, perm, output: perm.map((p) => input[p]) };
}

/** Removes the given axes (each of extent 1), or every axis of extent 1 when absent. */
export interface SqueezeSpec {
  readonly input: readonly number[];
  /** normalised, ascending */
  readonly axes: readonly number[];
  readonly output: readonly number[];
}
export const SQUEEZE_ATTR_KEYS = ['axes'] as const;

export function squeezeSpec(init: { input: Shape; axes?: readonly number[] }): SqueezeSpec {
  const input = checkRankedShape('input', init.input, 0);
  const axes = init.axes === undefined ? input.flatMap((d, i) => (d === 1 ? [i] : [])) : checkAxes('axes', init.axes, input.length).sort((x, y) => x - y);
  for (const a of axes)
    if (input[a] !== 1) throw new ConvrouteError('INVALID_ATTRIBUTE', 'axes', init.axes, `axis ${a} has extent ${input[a]}; only extents of 1 can be squeezed`);
  return { input, axes, output: input.filter((_, i) => !axes.includes(i)) };
}

/** Inserts axes of extent 1; `axes` index the output (rank + axes.length), negative from its end. */
export interface UnsqueezeSpec {
  readonly input: readonly number[];
  readonly axes: readonly number[];
  readonly output: readonly number[];
}
export const UNSQUEEZE_ATTR_KEYS = ['axes'] as const;

export function unsqueezeSpec(init: { input: Shape; axes: readonly number[] }): UnsqueezeSpec {
  const input = checkRankedShape('input', init.input, 0);
  if (init.axes === undefined) throw new ConvrouteError('INVALID_ATTRIBUTE', 'axes', undefined, 'unsqueeze needs axes');
  const rank = input.length + (Array.isArray(init.axes) ? init.axes.length : 0);
  const axes = checkAxes('axes', init.axes, rank).sort((x, y) => x - y);
  if (axes.length === 0) throw new ConvrouteError('INVALID_ATTRIBUTE', 'axes', init.axes, 'must name at least one axis');
  const output: number[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) output.push(axes.includes(i) ? 1 : input[j++]);
  checkShape(output, 'output');
  return { input, axes, output };
}

/** Constant padding, ONNX order: pads = [x1_begin, x2_begin, ..., x1_end, x2_end, ...], each >= 0. */
export interface PadSpec {
  readonly input: readonly number[];
  readonly pads: readonly number[];
  /** float32 */
  readonly value: number;
  readonly output: readonly number[];
}
export interface PadSpecInit {
  input: Shape;
  pads: readonly number[];
  value?: number;
}
export const PAD_ATTR_KEYS = ['pads', 'value'] as const;

export function padSpec(init: PadSpecInit): PadSpec {
  const input = checkRankedShape('input', init.input, 1);
  const rank = input.length;
  const pads = checkIntList('pads', init.pads, (f, x) => checkInteger(f, x, 0, 2 ** 31 - 1));
  if (pads.length !== 2 * rank)
    throw new ConvrouteError('INVALID_ATTRIBUTE', 'pads', init.pads, `must hold 2 * rank = ${2 * rank} integers (all begins, then all ends)`);
  const v = init.value ?? 0;
  if (typeof v !== 'number') throw new ConvrouteError('INVALID_ATTRIBUTE', 'value', v, 'must be a number');
  return {
    input,
    pads,
    value: Math.fround(v),
    output: checkOutputShape(
      'pad',
      input.map((d, i) => d + pads[i] + pads[i + rank]),
    ),
  };
}
