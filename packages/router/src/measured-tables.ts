import type { AdapterInfoLike } from './profile.ts';
import type { RuleTable } from './rule-types.ts';

/**
 * Rule tables measured on a real adapter, used as its calibration when that adapter is detected
 * (policy `calibrated`, Session's default where a profile has one). Each cites the measurements
 * it was read from; a user's `--profile` or `policy` still overrides it.
 */

/** NVIDIA H200 (Dawn on Vulkan, driver 580): `convroute calibrate` on the three suites' bench
 * (bench/results/h200-calibrated-profile.json, 2026-12-02 14:59 UTC) with Winograd F(2,3) first
 * for 3x3 stride-1 convs of 64+ channels, which beat every other method 1.4-5.3x on ResNet-18's
 * four such shapes there (bench/results/h200-2026-12-02-evening/). That rule is read from the data:
 * the fitted table puts Winograd on every 3x3 stride-1 conv, where under 64 channels it ran
 * 0.67-1.15x the best other method, a difference the fitter leaves to noise. */
const NVIDIA_H200_TABLE: RuleTable = {
  name: 'nvidia-h200',
  description:
    'the H200 calibration of 2026-12-02 14:59 (implicit-gemm, pointwise, depthwise per class) with Winograd F(2,3) first for 3x3 stride-1 convs of 64+ channels',
  source: 'bench/results/h200-2026-12-02-evening/h200-winograd-profile.json',
  rules: [
    {
      name: 'Winograd.3x3s1',
      why: "measured on the H200 (bench/results/h200-2026-12-02-evening): winograd-2x3 1.4-5.3x the best other method on ResNet-18's four 3x3 stride-1 shapes with 64+ channels; slower on depthwise and below 16 channels",
      when: {
        class: 'SlidingWindow',
        kernel: 3,
        stride: 1,
        dilation: 1,
        groups: 1,
        cIn: {
          min: 64,
        },
        cOut: {
          min: 64,
        },
      },
      method: 'winograd-2x3',
    },
    {
      name: 'Depthwise.1',
      why: 'fitted: fastest on 13 of 41 measured layers; total 5.458 against direct 7.929, im2col-gemm 47.90, implicit-gemm 23.04',
      when: {
        class: 'Depthwise',
      },
      method: 'depthwise',
    },
    {
      name: 'Transposed.1',
      why: 'fitted: fastest on 9 of 9 measured layers; total 3.033 against no other method',
      when: {
        class: 'Transposed',
      },
      method: 'transposed',
    },
    {
      name: 'Pointwise.1',
      why: 'fitted: fastest on 22 of 36 measured layers with outH >= 14; total 6.102 against direct 19.56, im2col-gemm 6.895, implicit-gemm 6.863',
      when: {
        class: 'Pointwise',
        outH: {
          min: 14,
        },
      },
      method: 'pointwise',
    },
    {
      name: 'Pointwise.2',
      why: 'fitted: fastest on 10 of 17 measured layers with outH <= 13; total 1.963 against direct 3.093, pointwise 3.364, im2col-gemm 3.513',
      when: {
        class: 'Pointwise',
        outH: {
          max: 13,
        },
      },
      method: 'implicit-gemm',
    },
    {
      name: 'SlidingWindow.1',
      why: 'fitted: fastest on 20 of 44 measured layers; total 11.25 against direct 23.51, im2col-gemm 29.36',
      when: {
        class: 'SlidingWindow',
      },
      method: 'implicit-gemm',
    },
    {
      name: 'Depthwise.default',
      why: 'the class kernel, where no fitted rule could compute the conv',
      when: {
        class: 'Depthwise',
      },
      method: 'depthwise',
    },
    {
      name: 'Transposed.default',
      why: 'the class kernel, where no fitted rule could compute the conv',
      when: {
        class: 'Transposed',
      },
      method: 'transposed',
    },
    {
      name: 'Pointwise.default',
      why: 'the class kernel, where no fitted rule could compute the conv',
      when: {
        class: 'Pointwise',
      },
      method: 'pointwise',
    },
    {
      name: 'SlidingWindow.default',
      why: 'the class kernel, where no fitted rule could compute the conv',
      when: {
        class: 'SlidingWindow',
      },
      method: 'direct',
    },
    {
      name: 'default',
      why: 'direct computes every forward conv',
      when: {},
      method: 'direct',
    },
  ],
};

/** The measured table of this adapter, if one was measured on it. */
export function measuredTableFor(info: AdapterInfoLike): RuleTable | undefined {
  return info.vendor === 'nvidia' && /^nvidia-h200\b/.test(info.device ?? '') ? NVIDIA_H200_TABLE : undefined;
}
