import { type Conv2dSpec, conv2dChannels, conv2dOutputShape, conv2dReductionLength } from '@convroute/core';

/** Every extent a conv kernel needs, flattened once (DESIGN.md, "Semantics"). */
export interface ConvGeometry {
  n: number;
  cIn: number;
  h: number;
  w: number;
  cOut: number;
  kH: number;
  kW: number;
  sH: number;
  sW: number;
  top: number;
  left: number;
  dH: number;
  dW: number;
  groups: number;
  cInG: number;
  cOutG: number;
  hOut: number;
  wOut: number;
  /** terms per output element, bias included (an upper bound for transposed convs) */
  nTerms: number;
}

export function convGeometry(spec: Conv2dSpec): ConvGeometry {
  const [n, cIn, h, w] = spec.input;
  const [, , kH, kW] = spec.weight;
  const [, cOut, hOut, wOut] = conv2dOutputShape(spec);
  const { cInPerGroup, cOutPerGroup } = conv2dChannels(spec);
  return {
    n,
    cIn,
    h,
    w,
    cOut,
    kH,
    kW,
    sH: spec.stride[0],
    sW: spec.stride[1],
    top: spec.padding[0],
    left: spec.padding[1],
    dH: spec.dilation[0],
    dW: spec.dilation[1],
    groups: spec.groups,
    cInG: cInPerGroup,
    cOutG: cOutPerGroup,
    hOut,
    wOut,
    nTerms: conv2dReductionLength(spec),
  };
}

/** The output columns j whose forward tap column j*s - pad + q*d lies inside [0, extent): [lo, hi). */
export function validOutputRange(outExtent: number, inExtent: number, s: number, pad: number, offset: number): [number, number] {
  const lo = Math.max(0, Math.ceil((pad - offset) / s));
  const hi = Math.min(outExtent, Math.floor((inExtent - 1 + pad - offset) / s) + 1);
  return [lo, Math.max(lo, hi)];
}
