import {
  addSpec,
  batchnormalizationSpec,
  clipSpec,
  divSpec,
  hardsigmoidSpec,
  hardswishSpec,
  identitySpec,
  leakyreluSpec,
  matmulSpec,
  mulSpec,
  type OpSpec,
  reluSpec,
  type Shape,
  seededRandom,
  shapeSize,
  sigmoidSpec,
  softmaxSpec,
  subSpec,
  Tensor,
} from '@convroute/core';
import * as fc from 'fast-check';
import { tensorData } from './tensor-data.ts';

/** An issue-13 arithmetic op with its inputs (float data from a seed, as the conv checks draw). */
export interface ArithCase {
  op: OpSpec;
  inputs: Tensor[];
}

export const ARITH_OP_NAMES = [
  'add',
  'sub',
  'mul',
  'div',
  'relu',
  'clip',
  'identity',
  'leakyrelu',
  'hardsigmoid',
  'hardswish',
  'sigmoid',
  'softmax',
  'batchnormalization',
  'matmul',
] as const;
export type ArithOpName = (typeof ARITH_OP_NAMES)[number];

const shapeArb = (maxRank: number) => fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: maxRank });

/** A pair of shapes that broadcast: b is a suffix of a's shape with some extents set to 1 (or the
 * other way round). */
const broadcastPairArb = fc.tuple(shapeArb(4), fc.nat(4), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), fc.boolean()).map(([a, drop, ones, swap]) => {
  const b = a.slice(Math.min(drop, a.length)).map((d, i) => (ones[i] ? 1 : d));
  return swap ? ([b, a] as const) : ([a, b] as const);
});

const f32 = (lo: number, hi: number) => fc.float({ min: Math.fround(lo), max: Math.fround(hi), noNaN: true });

function specArb(name: ArithOpName): fc.Arbitrary<{ op: OpSpec; shapes: Shape[] }> {
  switch (name) {
    case 'add':
    case 'sub':
    case 'mul':
    case 'div': {
      const make = { add: addSpec, sub: subSpec, mul: mulSpec, div: divSpec }[name];
      return broadcastPairArb.map(([a, b]) => ({ op: { op: name, spec: make({ a, b }) } as OpSpec, shapes: [a, b] }));
    }
    case 'matmul':
      return fc
        .record({
          m: fc.integer({ min: 1, max: 6 }),
          n: fc.integer({ min: 1, max: 6 }),
          k: fc.integer({ min: 1, max: 12 }),
          batch: fc.nat(3),
          va: fc.boolean(),
          vb: fc.boolean(),
        })
        .map(({ m, n, k, batch, va, vb }) => {
          const a = va ? [k] : batch === 1 ? [2, 1, m, k] : batch === 2 ? [3, m, k] : [m, k];
          const b = vb ? [k] : batch === 1 ? [3, k, n] : [k, n];
          return { op: { op: 'matmul', spec: matmulSpec({ a, b }) }, shapes: [a, b] };
        });
    case 'softmax':
      return fc.tuple(shapeArb(3), fc.integer({ min: -3, max: 2 })).map(([s, axis]) => {
        const ax = Math.max(-s.length, Math.min(s.length - 1, axis));
        return { op: { op: 'softmax', spec: softmaxSpec({ input: s, axis: ax }) }, shapes: [s] };
      });
    case 'batchnormalization':
      return fc
        .tuple(shapeArb(2), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.constantFrom(1e-5, 1e-3, 0.1))
        .map(([rest, c, n, epsilon]) => {
          const input = [n, c, ...rest];
          return { op: { op: 'batchnormalization', spec: batchnormalizationSpec({ input, epsilon }) }, shapes: [input, [c], [c], [c], [c]] };
        });
    default:
      return fc.tuple(shapeArb(4), f32(-2, 2), f32(-1, 1), f32(-8, 0), f32(0, 8)).map(([input, alpha, beta, lo, hi]) => {
        const spec = {
          relu: () => reluSpec({ input }),
          identity: () => identitySpec({ input }),
          sigmoid: () => sigmoidSpec({ input }),
          hardswish: () => hardswishSpec({ input }),
          clip: () => clipSpec({ input, min: lo, max: hi }),
          leakyrelu: () => leakyreluSpec({ input, alpha }),
          hardsigmoid: () => hardsigmoidSpec({ input, alpha, beta }),
        }[name]();
        return { op: { op: name, spec } as OpSpec, shapes: [input] };
      });
  }
}

/** Input data per op: float data (conformance's mix of ranges), with a scale that keeps the ops in
 * their interesting range (sigmoid and hardswish near their knees); batchnormalization's variance
 * is positive. */
function inputsFor(name: ArithOpName, shapes: Shape[], seed: number, kind: 'float' | 'specials'): Tensor[] {
  return shapes.map((s, i) => {
    const t = tensorData(s, kind, seed + i);
    if (name === 'batchnormalization' && i === 4) {
      const rnd = seededRandom(seed + 99);
      return Tensor.fromData(
        Array.from({ length: shapeSize(s) }, () => Math.fround(0.01 + rnd() * 4)),
        s,
      );
    }
    if (name === 'sigmoid' || name === 'hardswish' || name === 'softmax')
      return Tensor.fromData(
        t.data.map((v) => Math.max(-40, Math.min(40, v * 4))),
        s,
      );
    return t;
  });
}

/** `specials` sprinkles NaN, infinities and -0 into the data (not into batchnormalization's
 * variance): where the exact result is NaN or infinite, an implementation must reproduce it. */
export function arithCaseArb(name: ArithOpName, kind: 'float' | 'specials' = 'float'): fc.Arbitrary<ArithCase> {
  return fc.tuple(specArb(name), fc.integer({ min: 0, max: 2 ** 30 })).map(([{ op, shapes }, seed]) => ({ op, inputs: inputsFor(name, shapes, seed, kind) }));
}
