import { compareWithBound, referenceConv2d } from '@convroute/conformance';
import { type Conv2dSpec, conv2dReductionLength, type Tensor } from '@convroute/core';

/** The largest error / bound of an output (<= 1 passes), and the comparison's message. */
export interface Verified {
  errorRatio: number;
  message: string;
}

/** Checks outputs of one layer against the exact CPU reference with the error model's bound
 * (conformance), the reference computed once for all the layer's cases. */
export function layerVerifier(spec: Conv2dSpec, inputs: readonly Tensor[]): (y: Tensor) => Promise<Verified> {
  let ref: ReturnType<typeof referenceConv2d> | undefined;
  return async (y) => {
    ref ??= referenceConv2d(spec, inputs);
    const r = await ref;
    const c = compareWithBound(y.data, r.y, r.abs, conv2dReductionLength(spec));
    // maxRatio covers passing elements only; a failing comparison's worst element has the largest.
    return { errorRatio: c.ok ? c.maxRatio : (c.worst?.ratio ?? Number.POSITIVE_INFINITY), message: c.message };
  };
}
