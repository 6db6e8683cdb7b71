import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactAccumulator, MAX_FLOAT32, nextDown32, nextUp32, roundUp32 } from '../src/index.ts';
import { fcParams } from './fc-params.ts';
import { decompose, exactSum, roundToFloat32 } from './oracle.ts';

const sum = (...terms: number[]) => {
  const a = new ExactAccumulator();
  for (const t of terms) a.add(t);
  return a.round();
};

describe('ExactAccumulator', () => {
  it('rounds once, to nearest, ties to even', () => {
    expect(sum(1, 2 ** -24)).toBe(1); // exact midpoint, 1 is even
    expect(sum(1, 2 ** -24, 2 ** -60)).toBe(1 + 2 ** -23); // just above the midpoint
    expect(sum(1, 2 ** -24, -(2 ** -60))).toBe(1); // just below
    expect(sum(1 + 2 ** -23, 2 ** -24)).toBe(1 + 2 ** -22); // midpoint, odd candidate: round up
    expect(sum(2 ** -24, 1)).toBe(1); // order does not matter
    // double rounding trap: fl64(1 + 2^-24 + 2^-80) = 1 + 2^-24, a float32 midpoint
    expect(sum(1, 2 ** -80, 2 ** -24)).toBe(1 + 2 ** -23);
  });

  it('cancels exactly', () => {
    expect(sum(2 ** 100, 1, -(2 ** 100))).toBe(1);
    expect(sum(1e30, 3, -1e30, 2 ** -70)).toBe(Math.fround(3 + 2 ** -70));
    expect(Object.is(sum(1, -1), 0)).toBe(true);
    expect(Object.is(sum(-(2 ** -200)), 0)).toBe(true); // underflow to zero is returned as +0
  });

  it('overflows to infinity on rounding, and only then', () => {
    expect(sum(MAX_FLOAT32, 2 ** 103)).toBe(Number.POSITIVE_INFINITY); // midpoint to 2^128: even side is infinity
    expect(sum(MAX_FLOAT32, 2 ** 103, -(2 ** -100))).toBe(MAX_FLOAT32);
    expect(sum(2 ** 127, 2 ** 127)).toBe(Number.POSITIVE_INFINITY);
    expect(sum(-(2 ** 127), -(2 ** 127), 2 ** 104)).toBe(-MAX_FLOAT32);
    const a = new ExactAccumulator();
    for (let i = 0; i < 4; i++) a.addProduct(MAX_FLOAT32, MAX_FLOAT32);
    a.addProduct(-MAX_FLOAT32, MAX_FLOAT32).addProduct(-MAX_FLOAT32, MAX_FLOAT32);
    a.addProduct(-MAX_FLOAT32, MAX_FLOAT32).addProduct(-MAX_FLOAT32, MAX_FLOAT32);
    a.add(3);
    expect(a.round()).toBe(3);
  });

  it('rounds subnormal results correctly', () => {
    expect(sum(2 ** -150)).toBe(0); // tie between 0 and 2^-149: 0 is even
    expect(sum(2 ** -150, 2 ** -200)).toBe(2 ** -149);
    expect(sum(3 * 2 ** -150)).toBe(2 ** -148); // tie between 2^-149 (odd) and 2^-148 (even)
    expect(sum(2 ** -130, 2 ** -149)).toBe(2 ** -130 + 2 ** -149);
    expect(sum(2 ** -126, -(2 ** -149))).toBe(2 ** -126 - 2 ** -149);
    const a = new ExactAccumulator().addProduct(2 ** -75, 2 ** -75).addProduct(2 ** -75, 2 ** -75);
    expect(a.round()).toBe(2 ** -149);
  });

  it('follows IEEE for special values', () => {
    expect(sum(1, Number.NaN)).toBeNaN();
    expect(sum(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY)).toBeNaN();
    expect(sum(Number.POSITIVE_INFINITY, 1, Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(sum(-1, Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
    expect(new ExactAccumulator().addProduct(0, Number.POSITIVE_INFINITY).round()).toBeNaN();
    expect(new ExactAccumulator().round()).toBe(0);
  });

  it('multiplies non-float32 operands exactly (TwoProduct)', () => {
    const a = 1 + 2 ** -40;
    // (1 + 2^-40)^2 = 1 + 2^-39 + 2^-80; minus 1 + 2^-39 leaves 2^-80
    expect(
      new ExactAccumulator()
        .addProduct(a, a)
        .add(-1)
        .add(-(2 ** -39))
        .round(),
    ).toBe(2 ** -80);
  });

  it('agrees with a BigInt oracle on random terms with wide exponent ranges', () => {
    const term = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e30, max: 1e30 }),
      fc.tuple(fc.integer({ min: -200, max: 120 }), fc.boolean()).map(([e, neg]) => (neg ? -1 : 1) * 2 ** e),
      fc.float({ noNaN: true, noDefaultInfinity: true }).map((v) => v),
    );
    fc.assert(
      fc.property(fc.array(term, { minLength: 0, maxLength: 60 }), (terms) => {
        const want = roundToFloat32(exactSum(terms.map(decompose)));
        expect(sum(...terms)).toBe(want);
      }),
      fcParams('accumulator vs oracle', 400),
    );
  });

  it('handles long expansions (terms spread over 600 binades)', () => {
    const terms: number[] = [];
    for (let e = -280; e <= 280; e += 7) terms.push(2 ** e * (e % 2 === 0 ? 1 : -1), 2 ** (e + 3));
    expect(sum(...terms)).toBe(roundToFloat32(exactSum(terms.map(decompose))));
  });
});

describe('float32 helpers', () => {
  it('steps between float32 neighbours', () => {
    expect(nextUp32(1)).toBe(1 + 2 ** -23);
    expect(nextDown32(1)).toBe(1 - 2 ** -24);
    expect(nextUp32(0)).toBe(2 ** -149);
    expect(nextUp32(MAX_FLOAT32)).toBe(Number.POSITIVE_INFINITY);
    expect(nextDown32(-MAX_FLOAT32)).toBe(Number.NEGATIVE_INFINITY);
    expect(roundUp32(1 + 2 ** -30)).toBe(1 + 2 ** -23);
    expect(roundUp32(1)).toBe(1);
    expect(roundUp32(-(1 + 2 ** -30))).toBe(-1);
  });
});
