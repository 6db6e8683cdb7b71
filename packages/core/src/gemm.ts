import { type Activation, checkActivation } from './attrs.ts';
import { ConvrouteError } from './errors.ts';
import { checkBroadcastsTo } from './ops-elementwise.ts';
import { checkShape, MAX_ELEMENTS, type Shape } from './tensor.ts';

/** Y[b, m, n] = act(R(alpha * sum_k op(A)[b, m, k] * op(B)[b, k, n] + beta * C[m, n])) (ONNX Gemm).
 * A is [batch?, M, K] ([batch?, K, M] when transA); B is [batch?, K, N] ([batch?, N, K] when
 * transB); the bias C broadcasts to [M, N] (scalar, [N], [1, N], [M, 1], [M, N]); Y is
 * [batch?, M, N]. Rank 2 or 3, the same for A and B. alpha = beta = 1 and a bias [N] is the plain
 * GEMM every backend runs; exact mode's rounding of alpha and beta: docs/semantics.md. */
export interface GemmSpec {
  readonly a: readonly number[];
  readonly b: readonly number[];
  readonly transA: boolean;
  readonly transB: boolean;
  readonly bias: boolean;
  /** The bias's shape when `bias` ([N] unless given), else null. */
  readonly biasShape: readonly number[] | null;
  /** float32 (ONNX default 1) */
  readonly alpha: number;
  readonly beta: number;
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
  /** The bias's shape when it is not [N]: anything that broadcasts to [M, N]. Implies `bias`. */
  biasShape?: Shape;
  alpha?: number;
  beta?: number;
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
  if (init.biasShape !== undefined) {
    if (init.bias === false) throw new ConvrouteError('INVALID_ATTRIBUTE', 'biasShape', init.biasShape, 'is given, but bias is false');
    if (!Array.isArray(init.biasShape)) throw new ConvrouteError('SHAPE_MISMATCH', 'biasShape', init.biasShape, 'must be an array of extents');
    checkShape(init.biasShape, 'biasShape');
    checkBroadcastsTo('bias', init.biasShape, [m, n]);
  }
  const bias = init.bias === true || init.biasShape !== undefined;
  return {
    a: [...a],
    b: [...b],
    transA,
    transB,
    bias,
    biasShape: bias ? [...(init.biasShape ?? [n])] : null,
    alpha: gemmFactor('alpha', init.alpha),
    beta: gemmFactor('beta', init.beta),
    activation: checkActivation('activation', init.activation),
    batch,
    m,
    n,
    k,
  };
}

function gemmFactor(field: string, v: unknown): number {
  if (v === undefined) return 1;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConvrouteError('INVALID_ATTRIBUTE', field, v, 'must be a finite number');
  return Math.fround(v);
}

/** True for the plain GEMM (alpha = beta = 1, no bias or a bias of N values, [N] or [1, N]) that
 * the original kernels run; other gemms need a backend that implements alpha, beta and broadcasting. */
export function gemmIsPlain(spec: GemmSpec): boolean {
  const row = spec.biasShape === null || (spec.biasShape.length >= 1 && spec.biasShape.slice(0, -1).every((d) => d === 1) && spec.biasShape.at(-1) === spec.n);
  return spec.alpha === 1 && spec.beta === 1 && row;
}

export function gemmOutputShape(spec: GemmSpec): number[] {
  return spec.a.length === 3 ? [spec.batch, spec.m, spec.n] : [spec.m, spec.n];
}
