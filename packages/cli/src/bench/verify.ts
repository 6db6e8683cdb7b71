import { compareWithBound, f16ErrorModel, f16Operands, referenceConv2d } from '@convroute/conformance';
import { type Conv2dSpec, conv2dReductionLength, type Precision, type Tensor } from '@convroute/core';

/** The largest error / bound of an output (<= 1 passes), and the comparison's message. */
export interface Verified {
  errorRatio: number;
  message: string;
}

/** Checks outputs of one layer against the exact CPU reference with the error model's bound
 * (conformance; at an f16 precision the fp16 model), the reference computed once for all the
 * layer's cases. */
export function layerVerifier(spec: Conv2dSpec, inputs: readonly Tensor[], precision: Precision = 'f32'): (y: Tensor) => Promise<Verified> {
  let ref: ReturnType<typeof referenceConv2d> | undefined;
  const model = precision === 'f32' ? undefined : f16ErrorModel(precision, f16Operands(inputs));
  return async (y) => {
    ref ??= referenceConv2d(spec, inputs);
    const r = await ref;
    const c = compareWithBound(y.data, r.y, r.abs, conv2dReductionLength(spec), { model });
    // maxRatio covers passing elements only; a failing comparison's worst element has the largest.
    return { errorRatio: c.ok ? c.maxRatio : (c.worst?.ratio ?? Number.POSITIVE_INFINITY), message: c.message };
  };
}
