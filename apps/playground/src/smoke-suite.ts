import type { SuiteLayer } from '@convroute/core';

/**
 * A quick suite for checking a browser end to end: a few small convs of every class
 * (Depthwise, Transposed, Pointwise, SlidingWindow) and the attributes kernels get wrong most
 * often (stride, dilation, asymmetric padding, groups, bias, activations). The 128-filter 3x3 conv
 * crosses ExecuTorch's C_out >= 128 threshold (PR #20059), so the etvk policy routes it to
 * im2col + GEMM on every device while its 32-filter twin stays direct off Mali.
 */
export const SMOKE: readonly SuiteLayer[] = [
  { name: 'dw3x3_s1', init: { input: [1, 8, 10, 10], weight: [8, 1, 3, 3], padding: 1, groups: 8, bias: true } },
  { name: 'dw5x5_s2_relu', init: { input: [1, 6, 11, 9], weight: [6, 1, 5, 5], stride: 2, padding: 2, groups: 6, activation: 'relu' } },
  { name: 'tconv3x3_s2', init: { input: [1, 6, 5, 5], weight: [6, 4, 3, 3], stride: 2, padding: 1, outputPadding: 1, transposed: true, bias: true } },
  { name: 'tconv2x2_g2', init: { input: [2, 4, 4, 3], weight: [4, 3, 2, 2], stride: 2, groups: 2, transposed: true } },
  { name: 'pw_16_to_24', init: { input: [1, 16, 7, 7], weight: [24, 16, 1, 1], bias: true } },
  { name: 'pw_s2_relu', init: { input: [2, 8, 9, 9], weight: [12, 8, 1, 1], stride: 2, activation: 'relu' } },
  { name: 'sw3x3_c32', init: { input: [1, 8, 12, 12], weight: [32, 8, 3, 3], padding: 1, bias: true } },
  { name: 'sw3x3_c128', init: { input: [1, 8, 6, 6], weight: [128, 8, 3, 3], padding: 1, bias: true } },
  { name: 'sw3x3_dil2_pad_asym', init: { input: [1, 4, 9, 10], weight: [6, 4, 3, 3], dilation: 2, padding: [2, 1, 0, 3] } },
  {
    name: 'sw5x3_s2_g2_clamp',
    init: { input: [1, 6, 13, 11], weight: [8, 3, 5, 3], stride: [2, 1], groups: 2, activation: { kind: 'clamp', min: -1, max: 1 } },
  },
  { name: 'sw1x1_pad1', init: { input: [1, 4, 5, 5], weight: [6, 4, 1, 1], padding: 1 } },
];
