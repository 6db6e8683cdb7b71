import { ConvrouteError } from './errors.ts';
import { checkFloat32, checkOutputShape, checkRankedShape } from './op-attrs.ts';
import type { Shape } from './tensor.ts';

/** Binary elementwise ops with NumPy/ONNX multidirectional broadcasting: y = a (op) b. */
type BinaryOpName = 'add' | 'sub' | 'mul' | 'div';

export interface BinarySpec {
  readonly a: readonly number[];
  readonly b: readonly number[];
  /** derived: the broadcast shape */
  readonly output: readonly number[];
}

export interface BinarySpecInit {
  a: Shape;
  b: Shape;
}

/** NumPy broadcasting: align the shapes at their last axis; each pair of extents is equal or one
 * of them is 1 (a missing leading axis counts as 1). */
export function broadcastShapes(a: Shape, b: Shape, field = 'b'): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ConvrouteError(
        'SHAPE_MISMATCH',
        field,
        [...b],
        `cannot broadcast [${a.join(', ')}] with [${b.join(', ')}]: axis ${i} of the result has extents ${da} and ${db} (each pair must be equal or one of them 1)`,
      );
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** ONNX unidirectional broadcasting: `from` broadcasts to `to` without changing it. */
export function checkBroadcastsTo(field: string, from: Shape, to: Shape): void {
  const ok = from.length <= to.length && from.every((d, i) => d === 1 || d === to[to.length - from.length + i]);
  if (!ok) throw new ConvrouteError('SHAPE_MISMATCH', field, [...from], `must broadcast to [${to.join(', ')}] (each extent equal or 1, rank <= ${to.length})`);
}

function binarySpec(op: BinaryOpName, init: BinarySpecInit): BinarySpec {
  const a = checkRankedShape('a', init.a, 0);
  const b = checkRankedShape('b', init.b, 0);
  return { a, b, output: checkOutputShape(op, broadcastShapes(a, b)) };
}

export const addSpec = (init: BinarySpecInit): BinarySpec => binarySpec('add', init);
export const subSpec = (init: BinarySpecInit): BinarySpec => binarySpec('sub', init);
export const mulSpec = (init: BinarySpecInit): BinarySpec => binarySpec('mul', init);
export const divSpec = (init: BinarySpecInit): BinarySpec => binarySpec('div', init);

/** Unary elementwise ops without attributes: relu, sigmoid, hardswish, identity. Output shape = input. */
export interface UnarySpec {
  readonly input: readonly number[];
}

export interface UnarySpecInit {
  input: Shape;
}

function unarySpec(init: UnarySpecInit): UnarySpec {
  return { input: checkRankedShape('input', init.input, 0) };
}

export const reluSpec = (init: UnarySpecInit): UnarySpec => unarySpec(init);
export const sigmoidSpec = (init: UnarySpecInit): UnarySpec => unarySpec(init);
export const hardswishSpec = (init: UnarySpecInit): UnarySpec => unarySpec(init);
/** ONNX Identity, and Dropout in inference (the importer maps it here). */
export const identitySpec = (init: UnarySpecInit): UnarySpec => unarySpec(init);

/** y = max(0, min(1, alpha * x + beta)); alpha and beta are float32 (ONNX defaults 0.2, 0.5). */
export interface HardsigmoidSpec extends UnarySpec {
  readonly alpha: number;
  readonly beta: number;
}
export interface HardsigmoidSpecInit extends UnarySpecInit {
  alpha?: number;
  beta?: number;
}
export const HARDSIGMOID_ATTR_KEYS = ['alpha', 'beta'] as const;

export function hardsigmoidSpec(init: HardsigmoidSpecInit): HardsigmoidSpec {
  return { ...unarySpec(init), alpha: checkFloat32('alpha', init.alpha, Math.fround(0.2)), beta: checkFloat32('beta', init.beta, 0.5) };
}

/** y = x >= 0 ? x : alpha * x; alpha float32 (ONNX default 0.01). */
export interface LeakyreluSpec extends UnarySpec {
  readonly alpha: number;
}
export interface LeakyreluSpecInit extends UnarySpecInit {
  alpha?: number;
}
export const LEAKYRELU_ATTR_KEYS = ['alpha'] as const;

export function leakyreluSpec(init: LeakyreluSpecInit): LeakyreluSpec {
  return { ...unarySpec(init), alpha: checkFloat32('alpha', init.alpha, Math.fround(0.01)) };
}

/** y = min(max(x, min), max), NaN passes through; bounds are float32, -Infinity / +Infinity when
 * absent (graph JSON says null). ONNX's min/max inputs are folded into these attributes on import. */
export interface ClipSpec extends UnarySpec {
  readonly min: number;
  readonly max: number;
}
export interface ClipSpecInit extends UnarySpecInit {
  min?: number | null;
  max?: number | null;
}
export const CLIP_ATTR_KEYS = ['min', 'max'] as const;

export function clipSpec(init: ClipSpecInit): ClipSpec {
  const bound = (f: 'min' | 'max', none: number): number => {
    const v = init[f];
    if (v === undefined || v === null) return none;
    if (typeof v !== 'number' || Number.isNaN(v)) throw new ConvrouteError('INVALID_ATTRIBUTE', f, v, 'must be a number (not NaN) or null for none');
    return Math.fround(v);
  };
  const min = bound('min', -Infinity);
  const max = bound('max', Infinity);
  // ONNX leaves min > max to the runtime (ORT gives max); refused here rather than guessed.
  if (min > max) throw new ConvrouteError('INVALID_ATTRIBUTE', 'min', init.min, `must be <= max (${init.max})`);
  return { ...unarySpec(init), min, max };
}
