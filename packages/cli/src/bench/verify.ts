import { compareConvMethod, referenceConv2d } from '@convroute/conformance';
import type { Conv2dSpec, Precision, Tensor } from '@convroute/core';

/** The largest error / bound of an output (<= 1 passes), and the comparison's message. */
export interface Verified {
  errorRatio: number;
  message: string;
}

/** Checks outputs of one layer against the exact CPU reference with the bound of the method's
 * error model (conformance; a peer's output, no method: the reordering bound; at an f16
 * precision the fp16 model), the reference computed once for all the layer's cases. */
export function layerVerifier(spec: Conv2dSpec, inputs: readonly Tensor[], precision: Precision = 'f32'): (y: Tensor, method?: string) => Promise<Verified> {
  let ref: ReturnType<typeof referenceConv2d> | undefined;
  return async (y, method) => {
    ref ??= referenceConv2d(spec, inputs);
    const r = await ref;
    const c = compareConvMethod(method ?? 'direct', spec, inputs, y.data, r, { precision });
    // maxRatio covers passing elements only; a failing comparison's worst element has the largest.
    return { errorRatio: c.ok ? c.maxRatio : (c.worst?.ratio ?? Number.POSITIVE_INFINITY), message: c.message };
  };
}
