import { describe, expect, it } from 'vitest';
import {
  addSpec,
  batchnormalizationSpec,
  broadcastShapes,
  clipSpec,
  divSpec,
  gemmIsPlain,
  gemmOutputShape,
  gemmSpec,
  hardsigmoidSpec,
  hardswishSpec,
  identitySpec,
  leakyreluSpec,
  matmulSpec,
  mulSpec,
  reluSpec,
  sigmoidSpec,
  softmaxSpec,
  subSpec,
} from '../src/index.ts';
import { refuses } from './refuses.ts';

describe('binary elementwise ops broadcast as NumPy/ONNX', () => {
  it('aligns trailing axes; 1 and missing axes stretch', () => {
    expect(addSpec({ a: [2, 3, 4, 5], b: [5] }).output).toEqual([2, 3, 4, 5]);
    expect(subSpec({ a: [2, 1, 4, 1], b: [3, 1, 6] }).output).toEqual([2, 3, 4, 6]);
    expect(mulSpec({ a: [], b: [1, 64, 7, 7] }).output).toEqual([1, 64, 7, 7]);
    expect(divSpec({ a: [1, 64, 1, 1], b: [1, 64, 7, 7] }).output).toEqual([1, 64, 7, 7]);
    expect(broadcastShapes([], [])).toEqual([]);
  });

  it('refuses extents that are neither equal nor 1, naming both shapes', () => {
    const e = refuses(() => addSpec({ a: [2, 3], b: [4, 3] }), 'SHAPE_MISMATCH', 'b');
    expect(e.rule).toContain('[2, 3]');
    expect(e.rule).toContain('[4, 3]');
    refuses(() => mulSpec({ a: [2, 0], b: [2] }), 'SHAPE_MISMATCH', 'a[1]');
    refuses(() => divSpec({ a: [2 ** 16, 2 ** 16], b: [1] }), 'TOO_LARGE', 'a');
    refuses(() => divSpec({ a: [2 ** 16, 1], b: [2 ** 16] }), 'TOO_LARGE', 'div.output');
  });
});

describe('unary ops', () => {
  it('keep the input shape; attrs default as ONNX and are float32', () => {
    for (const make of [reluSpec, sigmoidSpec, hardswishSpec, identitySpec]) expect(make({ input: [1, 3, 2] }).input).toEqual([1, 3, 2]);
    expect(hardsigmoidSpec({ input: [2] })).toEqual({ input: [2], alpha: Math.fround(0.2), beta: 0.5 });
    expect(hardsigmoidSpec({ input: [2], alpha: 1 / 6 }).alpha).toBe(Math.fround(1 / 6));
    expect(leakyreluSpec({ input: [2] }).alpha).toBe(Math.fround(0.01));
    expect(clipSpec({ input: [2] })).toMatchObject({ min: -Infinity, max: Infinity });
    expect(clipSpec({ input: [2], min: 0, max: 6 })).toMatchObject({ min: 0, max: 6 });
    expect(clipSpec({ input: [2], min: null, max: 0.1 })).toMatchObject({ min: -Infinity, max: Math.fround(0.1) });
  });

  it('refuse bad attributes', () => {
    refuses(() => hardsigmoidSpec({ input: [2], alpha: Number.NaN }), 'INVALID_ATTRIBUTE', 'alpha');
    refuses(() => leakyreluSpec({ input: [2], alpha: Infinity }), 'INVALID_ATTRIBUTE', 'alpha');
    refuses(() => clipSpec({ input: [2], min: 6, max: 0 }), 'INVALID_ATTRIBUTE', 'min');
    refuses(() => clipSpec({ input: [2], max: Number.NaN }), 'INVALID_ATTRIBUTE', 'max');
    refuses(() => clipSpec({ input: [2], min: '0' as unknown as number }), 'INVALID_ATTRIBUTE', 'min');
    refuses(() => reluSpec({ input: [2, 1.5] }), 'SHAPE_MISMATCH', 'input[1]');
  });
});

describe('batchnormalization and softmax', () => {
  it('batchnormalization: C is axis 1, epsilon float32', () => {
    expect(batchnormalizationSpec({ input: [2, 5, 3, 3] })).toEqual({ input: [2, 5, 3, 3], epsilon: Math.fround(1e-5), channels: 5 });
    expect(batchnormalizationSpec({ input: [4, 7], epsilon: 1e-3 }).channels).toBe(7);
    refuses(() => batchnormalizationSpec({ input: [4] }), 'SHAPE_MISMATCH', 'input');
    refuses(() => batchnormalizationSpec({ input: [4, 2], epsilon: -1 }), 'INVALID_ATTRIBUTE', 'epsilon');
  });

  it('softmax: axis defaults to -1 and is normalised', () => {
    expect(softmaxSpec({ input: [2, 3, 4] }).axis).toBe(2);
    expect(softmaxSpec({ input: [2, 3, 4], axis: -3 }).axis).toBe(0);
    expect(softmaxSpec({ input: [2, 3, 4], axis: 1 }).axis).toBe(1);
    refuses(() => softmaxSpec({ input: [2, 3, 4], axis: 3 }), 'INVALID_ATTRIBUTE', 'axis');
    refuses(() => softmaxSpec({ input: [2, 3, 4], axis: -4 }), 'INVALID_ATTRIBUTE', 'axis');
    refuses(() => softmaxSpec({ input: [2], axis: 0.5 }), 'INVALID_ATTRIBUTE', 'axis');
  });
});

describe('matmul (numpy.matmul)', () => {
  it('broadcasts batch axes and handles 1-D operands', () => {
    expect(matmulSpec({ a: [3, 4], b: [4, 5] })).toMatchObject({ output: [3, 5], m: 3, k: 4, n: 5, batch: [] });
    expect(matmulSpec({ a: [2, 1, 3, 4], b: [6, 4, 5] })).toMatchObject({ output: [2, 6, 3, 5], batch: [2, 6] });
    expect(matmulSpec({ a: [4], b: [4, 5] }).output).toEqual([5]);
    expect(matmulSpec({ a: [2, 3, 4], b: [4] }).output).toEqual([2, 3]);
    expect(matmulSpec({ a: [4], b: [4] }).output).toEqual([]);
  });

  it('refuses a K mismatch and batch axes that do not broadcast', () => {
    refuses(() => matmulSpec({ a: [3, 4], b: [5, 6] }), 'SHAPE_MISMATCH', 'b[0]');
    refuses(() => matmulSpec({ a: [3, 4], b: [5] }), 'SHAPE_MISMATCH', 'b[0]');
    refuses(() => matmulSpec({ a: [2, 3, 4], b: [3, 4, 5] }), 'SHAPE_MISMATCH', 'b');
    refuses(() => matmulSpec({ a: [], b: [3] }), 'SHAPE_MISMATCH', 'a');
  });
});

describe('gemm gains alpha, beta and a bias broadcast to [M, N]', () => {
  it('keeps the plain gemm (alpha = beta = 1, bias [N]) as it was', () => {
    const s = gemmSpec({ a: [3, 4], b: [4, 5], bias: true });
    expect(s).toMatchObject({ bias: true, biasShape: [5], alpha: 1, beta: 1 });
    expect(gemmIsPlain(s)).toBe(true);
    expect(gemmIsPlain(gemmSpec({ a: [3, 4], b: [4, 5] }))).toBe(true);
    expect(gemmSpec({ a: [3, 4], b: [4, 5] }).biasShape).toBeNull();
    expect(gemmOutputShape(s)).toEqual([3, 5]);
  });

  it('accepts every bias shape ONNX broadcasts to [M, N]', () => {
    for (const biasShape of [[], [1], [5], [1, 5], [3, 1], [3, 5], [1, 1]]) {
      const s = gemmSpec({ a: [3, 4], b: [4, 5], biasShape });
      expect(s.biasShape).toEqual(biasShape);
      expect(s.bias).toBe(true);
    }
    expect(gemmIsPlain(gemmSpec({ a: [3, 4], b: [4, 5], biasShape: [1, 5] }))).toBe(true);
    expect(gemmIsPlain(gemmSpec({ a: [3, 4], b: [4, 5], biasShape: [3, 1] }))).toBe(false);
    expect(gemmIsPlain(gemmSpec({ a: [3, 4], b: [4, 5], alpha: 0.5 }))).toBe(false);
    expect(gemmSpec({ a: [3, 4], b: [4, 5], alpha: 0.1, beta: 2 })).toMatchObject({ alpha: Math.fround(0.1), beta: 2 });
  });

  it('refuses bias shapes that do not broadcast and non-finite factors', () => {
    refuses(() => gemmSpec({ a: [3, 4], b: [4, 5], biasShape: [3] }), 'SHAPE_MISMATCH', 'bias');
    refuses(() => gemmSpec({ a: [3, 4], b: [4, 5], biasShape: [2, 5] }), 'SHAPE_MISMATCH', 'bias');
    refuses(() => gemmSpec({ a: [3, 4], b: [4, 5], biasShape: [1, 3, 5] }), 'SHAPE_MISMATCH', 'bias');
    refuses(() => gemmSpec({ a: [3, 4], b: [4, 5], bias: false, biasShape: [5] }), 'INVALID_ATTRIBUTE', 'biasShape');
    refuses(() => gemmSpec({ a: [3, 4], b: [4, 5], alpha: Infinity }), 'INVALID_ATTRIBUTE', 'alpha');
    refuses(() => gemmSpec({ a: [3, 4], b: [4, 5], beta: Number.NaN }), 'INVALID_ATTRIBUTE', 'beta');
  });
});
