import { conv2dExact } from '@convroute/backend-cpu';
import { conv2dSpec, convMethodsFor, shapeSize, Tensor } from '@convroute/core';
import { afterAll, describe, expect, it } from 'vitest';
import { gpuBackendOrSkip } from './gpu.ts';

// Issue 12 (friction): a 1x1 conv with padding is a pointwise conv; padded outputs are the bias alone.
const backend = await gpuBackendOrSkip();
afterAll(() => backend?.dispose());

const ints = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => ((i * 5 + seed * 11) % 7) - 3);

describe.skipIf(!backend)('webgpu pointwise with padding', () => {
  it.each([
    { input: [2, 6, 5, 4], weight: [8, 6, 1, 1], padding: [1, 2, 0, 1], bias: true, activation: 'relu' as const },
    { input: [1, 4, 7, 6], weight: [4, 4, 1, 1], padding: 2, stride: 2, bias: true },
    { input: [1, 3, 3, 3], weight: [5, 3, 1, 1], padding: [0, 0, 3, 0] },
  ])('equals the exact reference bit for bit (%j)', async (init) => {
    const s = conv2dSpec(init);
    expect(convMethodsFor(s)).toContain('pointwise');
    const x = Tensor.fromData(ints(shapeSize(s.input), 1), s.input);
    const w = Tensor.fromData(ints(shapeSize(s.weight), 2), s.weight);
    const b = s.bias ? Tensor.fromData(ints(s.weight[0], 3), [s.weight[0]]) : undefined;
    const y = await backend!.run({ op: 'conv2d', spec: s }, 'pointwise', b ? [x, w, b] : [x, w]);
    expect(Array.from(y.data)).toEqual(Array.from(conv2dExact(s, x, w, b).data));
  });
});
