import type { Conv2dSpec } from '@convroute/core';
import type * as fc from 'fast-check';
import { compareWithBound } from '../compare.ts';
import type { ConvOracle } from '../reference.ts';

/** A metamorphic relation: generated cases, and a check that throws when the oracle breaks it.
 * Checks the reference by something other than itself (docs/error-model.md, "How it is checked"). */
export interface Relation<T> {
  name: string;
  why: string;
  arb: fc.Arbitrary<T>;
  /** The conv a case is about, for the failure message's command line. */
  specOf(c: T): Conv2dSpec;
  check(oracle: ConvOracle, c: T): Promise<void>;
}

/** Throws unless `actual` equals `expected` bitwise (NaN = NaN, -0 = +0). */
export function expectSame(label: string, actual: Float32Array | Float64Array, expected: Float32Array | Float64Array, shape: readonly number[]): void {
  const a = actual instanceof Float32Array ? actual : Float32Array.from(actual);
  const e = expected instanceof Float32Array ? expected : Float32Array.from(expected);
  if (actual instanceof Float64Array && !actual.every((v, i) => v === a[i]))
    throw new Error(`${label}: left side is not exact in float32 (test data too large)`);
  if (expected instanceof Float64Array && !expected.every((v, i) => v === e[i]))
    throw new Error(`${label}: right side is not exact in float32 (test data too large)`);
  const r = compareWithBound(a, e, undefined, 1, { bitwise: true, shape, label });
  if (!r.ok) throw new Error(r.message);
}
