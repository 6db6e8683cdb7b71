import {
  CONV_CLASSES,
  CONV_METHODS,
  classifyConv,
  conv2dOutputShape,
  conv2dReductionLength,
  conv2dSpec,
  convMethodRejection,
  gemmSpec,
  im2colOutputShape,
  im2colSpec,
} from '@convroute/core';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conv2dInputs, conv2dSpecArb, conv2dSpecInitArb, dataSeedArb, fcParams, gemmSpecArb, im2colSpecArb, smallIntBound } from '../src/index.ts';

describe('conv2d spec arbitraries', () => {
  it('every generated init passes core validation, with a non-empty output', () => {
    fc.assert(
      fc.property(conv2dSpecInitArb(), (init) => {
        const spec = conv2dSpec(init);
        const out = conv2dOutputShape(spec);
        expect(out.every((d) => d >= 1)).toBe(true);
      }),
      fcParams('spec init validity', {}, 500),
    );
  });

  for (const cls of CONV_CLASSES) {
    it(`class restriction '${cls}' yields only that class`, () => {
      fc.assert(
        fc.property(conv2dSpecArb({ classes: [cls] }), (spec) => classifyConv(spec) === cls),
        fcParams(`class ${cls}`, {}, 200),
      );
    });
  }

  for (const method of CONV_METHODS) {
    it(`method restriction '${method}' meets convMethodRejection by construction`, () => {
      // conv2dSpecInitArb is the unfiltered generator: its output must already satisfy the method.
      fc.assert(
        fc.property(conv2dSpecInitArb({ method }), (init) => convMethodRejection(method, conv2dSpec(init)) === null),
        fcParams(`method ${method}`, {}, 200),
      );
    });
  }

  it('covers every class, transposed output padding, asymmetric pads and grouped convs', () => {
    const seen = new Set<string>();
    for (const spec of fc.sample(conv2dSpecArb(), { numRuns: 2000, seed: 1 })) {
      seen.add(classifyConv(spec));
      if (spec.transposed && spec.outputPadding.some((p) => p > 0)) seen.add('output-padding');
      if (spec.padding[0] !== spec.padding[2] || spec.padding[1] !== spec.padding[3]) seen.add('asymmetric');
      if (spec.groups > 1 && !spec.transposed && classifyConv(spec) === 'SlidingWindow') seen.add('grouped');
      if (spec.transposed && spec.groups > 1) seen.add('grouped-transposed');
      if (spec.input[2] < spec.weight[2]) seen.add('kernel-larger-than-input');
      if (spec.stride[0] > spec.weight[2]) seen.add('stride-larger-than-kernel');
      if (spec.activation.kind !== 'none') seen.add('activation');
    }
    expect([...seen].sort()).toEqual(
      [
        ...CONV_CLASSES,
        'output-padding',
        'asymmetric',
        'grouped',
        'grouped-transposed',
        'kernel-larger-than-input',
        'stride-larger-than-kernel',
        'activation',
      ].sort(),
    );
  });

  it('shrinks toward small shapes', () => {
    // A property failing on any conv with more than 1 output channel shrinks to a minimal one.
    const r = fc.check(
      fc.property(conv2dSpecArb({ classes: ['SlidingWindow'] }), (s) => conv2dOutputShape(s)[1] < 2),
      { seed: 7, numRuns: 200 },
    );
    expect(r.failed).toBe(true);
    const [spec] = r.counterexample!;
    expect(spec.input[0]).toBe(1);
    expect(spec.weight[0]).toBe(2);
    expect(spec.stride).toEqual([1, 1]);
    expect(spec.dilation).toEqual([1, 1]);
  });
});

describe('im2col and gemm arbitraries', () => {
  it('im2col specs validate', () => {
    fc.assert(
      fc.property(im2colSpecArb(), (s) => {
        im2colSpec({ ...s });
        return im2colOutputShape(s).every((d) => d >= 1);
      }),
      fcParams('im2col validity', {}, 200),
    );
  });
  it('gemm specs validate', () => {
    fc.assert(
      fc.property(gemmSpecArb(), (s) => {
        gemmSpec({ a: s.a, b: s.b, transA: s.transA, transB: s.transB, bias: s.bias, activation: s.activation });
      }),
      fcParams('gemm validity', {}, 200),
    );
  });
});

describe('tensor data', () => {
  it('small-integer data keeps every partial sum below 2^24', () => {
    fc.assert(
      fc.property(conv2dSpecArb({ maxChannelsPerGroup: 8 }), dataSeedArb, (spec, seed) => {
        const [x, w, b] = conv2dInputs(spec, 'small-int', seed);
        const maxAbs = (d: Float32Array) => d.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        const bound = Math.max(maxAbs(x.data), maxAbs(w.data), b ? maxAbs(b.data) : 0);
        expect(conv2dReductionLength(spec) * bound * bound).toBeLessThan(2 ** 24);
        expect([...x.data, ...w.data].every(Number.isInteger)).toBe(true);
      }),
      fcParams('small-int bound'),
    );
  });
  it('smallIntBound handles long reductions', () => {
    expect(smallIntBound(9)).toBe(8);
    expect(smallIntBound(8193)).toBe(8);
    expect(smallIntBound(2 ** 20)).toBe(3); // 4 * 4 * 2^20 = 2^24 is one too many
    expect(smallIntBound(2 ** 22 + 1)).toBe(1);
    expect(() => smallIntBound(2 ** 24)).toThrow(/too long/);
  });
  it('specials appear in x and bias, never in weights', () => {
    const spec = conv2dSpec({ input: [1, 4, 8, 8], weight: [4, 4, 3, 3], bias: true });
    const [x, w] = conv2dInputs(spec, 'specials', 3);
    expect(x.data.some((v) => !Number.isFinite(v))).toBe(true);
    expect(w.data.every(Number.isFinite)).toBe(true);
  });
});
