import { type Activation, checkActivation } from './attrs.ts';
import { ConvrouteError } from './errors.ts';
import { checkShape, MAX_ELEMENTS, type Shape } from './tensor.ts';

/** Y[b, m, n] = act(R(sum_k op(A)[b, m, k] * op(B)[b, k, n] + bias[n])).
 * A is [batch?, M, K] ([batch?, K, M] when transA); B is [batch?, K, N] ([batch?, N, K] when
 * transB); bias is [N]; Y is [batch?, M, N]. Rank 2 or 3, the same for A and B. */
export interface GemmSpec {
  readonly a: readonly number[];
  readonly b: readonly number[];
  readonly transA: boolean;
  readonly transB: boolean;
  readonly bias: boolean;
  readonly activation: Activation;
  /** derived */
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
}

export interface GemmSpecInit {
  a: Shape;
  b: Shape;
  transA?: boolean;
  transB?: boolean;
  bias?: boolean;
  activation?: Activation | 'none' | 'relu';
}

export function gemmSpec(init: GemmSpecInit): GemmSpec {
  for (const f of ['a', 'b'] as const) {
    const s = init[f];
    if (!Array.isArray(s) || (s.length !== 2 && s.length !== 3)) {
      throw new ConvrouteError('SHAPE_MISMATCH', f, s, 'must be a 2-D [rows, cols] or 3-D [batch, rows, cols] shape');
    }
    checkShape(s, f);
  }
  const { a, b } = init;
  if (a.length !== b.length) throw new ConvrouteError('SHAPE_MISMATCH', 'b', b, `must have the same rank as a (${a.length})`);
  for (const f of ['transA', 'transB', 'bias'] as const) {
    if (init[f] !== undefined && typeof init[f] !== 'boolean') throw new ConvrouteError('INVALID_ATTRIBUTE', f, init[f], 'must be a boolean');
  }
  const transA = init.transA ?? false;
  const transB = init.transB ?? false;
  const r = a.length - 2;
  const batch = r === 1 ? a[0] : 1;
  if (r === 1 && b[0] !== batch) throw new ConvrouteError('SHAPE_MISMATCH', 'b[0]', b[0], `batch must equal a[0] = ${batch}`);
  const m = transA ? a[r + 1] : a[r];
  const k = transA ? a[r] : a[r + 1];
  const kb = transB ? b[r + 1] : b[r];
  const n = transB ? b[r] : b[r + 1];
  if (kb !== k) throw new ConvrouteError('SHAPE_MISMATCH', `b[${transB ? r + 1 : r}]`, kb, `the reduction extent K must equal op(A)'s K = ${k}`);
  if (batch * m * n > MAX_ELEMENTS) throw new ConvrouteError('TOO_LARGE', 'output', [batch, m, n], `at most ${MAX_ELEMENTS} elements can be indexed`);
  return {
    a: [...a],
    b: [...b],
    transA,
    transB,
    bias: init.bias ?? false,
    activation: checkActivation('activation', init.activation),
    batch,
    m,
    n,
    k,
  };
}

export function gemmOutputShape(spec: GemmSpec): number[] {
  return spec.a.length === 3 ? [spec.batch, spec.m, spec.n] : [spec.m, spec.n];
}
