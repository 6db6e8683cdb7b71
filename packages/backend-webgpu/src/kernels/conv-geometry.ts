import { type Conv2dGeometry, type Conv2dSpec, conv2dGeometry } from '@convroute/core';

/** The numbers every conv kernel bakes into its WGSL (so index math divides by constants): core's
 * geometry, shared with the CPU backend. */
export type ConvGeometry = Conv2dGeometry;

export function convGeometry(spec: Conv2dSpec): ConvGeometry {
  return conv2dGeometry(spec);
}

export function geometryKey(g: ConvGeometry): string {
  return Object.values(g).join(',');
}
