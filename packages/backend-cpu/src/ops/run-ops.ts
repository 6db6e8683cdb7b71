import { type OpSpec, opOutputShape, type ResizeSpec, Tensor } from '@convroute/core';
import { averagePool2dExact, averagePool2dFast, maxPool2d } from './pool.ts';
import { reduceMeanExact, reduceMeanFast } from './reduce-mean.ts';
import { type ResizeParams, resizeExact, resizeFast } from './resize.ts';
import { concat, copyData, padConstant, transpose } from './shape-ops.ts';

/** The ops of this folder: pooling, reductions, shape ops and resize, each its own single method. */
export const POOL_SHAPE_RESIZE_OPS = [
  'maxpool',
  'averagepool',
  'globalaveragepool',
  'reducemean',
  'concat',
  'reshape',
  'flatten',
  'transpose',
  'squeeze',
  'unsqueeze',
  'pad',
  'resize',
] as const;
export type PoolShapeResizeOp = Extract<OpSpec, { op: (typeof POOL_SHAPE_RESIZE_OPS)[number] }>;

export function isPoolShapeResizeOp(op: OpSpec): op is PoolShapeResizeOp {
  return (POOL_SHAPE_RESIZE_OPS as readonly string[]).includes(op.op);
}

/** Kernel parameters of a resize spec. ONNX's length_resized is in * scale; the spec keeps sizes
 * as float32 scales (size / in), so where in * scale is the output length to float32 precision,
 * that length is taken (pytorch_half_pixel and align_corners then see the size itself). */
export function resizeParams(spec: ResizeSpec): ResizeParams {
  const resizedLengths = spec.input.map((d, i) => {
    const l = d * spec.scales[i];
    return Math.abs(l - spec.output[i]) <= l * 2 ** -23 ? spec.output[i] : l;
  });
  return { ...spec, resizedLengths };
}

/** Runs one op of this folder in exact or fast mode (the copies are the same in both). Inputs are
 * checked against the spec by the caller (checkRunRequest). */
export function runPoolShapeResize(op: PoolShapeResizeOp, inputs: readonly Tensor[], mode: 'exact' | 'fast'): Tensor {
  const exact = mode === 'exact';
  const x = inputs[0];
  const out = (data: Float32Array) => Tensor.fromData(data, opOutputShape(op));
  switch (op.op) {
    case 'maxpool':
      return out(maxPool2d(op.spec, x.data).data);
    case 'averagepool':
      return out((exact ? averagePool2dExact : averagePool2dFast)(op.spec, x.data).data);
    case 'globalaveragepool': {
      const axes = op.spec.input.map((_, i) => i).filter((i) => i >= 2);
      return out((exact ? reduceMeanExact : reduceMeanFast)({ input: op.spec.input, axes, keepdims: true }, x.data));
    }
    case 'reducemean':
      return out((exact ? reduceMeanExact : reduceMeanFast)(op.spec, x.data));
    case 'concat':
      return out(
        concat(
          inputs.map((t) => t.shape),
          inputs.map((t) => t.data),
          op.spec.axis,
        ).data,
      );
    case 'reshape':
    case 'flatten':
    case 'squeeze':
    case 'unsqueeze':
      return out(copyData(x.data));
    case 'transpose':
      return out(transpose(op.spec.input, x.data, op.spec.perm).data);
    case 'pad':
      return out(padConstant(op.spec.input, x.data, op.spec.pads, op.spec.value).data);
    case 'resize':
      return out((exact ? resizeExact : resizeFast)(resizeParams(op.spec), x.data));
  }
}

/** The exact reference of these ops (CPU exact mode), for conformance. */
export function poolShapeResizeExact(op: PoolShapeResizeOp, inputs: readonly Tensor[]): Tensor {
  return runPoolShapeResize(op, inputs, 'exact');
}
