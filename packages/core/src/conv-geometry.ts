import { type Conv2dSpec, conv2dChannels, conv2dOutputShape } from './conv2d.ts';

/** Every extent a conv kernel needs, flattened once from a validated spec (docs/semantics.md,
 * "Semantics"): shared by the CPU loops and the WGSL generators so both read the same numbers. */
export interface Conv2dGeometry {
  n: number;
  cIn: number;
  h: number;
  w: number;
  cOut: number;
  kH: number;
  kW: number;
  sH: number;
  sW: number;
  /** padding at the top and left (bottom and right only shape the output extent) */
  top: number;
  left: number;
  dH: number;
  dW: number;
  groups: number;
  /** input and output channels per group */
  cInG: number;
  cOutG: number;
  hOut: number;
  wOut: number;
}

export function conv2dGeometry(spec: Conv2dSpec): Conv2dGeometry {
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
  };
}
