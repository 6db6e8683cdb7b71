import { type Conv2dSpec, type ConvClass, type ConvMethod, convMethodsFor } from '@convroute/core';

/** Classification lives in core beside the method descriptors (one definition for the router and
 * conformance); these are the router's names for it, used across its modules and by consumers. */
export { CONV_CLASSES, type ConvClass, classifyConv as classify, classifyConvWithReasons as classifyWithReasons } from '@convroute/core';

/** Every method whose algorithm can compute the spec (core's convMethodRejection is the judge). */
export function methodsFor(spec: Conv2dSpec): ConvMethod[] {
  return convMethodsFor(spec);
}

/** The method ExecuTorch runs for each class (before PR #20059, and for non-SlidingWindow after). */
export const CLASS_METHOD: Readonly<Record<ConvClass, ConvMethod>> = Object.freeze({
  Depthwise: 'depthwise',
  Transposed: 'transposed',
  Pointwise: 'pointwise',
  SlidingWindow: 'direct',
});
