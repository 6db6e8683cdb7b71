import { applyActivation, CONV_METHOD_DESCRIPTORS, conv2dReductionLength } from '@convroute/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { setCertifiedFastPath } from '../src/exact/certify.ts';
import { conv2dAbs, conv2dExact, conv2dFast, cpuConvMethodsFor } from '../src/index.ts';
import { type ConvCase, convCaseArb } from './arbitraries.ts';
import { fcParams } from './fc-params.ts';
import { oracleConv } from './oracle.ts';

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** docs/error-model.md's bound for n float32 terms: |y - y_exact| <= gamma(n) A + u |y_exact| + n 2^-126. */
function errorBound(n: number, a: number, yExact: number): number {
  const u = 2 ** -24;
  const gamma = (n * u) / (1 - n * u);
  return gamma * a + u * Math.abs(yExact) + n * 2 ** -126;
}

const describeCase = (c: ConvCase) => JSON.stringify({ ...c.spec, x: Array.from(c.x.data), w: Array.from(c.w.data), b: c.b && Array.from(c.b.data) });

afterEach(() => setCertifiedFastPath(true));

describe('conv2d exact mode', () => {
  it('every method agrees bit for bit, with and without the float64 fast path', () => {
    fc.assert(
      fc.property(convCaseArb, (c) => {
        const methods = cpuConvMethodsFor(c.spec);
        const ref = bits(conv2dExact(c.spec, c.x, c.w, c.b, methods[0]).data);
        for (const m of methods) {
          setCertifiedFastPath(true);
          expect(bits(conv2dExact(c.spec, c.x, c.w, c.b, m).data), `${m} ${describeCase(c)}`).toEqual(ref);
          setCertifiedFastPath(false);
          expect(bits(conv2dExact(c.spec, c.x, c.w, c.b, m).data), `${m} (fallback only) ${describeCase(c)}`).toEqual(ref);
        }
      }),
      fcParams('methods agree', 300),
    );
  });

  it('equals the BigInt oracle (midpoints and cancellation included)', () => {
    fc.assert(
      fc.property(convCaseArb, (c) => {
        const want = oracleConv(c.spec, c.x.data, c.w.data, c.b?.data).data.map((v) => applyActivation(c.spec.activation, v));
        for (const m of cpuConvMethodsFor(c.spec)) {
          expect(bits(conv2dExact(c.spec, c.x, c.w, c.b, m).data), `${m} ${describeCase(c)}`).toEqual(bits(want));
        }
      }),
      fcParams('exact vs oracle', 250),
    );
  });
});

describe('conv2d fast mode', () => {
  it('stays within the error bound of docs/error-model.md and is deterministic', () => {
    fc.assert(
      fc.property(convCaseArb, (c) => {
        const n = conv2dReductionLength(c.spec);
        const noAct = { ...c.spec, activation: { kind: 'none' as const } };
        const exact = conv2dExact(noAct, c.x, c.w, c.b).data;
        const abs = conv2dAbs(noAct, c.x, c.w, c.b).data;
        for (const m of cpuConvMethodsFor(c.spec)) {
          const fast = conv2dFast(noAct, c.x, c.w, c.b, m).data;
          expect(bits(conv2dFast(noAct, c.x, c.w, c.b, m).data)).toEqual(bits(fast));
          // Winograd's transforms mix a tile's inputs, so its error is not bounded by its own
          // window's sum |w x|: it has its own bound (docs/winograd-bound.md), held in
          // @convroute/conformance's winograd-bound.test.ts on this backend.
          const reordering = CONV_METHOD_DESCRIPTORS.find((d) => d.name === m)?.errorModel === 'reordering';
          for (let i = 0; reordering && i < fast.length; i++) {
            const err = Math.abs(fast[i] - exact[i]);
            if (!(err <= errorBound(n, abs[i], exact[i]))) {
              throw new Error(`${m} element ${i}: fast ${fast[i]} exact ${exact[i]} A ${abs[i]} ${describeCase(c)}`);
            }
          }
          const withAct = conv2dFast(c.spec, c.x, c.w, c.b, m).data;
          expect(bits(withAct)).toEqual(bits(fast.map((v) => applyActivation(c.spec.activation, v))));
        }
      }),
      fcParams('fast within bound', 250),
    );
  });

  it('abs conv bounds |b| + sum |w x| from above', () => {
    fc.assert(
      fc.property(convCaseArb, (c) => {
        const ax = { ...c.x, data: c.x.data.map(Math.abs) };
        const aw = c.w.data.map(Math.abs);
        const ab = c.b?.data.map(Math.abs);
        const want = oracleConv(c.spec, ax.data, aw, ab).data; // nearest; abs must be >= and at most one step above
        const got = conv2dAbs(c.spec, c.x, c.w, c.b).data;
        for (let i = 0; i < got.length; i++) {
          expect(got[i]).toBeGreaterThanOrEqual(want[i]);
          expect(got[i]).toBeLessThanOrEqual(want[i] * (1 + 2 ** -21) + 2 ** -140);
        }
      }),
      fcParams('abs conv', 60),
    );
  });
});
