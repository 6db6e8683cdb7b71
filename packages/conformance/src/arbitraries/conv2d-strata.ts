import { type Activation, type Conv2dSpec, conv2dOutputShape } from '@convroute/core';
import type { Conv2dSpecArbOptions } from './conv2d-spec.ts';

/**
 * Strata every conv2d property covers in every run, one case each besides its random cases:
 * with one random draw per case, about 10% of 25-case runs had no relu with bias, and the
 * default sizes never reach N >= 3, C_out > 16 or W_out > 16 (issue 12). A stratum is a
 * restriction of the spec arbitrary, so a failing case still shrinks inside it.
 */
export interface Conv2dStratum {
  name: string;
  /** Options merged over the caller's (minimums and the limits that make room for them). */
  options: (base: Conv2dSpecArbOptions) => Conv2dSpecArbOptions;
  /** What every spec of the stratum satisfies (the tests hold the generator to it). */
  holds: (spec: Conv2dSpec) => boolean;
}

const ACTIVATIONS: readonly Activation['kind'][] = ['none', 'relu', 'clamp'];

const activationBias: Conv2dStratum[] = ACTIVATIONS.flatMap((activation) =>
  [false, true].map((bias) => ({
    name: `${activation}${bias ? ' + bias' : ', no bias'}`,
    options: (b: Conv2dSpecArbOptions) => ({ ...b, activation, bias }),
    holds: (s: Conv2dSpec) => s.activation.kind === activation && s.bias === bias,
  })),
);

/** Sizes past the defaults, a case each: the exact reference is fast enough at these sizes. */
const sizes: Conv2dStratum[] = [
  {
    name: 'N >= 3',
    options: (b) => ({ ...b, minBatch: 3, maxBatch: Math.max(b.maxBatch ?? 0, 4) }),
    holds: (s) => s.input[0] >= 3,
  },
  {
    // Wide channels per group also make long reductions (K = C_in/g * kH * kW up to 320).
    name: 'C_out > 16, K up to 320',
    options: (b) => ({ ...b, minOutChannels: 17, maxChannelsPerGroup: Math.max(b.maxChannelsPerGroup ?? 0, 20) }),
    holds: (s) => conv2dOutputShape(s)[1] > 16,
  },
  {
    name: 'W_out > 16',
    options: (b) => ({ ...b, minOutWidth: 17 }),
    holds: (s) => conv2dOutputShape(s)[3] > 16,
  },
];

/** The strata compatible with the caller's restrictions (a forced bias or activation, or no
 * activations, rules some out; sizes always apply). */
export function conv2dStrata(base: Conv2dSpecArbOptions = {}): Conv2dStratum[] {
  const fits = (s: Conv2dStratum) => {
    const o = s.options(base);
    if (base.bias !== undefined && o.bias !== base.bias) return false;
    if (base.activation !== undefined && o.activation !== base.activation) return false;
    return !(base.activations === false && o.activation !== undefined && o.activation !== 'none');
  };
  return [...activationBias, ...sizes].filter(fits);
}
