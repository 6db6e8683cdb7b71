import { type Conv2dSpec, conv2dChannels } from './conv2d.ts';
import type { Reason } from './reason.ts';

/**
 * ExecuTorch Vulkan's conv classes (`Conv2dMethod` in backends/vulkan/runtime/graph/ops/impl/
 * Convolution.cpp), tested in its order: Depthwise, Transposed, Pointwise, SlidingWindow. The one
 * classification the router routes by and conformance generates by.
 */
export const CONV_CLASSES = ['Depthwise', 'Transposed', 'Pointwise', 'SlidingWindow'] as const;
export type ConvClass = (typeof CONV_CLASSES)[number];

/** The class with the rules tested on the way, each with the values it compared. */
export function classifyConvWithReasons(spec: Conv2dSpec): { class: ConvClass; reasons: Reason[] } {
  const { cIn, cOut } = conv2dChannels(spec);
  const [, , kH, kW] = spec.weight;
  const g = spec.groups;
  const reasons: Reason[] = [];

  const depthwise = !spec.transposed && g === cIn && cIn === cOut;
  reasons.push({
    rule: 'class.depthwise',
    holds: depthwise,
    detail: 'not transposed and groups == C_in == C_out',
    values: { transposed: spec.transposed, groups: g, cIn, cOut },
  });
  if (depthwise) return { class: 'Depthwise', reasons };

  reasons.push({ rule: 'class.transposed', holds: spec.transposed, detail: 'conv-transpose2d', values: { transposed: spec.transposed } });
  if (spec.transposed) return { class: 'Transposed', reasons };

  // ExecuTorch checks only the 1x1 kernel and sends a grouped 1x1 conv to its pointwise shader,
  // which ignores groups (docs/architecture.md, "The router's vocabulary"); convroute requires groups == 1.
  const pointwise = kH === 1 && kW === 1 && g === 1;
  reasons.push({ rule: 'class.pointwise', holds: pointwise, detail: '1x1 kernel and groups == 1', values: { kH, kW, groups: g } });
  if (pointwise) return { class: 'Pointwise', reasons };

  reasons.push({ rule: 'class.sliding-window', holds: true, detail: 'every other forward conv', values: {} });
  return { class: 'SlidingWindow', reasons };
}

export function classifyConv(spec: Conv2dSpec): ConvClass {
  return classifyConvWithReasons(spec).class;
}
