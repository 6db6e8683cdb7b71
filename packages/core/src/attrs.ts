import { ConvrouteError } from './errors.ts';

/** Activation applied after the final rounding (exact on float32). NaN passes through. */
export type Activation = { kind: 'none' } | { kind: 'relu' } | { kind: 'clamp'; min: number; max: number };

const NO_ACTIVATION: Activation = Object.freeze({ kind: 'none' });

/** The attribute keys each op takes (graph nodes, GraphBuilder, the convroute API). */
export const CONV2D_ATTR_KEYS = ['stride', 'padding', 'dilation', 'groups', 'transposed', 'outputPadding', 'activation'] as const;
export const IM2COL_ATTR_KEYS = ['kernel', 'stride', 'padding', 'dilation', 'groups'] as const;
export const GEMM_ATTR_KEYS = ['transA', 'transB', 'alpha', 'beta', 'activation'] as const;

/** Refuses a key outside `allowed` (a typo such as `strides` must not be dropped silently),
 * naming the key and the allowed keys. */
export function checkKnownKeys(
  field: string,
  obj: object,
  allowed: readonly string[],
  code: 'INVALID_ATTRIBUTE' | 'INVALID_ARGUMENT' = 'INVALID_ATTRIBUTE',
): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key))
      throw new ConvrouteError(code, `${field}.${key}`, (obj as Record<string, unknown>)[key], `unknown key; allowed keys: ${allowed.join(', ')}`);
  }
}

/** Integer attribute checks shared by every op schema. */
export function checkInt(field: string, v: unknown, min: number, rule?: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ConvrouteError('INVALID_ATTRIBUTE', field, v, 'must be a finite number');
  }
  if (!Number.isInteger(v)) throw new ConvrouteError('INVALID_ATTRIBUTE', field, v, 'must be an integer');
  if (v < min) throw new ConvrouteError('INVALID_ATTRIBUTE', field, v, rule ?? `must be >= ${min}`);
  if (v > 2 ** 31 - 1) throw new ConvrouteError('INVALID_ATTRIBUTE', field, v, 'must be below 2^31');
  return v;
}

/** Accepts `v` or `[a, b]` and returns a checked pair. */
export function checkPair(field: string, v: unknown, min: number, rule?: string): [number, number] {
  if (typeof v === 'number') {
    const x = checkInt(field, v, min, rule);
    return [x, x];
  }
  if (!Array.isArray(v) || v.length !== 2) {
    throw new ConvrouteError('INVALID_ATTRIBUTE', field, v, 'must be an integer or a pair [h, w]');
  }
  return [checkInt(`${field}[0]`, v[0], min, rule), checkInt(`${field}[1]`, v[1], min, rule)];
}

/** What 'same' padding needs to know: the extents, kernel, stride and dilation per axis [h, w]. */
export interface PaddingGeometry {
  extent: [number, number];
  kernel: [number, number];
  stride: [number, number];
  dilation: [number, number];
  transposed: boolean;
}

/** Padding as one integer, a pair [ph, pw] (symmetric), four sides [top, left, bottom, right],
 * 'valid' (none) or 'same' (ONNX SAME_UPPER: out = ceil(in / stride), the odd pixel at the
 * bottom/right; equal to PyTorch's 'same' at stride 1; docs/decisions.md). */
export function checkPadding(field: string, v: unknown, geometry?: PaddingGeometry): [number, number, number, number] {
  const rule = 'padding must be >= 0';
  if (v === 'valid') return [0, 0, 0, 0];
  if (v === 'same') {
    if (!geometry) throw new ConvrouteError('INVALID_ATTRIBUTE', field, v, "'same' needs the input and kernel shapes (a conv2d)");
    if (geometry.transposed)
      throw new ConvrouteError('INVALID_ATTRIBUTE', field, v, "'same' is defined for forward convs only; give a transposed conv explicit padding");
    const [top, bottom] = samePads(geometry, 0);
    const [left, right] = samePads(geometry, 1);
    return [top, left, bottom, right];
  }
  if (typeof v === 'number') {
    const p = checkInt(field, v, 0, rule);
    return [p, p, p, p];
  }
  if (Array.isArray(v) && v.length === 2) {
    const [h, w] = checkPair(field, v, 0, rule);
    return [h, w, h, w];
  }
  if (Array.isArray(v) && v.length === 4) {
    return [0, 1, 2, 3].map((i) => checkInt(`${field}[${i}]`, v[i], 0, rule)) as [number, number, number, number];
  }
  throw new ConvrouteError('INVALID_ATTRIBUTE', field, v, "must be an integer, [ph, pw], [top, left, bottom, right], 'same' or 'valid'");
}

/** SAME_UPPER on one axis: the total padding that makes ceil(in / stride) outputs, the larger
 * half after the input. */
function samePads(g: PaddingGeometry, a: 0 | 1): [number, number] {
  const out = Math.ceil(g.extent[a] / g.stride[a]);
  const total = Math.max(0, (out - 1) * g.stride[a] + g.dilation[a] * (g.kernel[a] - 1) + 1 - g.extent[a]);
  const begin = Math.floor(total / 2);
  return [begin, total - begin];
}

export function checkActivation(field: string, v: unknown): Activation {
  if (v === undefined || v === null) return NO_ACTIVATION;
  if (typeof v === 'string') {
    if (v === 'none' || v === 'relu') return { kind: v };
    throw new ConvrouteError('INVALID_ATTRIBUTE', field, v, "must be 'none', 'relu' or { kind: 'clamp', min, max }");
  }
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new ConvrouteError('INVALID_ATTRIBUTE', field, v, "must be 'none', 'relu' or { kind: 'clamp', min, max }");
  }
  const a = v as Record<string, unknown>;
  if (a.kind === 'none' || a.kind === 'relu') return { kind: a.kind };
  if (a.kind !== 'clamp') {
    throw new ConvrouteError('INVALID_ATTRIBUTE', `${field}.kind`, a.kind, "must be 'none', 'relu' or 'clamp'");
  }
  for (const k of ['min', 'max'] as const) {
    if (typeof a[k] !== 'number' || Number.isNaN(a[k])) {
      throw new ConvrouteError('INVALID_ATTRIBUTE', `${field}.${k}`, a[k], 'must be a number (not NaN)');
    }
  }
  const min = Math.fround(a.min as number);
  const max = Math.fround(a.max as number);
  if (min > max) throw new ConvrouteError('INVALID_ATTRIBUTE', `${field}.min`, a.min, `must be <= max (${a.max})`);
  return { kind: 'clamp', min, max };
}

/** Applies an activation to an already-rounded float32 value. */
export function applyActivation(act: Activation, v: number): number {
  if (act.kind === 'none' || Number.isNaN(v)) return v;
  if (act.kind === 'relu') return v < 0 ? 0 : v;
  return v < act.min ? act.min : v > act.max ? act.max : v;
}

export function activationToString(act: Activation): string {
  return act.kind === 'clamp' ? `clamp:${act.min},${act.max}` : act.kind;
}
