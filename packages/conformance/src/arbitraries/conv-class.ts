import type { Conv2dSpec } from '@convroute/core';

/** The four conv classes of DESIGN.md ("Router"), in ExecuTorch's classification order.
 * Kept here (the router is not a dependency of this package) so arbitraries can target one. */
export const CONV_CLASSES = ['depthwise', 'transposed', 'pointwise', 'sliding-window'] as const;
export type ConvClass = (typeof CONV_CLASSES)[number];

export function convClassOf(spec: Conv2dSpec): ConvClass {
  const cIn = spec.input[1];
  if (!spec.transposed && spec.groups === cIn && spec.weight[0] === cIn) return 'depthwise';
  if (spec.transposed) return 'transposed';
  if (spec.weight[2] === 1 && spec.weight[3] === 1 && spec.groups === 1) return 'pointwise';
  return 'sliding-window';
}
