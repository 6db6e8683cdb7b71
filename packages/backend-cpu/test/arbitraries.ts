import { type Conv2dSpec, type Conv2dSpecInit, conv2dSpec, shapeSize, Tensor } from '@convroute/core';
import fc from 'fast-check';

/** Small conv specs of every class: sliding window, pointwise, depthwise, grouped, transposed;
 * batch up to 2, four-sided padding, dilation, stride, output padding, bias, activations. */
export const convSpecArb: fc.Arbitrary<Conv2dSpec> = fc
  .record({
    kind: fc.constantFrom('sliding', 'pointwise', 'depthwise', 'grouped', 'transposed'),
    n: fc.integer({ min: 1, max: 2 }),
    cg: fc.integer({ min: 1, max: 3 }),
    og: fc.integer({ min: 1, max: 3 }),
    groups: fc.integer({ min: 1, max: 3 }),
    h: fc.integer({ min: 1, max: 7 }),
    w: fc.integer({ min: 1, max: 7 }),
    kH: fc.integer({ min: 1, max: 3 }),
    kW: fc.integer({ min: 1, max: 3 }),
    stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    padding: fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)),
    op: fc.tuple(fc.nat(2), fc.nat(2)),
    bias: fc.boolean(),
    act: fc.constantFrom<Conv2dSpecInit['activation'] | 'clamp'>('none', 'relu', 'clamp'),
  })
  .map((r) => {
    const activation = r.act === 'clamp' ? { kind: 'clamp' as const, min: -0.5, max: 0.75 } : (r.act as 'none' | 'relu');
    const base = { bias: r.bias, activation, stride: r.stride, dilation: r.dilation, padding: r.padding };
    const g = r.groups;
    switch (r.kind) {
      case 'pointwise':
        // with padding: padded output positions are the bias alone (issue 12)
        return { input: [r.n, r.cg * 2, r.h + 1, r.w + 1], weight: [r.og * 2, r.cg * 2, 1, 1], bias: r.bias, activation, stride: r.stride, padding: r.padding };
      case 'depthwise': {
        const c = r.cg * g;
        return { ...base, input: [r.n, c, r.h + 2, r.w + 2], weight: [c, 1, r.kH, r.kW], groups: c };
      }
      case 'grouped':
        return { ...base, input: [r.n, r.cg * g, r.h + 2, r.w + 2], weight: [r.og * g, r.cg, r.kH, r.kW], groups: g };
      case 'transposed':
        return {
          ...base,
          input: [r.n, r.cg * g, r.h, r.w],
          weight: [r.cg * g, r.og, r.kH, r.kW],
          groups: g,
          transposed: true,
          outputPadding: [r.op[0] % Math.max(r.stride[0], r.dilation[0]), r.op[1] % Math.max(r.stride[1], r.dilation[1])],
        };
      default:
        return { ...base, input: [r.n, r.cg, r.h + 2, r.w + 2], weight: [r.og, r.cg, r.kH, r.kW] };
    }
  })
  .filter((init) => {
    try {
      conv2dSpec(init as Conv2dSpecInit);
      return true;
    } catch {
      return false;
    }
  })
  .map((init) => conv2dSpec(init as Conv2dSpecInit));

/** float32 values: plain random, small integers, signed powers of two (sums of these often land
 * exactly on float32 midpoints), and large values with near-cancelling partners. */
export const valueArb: fc.Arbitrary<number> = fc.oneof(
  fc.float({ min: -4, max: 4, noNaN: true }),
  fc.integer({ min: -8, max: 8 }),
  fc.tuple(fc.integer({ min: -30, max: 30 }), fc.boolean()).map(([e, neg]) => (neg ? -1 : 1) * 2 ** e),
  fc.tuple(fc.integer({ min: 0, max: 2 ** 24 - 1 }), fc.integer({ min: -10, max: 10 })).map(([m, e]) => m * 2 ** e),
);

export function tensorArb(shape: readonly number[]): fc.Arbitrary<Tensor> {
  const n = shapeSize(shape);
  return fc.array(valueArb, { minLength: n, maxLength: n }).map((v) => Tensor.fromData(Float32Array.from(v), shape));
}

export interface ConvCase {
  spec: Conv2dSpec;
  x: Tensor;
  w: Tensor;
  b?: Tensor;
}

export const convCaseArb: fc.Arbitrary<ConvCase> = convSpecArb.chain((spec) => {
  const cOut = spec.transposed ? spec.weight[1] * spec.groups : spec.weight[0];
  return fc.record({
    spec: fc.constant(spec),
    x: tensorArb(spec.input),
    w: tensorArb(spec.weight),
    b: spec.bias ? tensorArb([cOut]) : fc.constant(undefined),
  });
});
