import { describe, expect, it } from 'vitest';
import { type Conv2dSpecInit, ConvrouteError, conv2dFlops, conv2dOutputShape, conv2dSpec, convMethodsFor } from '../src/index.ts';

function rejects(init: Conv2dSpecInit, code: string, field: string): ConvrouteError {
  try {
    conv2dSpec(init);
  } catch (e) {
    expect(e).toBeInstanceOf(ConvrouteError);
    const err = e as ConvrouteError;
    expect(err.code).toBe(code);
    expect(err.field).toBe(field);
    expect(err.message).toContain(field);
    return err;
  }
  throw new Error(`expected ${code} on ${field}`);
}

const base = { input: [1, 4, 8, 8], weight: [6, 4, 3, 3] };

describe('conv2dSpec', () => {
  it('normalises shorthands and defaults', () => {
    const s = conv2dSpec({ ...base, padding: 1, stride: [2, 1] });
    expect(s.padding).toEqual([1, 1, 1, 1]);
    expect(s.stride).toEqual([2, 1]);
    expect(s.dilation).toEqual([1, 1]);
    expect(s.activation).toEqual({ kind: 'none' });
    expect(conv2dSpec({ ...base, padding: [1, 2] }).padding).toEqual([1, 2, 1, 2]);
  });

  it('infers output shapes by the formulas of docs/semantics.md', () => {
    // H_out = floor((8 + 1 + 2 - 2*(3-1) - 1) / 2) + 1 = 4; W_out = floor((8 + 0 + 0 - 1*2 - 1)/1) + 1 = 6
    const s = conv2dSpec({ ...base, padding: [1, 0, 2, 0], stride: [2, 1], dilation: [2, 1] });
    expect(conv2dOutputShape(s)).toEqual([1, 6, 4, 6]);
    // transposed: (4-1)*2 - 1 - 0 + 1*(3-1) + 1 + 1 = 9
    const t = conv2dSpec({ input: [2, 4, 4, 4], weight: [4, 3, 3, 3], groups: 2, transposed: true, stride: 2, padding: [1, 0, 0, 0], outputPadding: 1 });
    expect(conv2dOutputShape(t)).toEqual([2, 6, 9, 10]);
    expect(conv2dFlops(conv2dSpec(base))).toBe(2 * 6 * 6 * 6 * 4 * 9);
  });

  it('rejects each impossible attribute with its field', () => {
    rejects({ ...base, stride: 0 }, 'INVALID_ATTRIBUTE', 'stride');
    rejects({ ...base, stride: [1, -2] }, 'INVALID_ATTRIBUTE', 'stride[1]');
    rejects({ ...base, dilation: 0 }, 'INVALID_ATTRIBUTE', 'dilation');
    rejects({ ...base, padding: -1 }, 'INVALID_ATTRIBUTE', 'padding');
    rejects({ ...base, padding: [0, 0, -1, 0] }, 'INVALID_ATTRIBUTE', 'padding[2]');
    rejects({ ...base, padding: [1, 2, 3] }, 'INVALID_ATTRIBUTE', 'padding');
    rejects({ ...base, stride: 1.5 }, 'INVALID_ATTRIBUTE', 'stride');
    rejects({ ...base, stride: Number.NaN }, 'INVALID_ATTRIBUTE', 'stride');
    rejects({ ...base, padding: Number.POSITIVE_INFINITY }, 'INVALID_ATTRIBUTE', 'padding');
    rejects({ ...base, groups: 3 }, 'INVALID_ATTRIBUTE', 'groups');
    rejects({ input: [1, 4, 8, 8], weight: [6, 2, 3, 3], groups: 4 }, 'INVALID_ATTRIBUTE', 'groups'); // 4 does not divide C_out 6
    rejects({ input: [1, 4, 8, 8], weight: [6, 3, 3, 3] }, 'SHAPE_MISMATCH', 'weight[1]');
    rejects({ ...base, outputPadding: 1 }, 'INVALID_ATTRIBUTE', 'outputPadding');
    rejects({ input: [1, 4, 4, 4], weight: [4, 2, 3, 3], transposed: true, stride: 2, outputPadding: [2, 0] }, 'INVALID_ATTRIBUTE', 'outputPadding[0]');
    rejects({ input: [1, 4, 4, 4], weight: [3, 2, 3, 3], transposed: true }, 'SHAPE_MISMATCH', 'weight[0]');
    rejects({ ...base, activation: { kind: 'clamp', min: 2, max: 1 } }, 'INVALID_ATTRIBUTE', 'activation.min');
    rejects({ ...base, activation: 'gelu' as never }, 'INVALID_ATTRIBUTE', 'activation');
    rejects({ ...base, input: [1, 4, 0, 8] }, 'SHAPE_MISMATCH', 'input[2]');
    rejects({ ...base, input: [1, 4, 8] }, 'SHAPE_MISMATCH', 'input');
  });

  it('rejects empty outputs and tensors too large to index', () => {
    const e = rejects({ input: [1, 4, 2, 8], weight: [6, 4, 3, 3] }, 'EMPTY_OUTPUT', 'output H');
    expect(e.rule).toContain('effective kernel 3');
    rejects({ input: [1, 4, 5, 8], weight: [6, 4, 3, 3], dilation: [3, 1] }, 'EMPTY_OUTPUT', 'output H');
    rejects({ input: [1, 4, 1, 1], weight: [4, 4, 3, 3], transposed: true, padding: [2, 0, 2, 0] }, 'EMPTY_OUTPUT', 'output H');
    rejects({ input: [65536, 1, 256, 256], weight: [1, 1, 1, 1] }, 'TOO_LARGE', 'input');
    rejects({ input: [1, 1, 8, 8], weight: [1, 1, 1, 1], transposed: true, stride: 40000 }, 'TOO_LARGE', 'output');
  });

  it('lists the methods that can compute each class', () => {
    expect(convMethodsFor(conv2dSpec(base))).toEqual(['direct', 'im2col-gemm', 'implicit-gemm', 'winograd-2x3', 'winograd-4x3']);
    expect(convMethodsFor(conv2dSpec({ input: [1, 4, 8, 8], weight: [6, 4, 1, 1] }))).toContain('pointwise');
    expect(convMethodsFor(conv2dSpec({ input: [1, 4, 8, 8], weight: [8, 2, 1, 1], groups: 2 }))).not.toContain('pointwise');
    expect(convMethodsFor(conv2dSpec({ input: [1, 4, 8, 8], weight: [4, 1, 3, 3], groups: 4 }))).toContain('depthwise');
    expect(convMethodsFor(conv2dSpec({ input: [1, 4, 8, 8], weight: [4, 1, 3, 3], transposed: true }))).toEqual(['transposed']);
  });
});
