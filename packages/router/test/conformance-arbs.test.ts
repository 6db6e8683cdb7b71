import { conv2dSpecArb } from '@convroute/conformance';
import { convMethodRejection, methodBindingExcess } from '@convroute/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_POLICY_NAMES, etvk, resolvePolicy } from '../src/index.ts';
import { profileArb } from './arbitraries.ts';
import { fcParams } from './fc-params.ts';
import { pr20059Method } from './pr20059.ts';

/** The same properties over @convroute/conformance's spec arbitrary (independently written, and
 * with channel counts reaching past the 128 threshold). */
const specs = conv2dSpecArb({ maxChannelsPerGroup: 160 });

describe('over conformance arbitraries', () => {
  it("etvk decides as PR #20059's text where the pick fits the device, and every policy decision computes its spec", () => {
    const policies = BUILTIN_POLICY_NAMES.map(resolvePolicy);
    fc.assert(
      fc.property(specs, profileArb, fc.constantFrom(...policies), (s, p, policy) => {
        const want = pr20059Method(s, p);
        if (methodBindingExcess(want, s, p.limits) === null) expect(etvk.decide(s, p).method).toBe(want);
        expect(convMethodRejection(policy.decide(s, p).method, s)).toBeNull();
      }),
      fcParams('etvk == PR #20059 (conformance specs)', 300),
    );
  });
});
