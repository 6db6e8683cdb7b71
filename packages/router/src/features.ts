import { type Conv2dSpec, conv2dChannels, conv2dFlops, conv2dOutputShape } from '@convroute/core';
import { type ConvClass, classify } from './classify.ts';
import type { DeviceProfile } from './profile.ts';

/** The numbers rules compare: one flat record per conv, named as rule tables name them. */
export interface SpecFeatures {
  class: ConvClass;
  transposed: boolean;
  bias: boolean;
  n: number;
  cIn: number;
  cOut: number;
  inH: number;
  inW: number;
  kH: number;
  kW: number;
  /** kH * kW */
  kernelArea: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  groups: number;
  outH: number;
  outW: number;
  /** 2 * multiply-adds (core's conv2dFlops) */
  flops: number;
  /** float32 bytes of the im2col matrix [N, g, (C_in/g)*kH*kW, H_out*W_out]; 0 for transposed
   * convs, which have no im2col (docs/semantics.md defines im2col for forward convs only). */
  im2colBytes: number;
  /** flops / output elements: the arithmetic per output (2 * C_in/g * kH * kW forward, an average
   * for transposed convs); high values favour GEMM-like kernels that reuse loads (issue 6). */
  flopsPerOutput: number;
  /** ceil(outH / 4) * ceil(outW / 4): the 4x4 output tiles of one image, TFLite GPU's Winograd
   * F(4x4, 3x3) count (`IsRecommendedForWinograd4x4To6x6`, policies/tflite.ts). */
  tiles4x4: number;
}

export function specFeatures(spec: Conv2dSpec): SpecFeatures {
  const { cIn, cOut } = conv2dChannels(spec);
  const [n, , outH, outW] = conv2dOutputShape(spec);
  const [, , kH, kW] = spec.weight;
  return {
    class: classify(spec),
    transposed: spec.transposed,
    bias: spec.bias,
    n,
    cIn,
    cOut,
    inH: spec.input[2],
    inW: spec.input[3],
    kH,
    kW,
    kernelArea: kH * kW,
    strideH: spec.stride[0],
    strideW: spec.stride[1],
    dilationH: spec.dilation[0],
    dilationW: spec.dilation[1],
    groups: spec.groups,
    outH,
    outW,
    flops: conv2dFlops(spec),
    im2colBytes: spec.transposed ? 0 : 4 * n * cIn * kH * kW * outH * outW,
    flopsPerOutput: conv2dFlops(spec) / (n * cOut * outH * outW),
    tiles4x4: Math.ceil(outH / 4) * Math.ceil(outW / 4),
  };
}

/** The profile fields rules compare. */
export interface ProfileFeatures {
  family: DeviceProfile['family'];
  generation: string | null;
  storage: DeviceProfile['storage'];
}

export function profileFeatures(p: DeviceProfile): ProfileFeatures {
  return { family: p.family, generation: p.generation, storage: p.storage };
}
