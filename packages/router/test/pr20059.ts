import { type Conv2dSpec, type ConvMethod, conv2dChannels } from '@convroute/core';
import { CLASS_METHOD, classify, type DeviceProfile } from '../src/index.ts';

/**
 * PR #20059's decision restated from its text, as the oracle the etvk policy is tested against
 * (/work/shared/seed/executorch-pr-20059.txt): `should_use_conv2d_im2col` holds when groups == 1,
 * dilation == 1 and Kh*Kw > 1, and then picks im2col when `device_is_mali() || c_out >= 128`;
 * the review's guard applies it to SlidingWindow convs only. Device limits are not part of it.
 */
export function pr20059Method(spec: Conv2dSpec, profile: DeviceProfile): ConvMethod {
  const cls = classify(spec);
  if (cls !== 'SlidingWindow') return CLASS_METHOD[cls];
  const [, , kH, kW] = spec.weight;
  const preconditions = spec.groups === 1 && spec.dilation[0] === 1 && spec.dilation[1] === 1 && kH * kW > 1;
  const im2col = preconditions && (profile.family === 'mali' || conv2dChannels(spec).cOut >= 128);
  return im2col ? 'im2col-gemm' : 'direct';
}
