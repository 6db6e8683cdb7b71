import { ConvrouteError } from './errors.ts';
import { checkOutputShape, checkRankedShape } from './op-attrs.ts';
import { broadcastShapes } from './ops-elementwise.ts';
import type { Shape } from './tensor.ts';

/** ONNX MatMul (numpy.matmul): a [..., M, K] x b [..., K, N] -> [..., M, N] with the batch axes
 * broadcast; a 1-D a is [1, K] and a 1-D b is [K, 1], their added axis removed from the output. */
export interface MatmulSpec {
  readonly a: readonly number[];
  readonly b: readonly number[];
  /** derived */
  readonly output: readonly number[];
  /** the broadcast batch shape (may be []) */
  readonly batch: readonly number[];
  readonly m: number;
  readonly n: number;
  readonly k: number;
}
export interface MatmulSpecInit {
  a: Shape;
  b: Shape;
}

export function matmulSpec(init: MatmulSpecInit): MatmulSpec {
  const a = checkRankedShape('a', init.a, 1);
  const b = checkRankedShape('b', init.b, 1);
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  const [m, k] = a2.slice(-2);
  const [kb, n] = b2.slice(-2);
  if (kb !== k)
    throw new ConvrouteError('SHAPE_MISMATCH', `b[${b.length === 1 ? 0 : b.length - 2}]`, kb, `the reduction extent K must equal a's last extent ${k}`);
  let batch: number[];
  try {
    batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2));
  } catch {
    throw new ConvrouteError('SHAPE_MISMATCH', 'b', b, `batch axes [${a2.slice(0, -2).join(', ')}] and [${b2.slice(0, -2).join(', ')}] do not broadcast`);
  }
  const out = [...batch, ...(a.length === 1 ? [] : [m]), ...(b.length === 1 ? [] : [n])];
  return { a, b, output: checkOutputShape('matmul', out), batch, m, n, k };
}
