import { type Conv2dSpec, conv2dSpec, isConvrouteError } from '@convroute/core';
import fc from 'fast-check';
import { type DeviceProfile, namedProfile, type Policy, PROFILE_NAMES, parseRuleTable, tablePolicy } from '../src/index.ts';
import tableJson from './tables/im2col-wide.json' with { type: 'json' };

/**
 * A local conv-spec arbitrary (@convroute/conformance exports none yet). Shapes are biased to
 * the router's boundaries: C_out around 127/128, 1x1 kernels, depthwise and grouped convs,
 * dilation, padding, transposed convs. Specs the conv would reject (empty output) are dropped.
 */
export const convSpecArb: fc.Arbitrary<Conv2dSpec> = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    groups: fc.constantFrom(1, 1, 1, 1, 1, 2, 3, 4),
    cInPerGroup: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constantFrom(16, 32, 64)),
    cOutPerGroup: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constantFrom(63, 64, 126, 127, 128, 129, 256)),
    depthwise: fc.constantFrom(false, false, false, true),
    h: fc.integer({ min: 1, max: 12 }),
    w: fc.integer({ min: 1, max: 12 }),
    kH: fc.constantFrom(1, 1, 2, 3, 3, 5),
    kW: fc.constantFrom(1, 1, 2, 3, 3, 5),
    stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    dilation: fc.tuple(fc.constantFrom(1, 1, 1, 2), fc.constantFrom(1, 1, 1, 2)),
    padding: fc.oneof(fc.constant([0, 0, 0, 0]), fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2))),
    transposed: fc.constantFrom(false, false, false, true),
    outputPadding: fc.tuple(fc.nat(1), fc.nat(1)),
    bias: fc.boolean(),
  })
  .map((r) => {
    const groups = r.depthwise ? r.cInPerGroup * r.groups : r.groups;
    const cIn = r.depthwise ? groups : r.cInPerGroup * r.groups;
    const cOut = r.depthwise ? groups : r.cOutPerGroup * r.groups;
    const weight = r.transposed ? [cIn, cOut / groups, r.kH, r.kW] : [cOut, cIn / groups, r.kH, r.kW];
    const outputPadding = r.transposed
      ? [Math.min(r.outputPadding[0], Math.max(r.stride[0], r.dilation[0]) - 1), Math.min(r.outputPadding[1], Math.max(r.stride[1], r.dilation[1]) - 1)]
      : [0, 0];
    try {
      return conv2dSpec({
        input: [r.n, cIn, r.h, r.w],
        weight,
        groups,
        stride: r.stride,
        dilation: r.dilation,
        padding: r.padding,
        transposed: r.transposed,
        outputPadding,
        bias: r.bias,
      });
    } catch (e) {
      if (isConvrouteError(e, 'EMPTY_OUTPUT')) return null;
      throw e;
    }
  })
  .filter((s): s is Conv2dSpec => s !== null);

export const profileArb: fc.Arbitrary<DeviceProfile> = fc.constantFrom(...PROFILE_NAMES).map(namedProfile);

export function spec(init: Parameters<typeof conv2dSpec>[0]): Conv2dSpec {
  return conv2dSpec(init);
}

/** A rule table read from a file as users write them (test/tables/im2col-wide.json): class,
 * family and numeric conditions, a fall-through default. */
export const TABLE_FILE = new URL('./tables/im2col-wide.json', import.meta.url).pathname;
export const exampleTablePolicy: Policy = tablePolicy(parseRuleTable(tableJson, 'tables/im2col-wide.json'));
