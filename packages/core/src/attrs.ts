import { ConvrouteError } from './errors.ts';

/** Activation applied after the final rounding (exact on float32). NaN passes through. */
export type Activation = { kind: 'none' } | { kind: 'relu' } | { kind: 'clamp'; min: number; max: number };

export const NO_ACTIVATION: Activation = Object.freeze({ kind: 'none' });

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

/** Padding as one integer, a pair [ph, pw] (symmetric) or four sides [top, left, bottom, right]. */
export function checkPadding(field: string, v: unknown): [number, number, number, number] {
  const rule = 'padding must be >= 0';
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
  throw new ConvrouteError('INVALID_ATTRIBUTE', field, v, 'must be an integer, [ph, pw] or [top, left, bottom, right]');
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
