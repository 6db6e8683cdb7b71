import { type Conv2dSpec, conv2dOutputShape, conv2dReductionLength, conv2dSpec, Tensor } from '@convroute/core';
import * as fc from 'fast-check';
import { type Conv2dSpecArbOptions, conv2dSpecArb } from '../arbitraries/conv2d-spec.ts';
import { dataSeedArb, smallIntBound, smallIntData, tensorData } from '../arbitraries/tensor-data.ts';
import { naiveConv2d } from './naive-conv.ts';
import { expectSame, type Relation } from './relation.ts';
import { axpby, dot, scaled } from './tensor-ops.ts';

const intTensor = (shape: readonly number[], seed: number, bound: number) =>
  Tensor.fromData(
    smallIntData(
      shape.reduce((a, b) => a * b, 1),
      seed,
      bound,
    ),
    shape,
  );
const coefficient = fc.integer({ min: -3, max: 3 });

/** conv(a x1 + b x2, w) = a conv(x1, w) + b conv(x2, w) (or likewise in w), exactly: small
 * integers chosen so both sides are integers below 2^24. */
function linearity(which: 'input' | 'weights', o: Conv2dSpecArbOptions): Relation<{ spec: Conv2dSpec; a: number; b: number; seed: number }> {
  return {
    name: `linearity in the ${which}`,
    why: 'conv is bilinear; exact arithmetic on small integers makes it hold bitwise',
    arb: fc.record({ spec: conv2dSpecArb({ ...o, bias: false, activations: false }), a: coefficient, b: coefficient, seed: dataSeedArb }),
    specOf: (c) => c.spec,
    async check(oracle, { spec, a, b, seed }) {
      const bound = smallIntBound(conv2dReductionLength(spec), 8, 6); // |a x1 + b x2| <= 6 B
      const varying = which === 'input' ? spec.input : spec.weight;
      const fixed = intTensor(which === 'input' ? spec.weight : spec.input, seed, bound);
      const v1 = intTensor(varying, seed + 1, bound);
      const v2 = intTensor(varying, seed + 2, bound);
      const combined = Tensor.fromData(Float32Array.from(axpby(a, v1.data, b, v2.data)), varying);
      const run = (v: Tensor) => (which === 'input' ? oracle.conv2d(spec, v, fixed) : oracle.conv2d(spec, fixed, v));
      const [y, y1, y2] = [await run(combined), await run(v1), await run(v2)];
      expectSame(`${oracle.name}: conv(${a} v1 + ${b} v2) vs ${a} conv(v1) + ${b} conv(v2)`, y.data, axpby(a, y1.data, b, y2.data), y.shape);
    },
  };
}

/** Power-of-two scaling and negation commute with correctly rounded sums: bitwise on float data
 * (exponents kept far from overflow and underflow). */
function scaling(o: Conv2dSpecArbOptions): Relation<{ spec: Conv2dSpec; k: number; negate: boolean; seed: number }> {
  return {
    name: 'power-of-two scaling and negation',
    why: 'R(2^k s) = 2^k R(s) and R(-s) = -R(s): checks the rounding path on general floats',
    arb: fc.record({ spec: conv2dSpecArb({ ...o, activations: false }), k: fc.integer({ min: -8, max: 8 }), negate: fc.boolean(), seed: dataSeedArb }),
    specOf: (c) => c.spec,
    async check(oracle, { spec, k, negate, seed }) {
      const x = tensorData(spec.input, 'float', seed);
      const w = tensorData(spec.weight, 'float', seed + 1);
      const b = spec.bias ? tensorData([conv2dOutputShape(spec)[1]], 'float', seed + 2) : undefined;
      const s = (negate ? -1 : 1) * 2 ** k;
      const y = await oracle.conv2d(spec, x, w, b);
      const ys = await oracle.conv2d(spec, scaled(x, s), w, b && scaled(b, s));
      expectSame(
        `${oracle.name}: conv(${s} x, w, ${s} b) vs ${s} conv(x, w, b)`,
        ys.data,
        y.data.map((v) => v * s),
        y.shape,
      );
    },
  };
}

/** <conv(x, w), y> = <x, convT(y, w)>: the transposed conv is the adjoint of the forward conv
 * with the same weights, stride, padding, dilation and groups, and output padding chosen so the
 * shapes meet. Links the two directions of the reference through an identity. */
function adjoint(o: Conv2dSpecArbOptions): Relation<{ spec: Conv2dSpec; seed: number }> {
  return {
    name: 'adjoint identity <conv(x,w), y> = <x, convT(y,w)>',
    why: 'conv-transpose2d is the adjoint of conv2d (PyTorch semantics)',
    arb: fc.record({
      spec: conv2dSpecArb({ ...o, classes: ['Depthwise', 'Pointwise', 'SlidingWindow'], bias: false, activations: false }),
      seed: dataSeedArb,
    }),
    specOf: (c) => c.spec,
    async check(oracle, { spec, seed }) {
      const [, , hOut, wOut] = conv2dOutputShape(spec);
      const op = [0, 1].map(
        (a) => (spec.input[2 + a] + spec.padding[a] + spec.padding[a + 2] - spec.dilation[a] * (spec.weight[2 + a] - 1) - 1) % spec.stride[a],
      );
      const t = conv2dSpec({ ...spec, input: [spec.input[0], spec.weight[0], hOut, wOut], transposed: true, outputPadding: op });
      const bound = smallIntBound(Math.max(conv2dReductionLength(spec), conv2dReductionLength(t)), 8);
      const x = intTensor(spec.input, seed, bound);
      const w = intTensor(spec.weight, seed + 1, bound);
      const y = intTensor([spec.input[0], spec.weight[0], hOut, wOut], seed + 2, bound);
      const forward = await oracle.conv2d(spec, x, w);
      const backward = await oracle.conv2d(t, y, w);
      if (backward.shape.join() !== spec.input.join()) throw new Error(`convT output [${backward.shape}] is not x's shape [${spec.input}]`);
      const lhs = dot(forward.data, y.data);
      const rhs = dot(x.data, backward.data);
      if (lhs !== rhs || Math.abs(lhs) >= 2 ** 53)
        throw new Error(`${oracle.name}: <conv(x,w), y> = ${lhs} but <x, convT(y,w)> = ${rhs} (convT: output padding ${op})`);
    },
  };
}

/** The reference against docs/semantics.md's formulas transcribed literally in float64 (exact on small
 * integers): an independent implementation, including bias, activation and transposed. */
function naive(o: Conv2dSpecArbOptions): Relation<{ spec: Conv2dSpec; seed: number }> {
  return {
    name: 'agrees with a literal float64 transcription on small integers',
    why: 'a second implementation, written from the formulas, exact on this data',
    arb: fc.record({ spec: conv2dSpecArb(o), seed: dataSeedArb }),
    specOf: (c) => c.spec,
    async check(oracle, { spec, seed }) {
      const bound = smallIntBound(conv2dReductionLength(spec));
      const x = intTensor(spec.input, seed, bound);
      const w = intTensor(spec.weight, seed + 1, bound);
      const b = spec.bias ? intTensor([conv2dOutputShape(spec)[1]], seed + 2, bound) : undefined;
      const y = await oracle.conv2d(spec, x, w, b);
      expectSame(`${oracle.name} vs naive float64`, y.data, naiveConv2d(spec, x, w, b).data, y.shape);
    },
  };
}

export function algebraicRelations(o: Conv2dSpecArbOptions = {}): Relation<never>[] {
  return [linearity('input', o), linearity('weights', o), scaling(o), adjoint(o), naive(o)] as unknown as Relation<never>[];
}
