import { Tensor } from '@convroute/core';
import { averagePool2dAbs } from './pool.ts';
import { reduceMeanAbs } from './reduce-mean.ts';
import { resizeAbs } from './resize.ts';
import { type PoolShapeResizeOp, resizeParams } from './run-ops.ts';

/**
 * The error model's terms for the ops of this folder (docs/error-model.md, "Pooling, reductions
 * and resize"): A per output element, rounded up to float32, and the number n of roundings a
 * float32 implementation may make. undefined for the copies (maxpool, nearest resize, shape ops),
 * which every implementation must reproduce bitwise.
 */
export function poolShapeResizeAbs(op: PoolShapeResizeOp, inputs: readonly Tensor[]): { abs: Tensor; n: number } | undefined {
  const x = inputs[0];
  switch (op.op) {
    case 'averagepool': {
      const { shape, abs } = averagePool2dAbs(op.spec, x.data);
      // a window has at most kH*kW taps; + 2 for the division (docs/error-model.md)
      return { abs: Tensor.fromData(abs, shape), n: op.spec.kernel[0] * op.spec.kernel[1] + 2 };
    }
    case 'globalaveragepool':
    case 'reducemean': {
      const axes = op.op === 'reducemean' ? op.spec.axes : op.spec.input.map((_, i) => i).filter((i) => i >= 2);
      const { abs, terms } = reduceMeanAbs({ input: op.spec.input, axes, keepdims: true }, x.data);
      return { abs: Tensor.fromData(abs, op.spec.output), n: terms + 2 };
    }
    case 'resize':
      if (op.spec.mode !== 'linear') return undefined;
      return { abs: Tensor.fromData(resizeAbs(resizeParams(op.spec), x.data), op.spec.output), n: 6 };
    default:
      return undefined;
  }
}
