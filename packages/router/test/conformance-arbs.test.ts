import { conv2dSpecArb } from '@convroute/conformance';
import { convMethodRejection } from '@convroute/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_POLICY_NAMES, etvk, etvkTablePolicy, resolvePolicy } from '../src/index.ts';
import { profileArb } from './arbitraries.ts';
import { fcParams } from './fc-params.ts';

/** The same properties over @convroute/conformance's spec arbitrary (independently written, and
 * with channel counts reaching past the 128 threshold). */
const specs = conv2dSpecArb({ maxChannelsPerGroup: 160 });

describe('over conformance arbitraries', () => {
  it('the etvk table agrees with the etvk code policy, and every policy decision computes its spec', () => {
    const policies = BUILTIN_POLICY_NAMES.map(resolvePolicy);
    fc.assert(
      fc.property(specs, profileArb, fc.constantFrom(...policies), (s, p, policy) => {
        expect(etvkTablePolicy.decide(s, p).method).toBe(etvk.decide(s, p).method);
        expect(convMethodRejection(policy.decide(s, p).method, s)).toBeNull();
      }),
      fcParams('etvk table == code (conformance specs)', 300),
    );
  });
});
