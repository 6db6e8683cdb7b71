import { conv2dReductionLength, conv2dSpec, shapeSize, Tensor, uniformData } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { setCertifiedFastPath } from '../src/exact/certify.ts';
import { conv2dAbs, conv2dExact, conv2dFast, cpuConvMethodsFor } from '../src/index.ts';

// Shapes large enough to cross the GEMM cache blocks (K > 256, M > 128, N not a multiple of 4).
describe('larger shapes cross the GEMM blocking', () => {
  it('exact methods agree bit for bit with each other and with the fallback; fast is within the bound', () => {
    const spec = conv2dSpec({ input: [2, 32, 9, 7], weight: [132, 32, 3, 3], padding: [1, 0, 2, 1], bias: true });
    const x = Tensor.fromData(uniformData(shapeSize(spec.input), 11), spec.input);
    const w = Tensor.fromData(uniformData(shapeSize(spec.weight), 12), spec.weight);
    const b = Tensor.fromData(uniformData(132, 13), [132]);
    const ref = conv2dExact(spec, x, w, b, 'direct').data;
    for (const m of cpuConvMethodsFor(spec)) expect(Array.from(conv2dExact(spec, x, w, b, m).data), m).toEqual(Array.from(ref));
    setCertifiedFastPath(false);
    try {
      expect(Array.from(conv2dExact(spec, x, w, b, 'im2col-gemm').data)).toEqual(Array.from(ref));
    } finally {
      setCertifiedFastPath(true);
    }
    const abs = conv2dAbs(spec, x, w, b).data;
    const n = conv2dReductionLength(spec);
    const u = 2 ** -24;
    const gamma = (n * u) / (1 - n * u);
    for (const m of cpuConvMethodsFor(spec)) {
      const fast = conv2dFast(spec, x, w, b, m).data;
      for (let i = 0; i < fast.length; i++) {
        expect(Math.abs(fast[i] - ref[i])).toBeLessThanOrEqual(gamma * abs[i] + u * Math.abs(ref[i]) + n * 2 ** -126);
      }
    }
  });
});
