import { describe, expect, it } from 'vitest';
import {
  averagepoolSpec,
  concatSpec,
  flattenSpec,
  globalaveragepoolSpec,
  maxpoolSpec,
  padSpec,
  poolOutputExtent,
  reducemeanSpec,
  reshapeSpec,
  resizeSpec,
  squeezeSpec,
  transposeSpec,
  unsqueezeSpec,
} from '../src/index.ts';
import { refuses } from './refuses.ts';

describe('pooling output shapes (ONNX / PyTorch formulas)', () => {
  it('floor mode: floor((in + pads - dilation * (k - 1) - 1) / stride) + 1', () => {
    // ResNet's stem pool: 112 -> 56 with k 3, stride 2, pad 1
    expect(maxpoolSpec({ input: [1, 64, 112, 112], kernel: 3, stride: 2, padding: 1 }).output).toEqual([1, 64, 56, 56]);
    expect(averagepoolSpec({ input: [1, 2, 7, 9], kernel: [3, 2], stride: [2, 3], padding: [1, 0, 0, 1], dilation: [1, 2] }).output).toEqual([1, 2, 3, 3]);
    expect(poolOutputExtent(4, 3, 2, 0, 0, 1, false)).toBe(1);
  });

  it('ceil mode rounds up, but drops a last window that would start in the end padding', () => {
    // SqueezeNet's pools: 111 -> 55 with k 3, stride 2, ceil mode (floor gives 55 too); 55 -> 27
    expect(maxpoolSpec({ input: [1, 96, 111, 111], kernel: 3, stride: 2, ceilMode: true }).output).toEqual([1, 96, 55, 55]);
    expect(maxpoolSpec({ input: [1, 1, 4, 4], kernel: 3, stride: 2, ceilMode: true }).output).toEqual([1, 1, 2, 2]);
    expect(maxpoolSpec({ input: [1, 1, 4, 4], kernel: 3, stride: 2 }).output).toEqual([1, 1, 1, 1]);
    // in 5, k 2, stride 2, pads 1+1: windows start at -1, 1, 3 and 5; 5 is end padding, so 3 windows
    expect(poolOutputExtent(5, 2, 2, 1, 1, 1, true)).toBe(3);
    expect(maxpoolSpec({ input: [1, 1, 5, 5], kernel: 2, stride: 2, padding: 1, ceilMode: true }).output).toEqual([1, 1, 3, 3]);
    // in 6, k 2, stride 2, pads 1+1: the window at 5 starts inside the input (5 < 6 + 1): kept
    expect(poolOutputExtent(6, 2, 2, 1, 1, 1, true)).toBe(4);
    expect(poolOutputExtent(6, 2, 2, 1, 1, 1, false)).toBe(4);
    expect(poolOutputExtent(5, 2, 2, 0, 0, 1, true)).toBe(3);
  });

  it('averagepool keeps countIncludePad; defaults as ONNX', () => {
    const s = averagepoolSpec({ input: [1, 1, 4, 4], kernel: 2 });
    expect(s).toMatchObject({ stride: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1], ceilMode: false, countIncludePad: false, output: [1, 1, 3, 3] });
    expect(averagepoolSpec({ input: [1, 1, 4, 4], kernel: 2, countIncludePad: true }).countIncludePad).toBe(true);
  });

  it('refuses bad pooling attributes', () => {
    refuses(() => maxpoolSpec({ input: [1, 1, 4], kernel: 2 }), 'SHAPE_MISMATCH', 'input');
    refuses(() => maxpoolSpec({ input: [1, 1, 4, 4], kernel: 0 }), 'INVALID_ATTRIBUTE', 'kernel');
    refuses(() => maxpoolSpec({ input: [1, 1, 4, 4], kernel: 2, padding: [0, 2, 0, 0] }), 'INVALID_ATTRIBUTE', 'padding[1]');
    refuses(() => maxpoolSpec({ input: [1, 1, 2, 2], kernel: 3 }), 'EMPTY_OUTPUT', 'maxpool.output[2]');
    refuses(() => maxpoolSpec({ input: [1, 1, 4, 4], kernel: 2, ceilMode: 1 as unknown as boolean }), 'INVALID_ATTRIBUTE', 'ceilMode');
    refuses(() => averagepoolSpec({ input: [1, 1, 4, 4], kernel: 2, countIncludePad: 'yes' as unknown as boolean }), 'INVALID_ATTRIBUTE', 'countIncludePad');
  });

  it('globalaveragepool and reducemean', () => {
    expect(globalaveragepoolSpec({ input: [2, 512, 7, 7] }).output).toEqual([2, 512, 1, 1]);
    refuses(() => globalaveragepoolSpec({ input: [2, 512] }), 'SHAPE_MISMATCH', 'input');
    expect(reducemeanSpec({ input: [2, 3, 4, 5], axes: [-1, 2] })).toMatchObject({ axes: [2, 3], keepdims: true, output: [2, 3, 1, 1] });
    expect(reducemeanSpec({ input: [2, 3, 4, 5], axes: [2, 3], keepdims: false }).output).toEqual([2, 3]);
    expect(reducemeanSpec({ input: [2, 3], keepdims: false })).toMatchObject({ axes: [0, 1], output: [] });
    refuses(() => reducemeanSpec({ input: [2, 3], axes: [1, -1] }), 'INVALID_ATTRIBUTE', 'axes[1]');
    refuses(() => reducemeanSpec({ input: [2, 3], axes: [2] }), 'INVALID_ATTRIBUTE', 'axes[0]');
    refuses(() => reducemeanSpec({ input: [2, 3], axes: [] }), 'INVALID_ATTRIBUTE', 'axes');
  });
});

describe('shape ops', () => {
  it('concat sums the axis, the rest must agree', () => {
    expect(
      concatSpec({
        inputs: [
          [1, 64, 7, 7],
          [1, 32, 7, 7],
        ],
        axis: 1,
      }),
    ).toMatchObject({ axis: 1, output: [1, 96, 7, 7] });
    expect(
      concatSpec({
        inputs: [
          [2, 3],
          [2, 4],
          [2, 1],
        ],
        axis: -1,
      }).output,
    ).toEqual([2, 8]);
    refuses(
      () =>
        concatSpec({
          inputs: [
            [1, 64, 7, 7],
            [1, 32, 6, 7],
          ],
          axis: 1,
        }),
      'SHAPE_MISMATCH',
      'inputs[1]',
    );
    refuses(
      () =>
        concatSpec({
          inputs: [
            [2, 3],
            [2, 3, 1],
          ],
          axis: 0,
        }),
      'SHAPE_MISMATCH',
      'inputs[1]',
    );
    refuses(() => concatSpec({ inputs: [[2, 3]], axis: 2 }), 'INVALID_ATTRIBUTE', 'axis');
    refuses(() => concatSpec({ inputs: [], axis: 0 }), 'SHAPE_MISMATCH', 'inputs');
  });

  it('reshape: 0 copies, -1 is inferred', () => {
    expect(reshapeSpec({ input: [2, 3, 4], shape: [0, -1] }).output).toEqual([2, 12]);
    expect(reshapeSpec({ input: [2, 3, 4], shape: [4, 0, 2] }).output).toEqual([4, 3, 2]);
    expect(reshapeSpec({ input: [1, 512, 1, 1], shape: [1, -1] }).output).toEqual([1, 512]);
    expect(reshapeSpec({ input: [1, 1], shape: [] }).output).toEqual([]);
    refuses(() => reshapeSpec({ input: [2, 3, 4], shape: [-1, -1] }), 'INVALID_ATTRIBUTE', 'shape');
    refuses(() => reshapeSpec({ input: [2, 3, 4], shape: [5, -1] }), 'SHAPE_MISMATCH', 'shape');
    refuses(() => reshapeSpec({ input: [2, 3, 4], shape: [2, 3, 5] }), 'SHAPE_MISMATCH', 'shape');
    refuses(() => reshapeSpec({ input: [2, 3], shape: [6, 0, 0] }), 'INVALID_ATTRIBUTE', 'shape[2]');
    refuses(() => reshapeSpec({ input: [2, 3], shape: [0, 3], allowzero: true }), 'INVALID_ATTRIBUTE', 'shape[0]');
    refuses(() => reshapeSpec({ input: [2, 3], shape: [-2, 3] }), 'INVALID_ATTRIBUTE', 'shape[0]');
  });

  it('flatten splits at axis (in [-rank, rank])', () => {
    expect(flattenSpec({ input: [2, 3, 4, 5] }).output).toEqual([2, 60]);
    expect(flattenSpec({ input: [2, 3, 4, 5], axis: 0 }).output).toEqual([1, 120]);
    expect(flattenSpec({ input: [2, 3, 4, 5], axis: 4 }).output).toEqual([120, 1]);
    expect(flattenSpec({ input: [2, 3, 4, 5], axis: -1 }).output).toEqual([24, 5]);
    refuses(() => flattenSpec({ input: [2, 3], axis: 3 }), 'INVALID_ATTRIBUTE', 'axis');
  });

  it('transpose permutes (default reverses)', () => {
    expect(transposeSpec({ input: [1, 2, 3, 4] }).output).toEqual([4, 3, 2, 1]);
    expect(transposeSpec({ input: [1, 224, 224, 3], perm: [0, 3, 1, 2] }).output).toEqual([1, 3, 224, 224]);
    refuses(() => transposeSpec({ input: [1, 2, 3], perm: [0, 0, 1] }), 'INVALID_ATTRIBUTE', 'perm');
    refuses(() => transposeSpec({ input: [1, 2, 3], perm: [0, 1] }), 'INVALID_ATTRIBUTE', 'perm');
    refuses(() => transposeSpec({ input: [1, 2, 3], perm: [0, 1, 3] }), 'INVALID_ATTRIBUTE', 'perm[2]');
  });

  it('squeeze and unsqueeze, negative axes included', () => {
    expect(squeezeSpec({ input: [1, 3, 1, 5] }).output).toEqual([3, 5]);
    expect(squeezeSpec({ input: [1, 3, 1, 5], axes: [-2] })).toMatchObject({ axes: [2], output: [1, 3, 5] });
    refuses(() => squeezeSpec({ input: [1, 3], axes: [1] }), 'INVALID_ATTRIBUTE', 'axes');
    expect(unsqueezeSpec({ input: [3, 4], axes: [0, 3] }).output).toEqual([1, 3, 4, 1]);
    expect(unsqueezeSpec({ input: [3, 4], axes: [-1] }).output).toEqual([3, 4, 1]);
    expect(unsqueezeSpec({ input: [3, 4], axes: [1, -1] })).toMatchObject({ axes: [1, 3], output: [3, 1, 4, 1] });
    expect(unsqueezeSpec({ input: [], axes: [0] }).output).toEqual([1]);
    refuses(() => unsqueezeSpec({ input: [3, 4], axes: [3] }), 'INVALID_ATTRIBUTE', 'axes[0]');
    refuses(() => unsqueezeSpec({ input: [3, 4], axes: [0, -4] }), 'INVALID_ATTRIBUTE', 'axes[1]');
    expect(unsqueezeSpec({ input: [3, 4], axes: [0, -3] }).output).toEqual([1, 1, 3, 4]);
    refuses(() => unsqueezeSpec({ input: [3, 4], axes: [] }), 'INVALID_ATTRIBUTE', 'axes');
  });

  it('pad: all begins, then all ends', () => {
    expect(padSpec({ input: [1, 3, 4, 5], pads: [0, 0, 1, 2, 0, 0, 3, 4] })).toMatchObject({ value: 0, output: [1, 3, 8, 11] });
    expect(padSpec({ input: [2], pads: [1, 0], value: 0.1 }).value).toBe(Math.fround(0.1));
    refuses(() => padSpec({ input: [1, 3], pads: [0, 1] }), 'INVALID_ATTRIBUTE', 'pads');
    refuses(() => padSpec({ input: [1, 3], pads: [0, -1, 0, 0] }), 'INVALID_ATTRIBUTE', 'pads[1]');
  });
});

describe('resize output sizes', () => {
  it('scales: floor(in * scale), the float32 product', () => {
    expect(resizeSpec({ input: [1, 3, 5, 7], scales: [1, 1, 2, 2] }).output).toEqual([1, 3, 10, 14]);
    expect(resizeSpec({ input: [1, 3, 4, 4], scales: [1, 1, 0.6, 0.5] }).output).toEqual([1, 3, 2, 2]);
    const s = resizeSpec({ input: [1, 3, 5, 7], scales: [1, 1, 2, 2], mode: 'linear', coordinateTransformationMode: 'align_corners' });
    expect(s).toMatchObject({ mode: 'linear', coordinateTransformationMode: 'align_corners', nearestMode: 'round_prefer_floor', scales: [1, 1, 2, 2] });
  });

  it('sizes: given directly; the scale is sizes / in in float32', () => {
    const s = resizeSpec({ input: [1, 3, 5, 7], sizes: [1, 3, 3, 3] });
    expect(s.output).toEqual([1, 3, 3, 3]);
    expect(s.scales).toEqual([1, 1, Math.fround(3 / 5), Math.fround(3 / 7)]);
    expect(resizeSpec({ input: [1, 3, 5, 7], sizes: [1, 3, 10, 14] }).coordinateTransformationMode).toBe('half_pixel');
  });

  it('refuses missing, doubled and bad scales or sizes and unknown modes', () => {
    refuses(() => resizeSpec({ input: [1, 3, 5, 7] }), 'INVALID_ATTRIBUTE', 'scales');
    refuses(() => resizeSpec({ input: [1, 3, 5, 7], scales: [1, 1, 2, 2], sizes: [1, 3, 10, 14] }), 'INVALID_ATTRIBUTE', 'scales');
    refuses(() => resizeSpec({ input: [1, 3, 5, 7], scales: [1, 1, 2] }), 'INVALID_ATTRIBUTE', 'scales');
    refuses(() => resizeSpec({ input: [1, 3, 5, 7], scales: [1, 1, 0, 2] }), 'INVALID_ATTRIBUTE', 'scales[2]');
    refuses(() => resizeSpec({ input: [1, 3, 5, 7], scales: [1, 1, 0.1, 2] }), 'EMPTY_OUTPUT', 'resize.output[2]');
    refuses(() => resizeSpec({ input: [1, 3, 5, 7], sizes: [1, 3, 0, 2] }), 'INVALID_ATTRIBUTE', 'sizes[2]');
    refuses(() => resizeSpec({ input: [1, 3, 5, 7], scales: [1, 2, 2, 2], mode: 'linear' }), 'INVALID_ATTRIBUTE', 'scales[1]');
    refuses(() => resizeSpec({ input: [1, 3, 5, 7], scales: [1, 1, 2, 2], mode: 'cubic' as 'linear' }), 'INVALID_ATTRIBUTE', 'mode');
    refuses(
      () => resizeSpec({ input: [1, 3, 5, 7], scales: [1, 1, 2, 2], coordinateTransformationMode: 'tf_crop_and_resize' as 'half_pixel' }),
      'INVALID_ATTRIBUTE',
      'coordinateTransformationMode',
    );
    refuses(() => resizeSpec({ input: [1, 3, 5, 7], scales: [1, 1, 2, 2], nearestMode: 'round' as 'floor' }), 'INVALID_ATTRIBUTE', 'nearestMode');
  });
});
