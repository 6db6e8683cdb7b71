import { type Conv2dSpec, type Conv2dSpecInit, conv2dBiasShape, conv2dSpec, seededRandom, shapeSize, Tensor } from '@convroute/core';

/** A named, fixed conv that has broken real implementations, with why it is here. */
export interface EdgeCase {
  name: string;
  why: string;
  init: Conv2dSpecInit;
  /** Custom data (default: the suite's data kinds). */
  data?: (spec: Conv2dSpec, seed: number) => Tensor[];
  /** Besides the bound: every output must be +inf (the exact sum exceeds float32 by far). */
  expectAllPositiveInfinity?: boolean;
}

/** Data scaled by 2^scale with alternating signs off (positive) or on. */
function scaledData(scale: number, positive: boolean) {
  return (spec: Conv2dSpec, seed: number): Tensor[] => {
    const rnd = seededRandom(seed);
    const make = (shape: readonly number[]) =>
      Tensor.fromData(
        Float32Array.from({ length: shapeSize(shape) }, () => (positive ? 1 : rnd() < 0.5 ? -1 : 1) * (1 + rnd()) * 2 ** scale),
        shape,
      );
    const out = [make(spec.input), make(spec.weight)];
    if (spec.bias) out.push(make(conv2dBiasShape(spec)));
    return out;
  };
}

/**
 * Named cases: ExecuTorch Vulkan's gaps (its pointwise shader ignores groups; grouped transposed
 * convs; channel counts not a multiple of 4 in its texel-packed layout, see
 * seed/executorch-pr-20059.txt), geometry corners, long reductions where float32 error grows,
 * and magnitudes near float32's overflow.
 */
export const EDGE_CASES: readonly EdgeCase[] = [
  {
    name: 'grouped 1x1',
    why: 'ExecuTorch sends grouped 1x1 convs to its pointwise shader, which ignores groups',
    init: { input: [1, 8, 5, 5], weight: [6, 4, 1, 1], groups: 2, bias: true },
  },
  {
    name: 'grouped 1x1, 3 groups of 2',
    why: 'grouped pointwise with a group size not a multiple of 4',
    init: { input: [2, 6, 3, 4], weight: [9, 2, 1, 1], groups: 3 },
  },
  {
    name: 'grouped transposed',
    why: 'grouped conv-transpose with stride, output padding and asymmetric pads',
    init: { input: [1, 6, 4, 3], weight: [6, 2, 3, 3], groups: 3, transposed: true, stride: 2, padding: [1, 0, 2, 1], outputPadding: [1, 1], bias: true },
  },
  {
    name: 'group size 3 (not a multiple of 4)',
    why: 'texel-packed layouts group channels by 4',
    init: { input: [1, 6, 7, 7], weight: [10, 3, 3, 3], groups: 2, padding: 1 },
  },
  {
    name: 'depthwise, 5 channels',
    why: 'depthwise with a channel count not a multiple of 4',
    init: { input: [1, 5, 6, 6], weight: [5, 1, 3, 3], groups: 5, padding: [1, 1, 0, 0] },
  },
  { name: 'kernel larger than input', why: 'taps mostly in the padding', init: { input: [1, 2, 3, 3], weight: [3, 2, 5, 5], padding: 2 } },
  {
    name: '5x5 kernel on a 2x2 input, asymmetric pads',
    why: 'asymmetric pads and a 1x1 output',
    init: { input: [1, 3, 2, 2], weight: [2, 3, 5, 5], padding: [2, 1, 1, 2] },
  },
  { name: 'stride larger than kernel', why: 'skipped input rows and columns', init: { input: [1, 3, 9, 10], weight: [4, 3, 2, 2], stride: [3, 4] } },
  {
    name: 'transposed stride larger than kernel',
    why: 'output rows no tap reaches (bias only)',
    init: { input: [1, 2, 3, 3], weight: [2, 3, 2, 2], stride: 3, transposed: true, bias: true },
  },
  { name: '1x1 output', why: 'a single output position', init: { input: [2, 4, 3, 3], weight: [5, 4, 3, 3], bias: true } },
  { name: 'dilated, 1x1 output', why: 'dilation spanning the input', init: { input: [1, 2, 7, 5], weight: [2, 2, 3, 3], dilation: [3, 2] } },
  {
    name: 'long reduction K = 4608',
    why: 'K above 4096: float32 error grows with K',
    init: { input: [1, 512, 3, 3], weight: [2, 512, 3, 3], padding: 1, bias: true },
  },
  { name: 'long reduction, pointwise K = 8192', why: 'a GEMM-shaped reduction above 4096', init: { input: [1, 8192, 2, 2], weight: [3, 8192, 1, 1] } },
  {
    name: 'near overflow, within the bound',
    why: 'terms near 2^120 with cancellation: partial sums stay below float32 max, so the bound applies',
    init: { input: [1, 4, 4, 4], weight: [2, 4, 3, 3], padding: 1 },
    data: scaledData(60, false),
  },
  {
    name: 'overflow to infinity',
    why: 'positive terms near 2^126 whose exact sum exceeds float32 max many times over: every order gives +inf',
    init: { input: [1, 4, 3, 3], weight: [2, 4, 3, 3], padding: 1 },
    data: scaledData(63, true),
    expectAllPositiveInfinity: true,
  },
];

export function edgeCaseSpec(c: EdgeCase): Conv2dSpec {
  return conv2dSpec(c.init);
}
