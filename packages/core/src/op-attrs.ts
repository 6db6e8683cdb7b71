import { ConvrouteError } from './errors.ts';
import { checkShape, MAX_ELEMENTS } from './tensor.ts';

/** Attribute and shape checks the issue-13 op schemas share (ops-*.ts). */

/** A shape of at least `minRank` extents (rank 0 is a scalar). */
export function checkRankedShape(field: string, s: unknown, minRank: number, maxRank = 8): number[] {
  if (!Array.isArray(s) || s.length < minRank || s.length > maxRank) {
    throw new ConvrouteError('SHAPE_MISMATCH', field, s, `must be a shape of rank ${minRank} to ${maxRank}`);
  }
  checkShape(s, field);
  return [...s];
}

/** Refuses an output that cannot be indexed with 32-bit indices or has an empty extent. */
export function checkOutputShape(op: string, out: readonly number[]): number[] {
  out.forEach((d, i) => {
    if (d < 1) throw new ConvrouteError('EMPTY_OUTPUT', `${op}.output[${i}]`, d, 'the output would be empty');
  });
  const n = out.reduce((a, b) => a * b, 1);
  if (n > MAX_ELEMENTS) throw new ConvrouteError('TOO_LARGE', `${op}.output`, [...out], `at most ${MAX_ELEMENTS} (2^31 - 1) elements can be indexed`);
  return [...out];
}

/** An ONNX axis in [-rank, rank - 1] (or [-rank, rank] with `inclusive`), normalised to >= 0. */
export function checkAxis(field: string, v: unknown, rank: number, inclusive = false): number {
  const hi = inclusive ? rank : rank - 1;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -rank || v > hi) {
    throw new ConvrouteError('INVALID_ATTRIBUTE', field, v, `must be an integer axis in [${-rank}, ${hi}] for rank ${rank}`);
  }
  return v < 0 ? v + rank : v;
}

/** A list of distinct axes, normalised to >= 0 (the order given is kept). */
export function checkAxes(field: string, v: unknown, rank: number): number[] {
  if (!Array.isArray(v)) throw new ConvrouteError('INVALID_ATTRIBUTE', field, v, 'must be an array of integer axes');
  const axes = v.map((a, i) => checkAxis(`${field}[${i}]`, a, rank));
  axes.forEach((a, i) => {
    if (axes.indexOf(a) !== i) throw new ConvrouteError('INVALID_ATTRIBUTE', `${field}[${i}]`, v[i], `names axis ${a} twice`);
  });
  return axes;
}

/** An ONNX float attribute: a finite number, rounded to float32 as ONNX stores it. */
export function checkFloat32(field: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConvrouteError('INVALID_ATTRIBUTE', field, v, 'must be a finite number');
  return Math.fround(v);
}

export function checkBool(field: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new ConvrouteError('INVALID_ATTRIBUTE', field, v, 'must be a boolean');
  return v;
}

/** One of a string enum's values. */
export function checkEnum<T extends string>(field: string, v: unknown, allowed: readonly T[], dflt: T): T {
  if (v === undefined) return dflt;
  if (typeof v !== 'string' || !allowed.includes(v as T)) {
    throw new ConvrouteError('INVALID_ATTRIBUTE', field, v, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return v as T;
}

/** An integer list (ONNX INTS); each element checked by `each`. */
export function checkIntList(field: string, v: unknown, each: (f: string, x: unknown) => number): number[] {
  if (!Array.isArray(v)) throw new ConvrouteError('INVALID_ATTRIBUTE', field, v, 'must be an array of integers');
  return v.map((x, i) => each(`${field}[${i}]`, x));
}

/** A plain integer (may be negative), safe for shape arithmetic. */
export function checkInteger(field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ConvrouteError('INVALID_ATTRIBUTE', field, v, `must be an integer in [${min}, ${max}]`);
  }
  return v;
}
