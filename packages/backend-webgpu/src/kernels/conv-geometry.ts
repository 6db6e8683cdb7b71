import { type Conv2dSpec, conv2dChannels, conv2dOutputShape } from '@convroute/core';

/** The numbers every conv kernel bakes into its WGSL (so index math divides by constants). */
export interface ConvGeometry {
  n: number;
  cIn: number;
  cOut: number;
  /** input channels per group */
  cg: number;
  /** output channels per group */
  mg: number;
  groups: number;
  h: number;
  w: number;
  kH: number;
  kW: number;
  sH: number;
  sW: number;
  pT: number;
  pL: number;
  dH: number;
  dW: number;
  hOut: number;
  wOut: number;
}

export function convGeometry(spec: Conv2dSpec): ConvGeometry {
  const [n, cIn, h, w] = spec.input;
  const { cOut, cInPerGroup, cOutPerGroup } = conv2dChannels(spec);
  const [, , hOut, wOut] = conv2dOutputShape(spec);
  return {
    n,
    cIn,
    cOut,
    cg: cInPerGroup,
    mg: cOutPerGroup,
    groups: spec.groups,
    h,
    w,
    kH: spec.weight[2],
    kW: spec.weight[3],
    sH: spec.stride[0],
    sW: spec.stride[1],
    pT: spec.padding[0],
    pL: spec.padding[1],
    dH: spec.dilation[0],
    dW: spec.dilation[1],
    hOut,
    wOut,
  };
}

export function geometryKey(g: ConvGeometry): string {
  return Object.values(g).join(',');
}
