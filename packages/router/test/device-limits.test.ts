import { CONV_METHODS, type Conv2dSpec, conv2dSpec, convMethodsFor, isConvrouteError, methodBindingExcess } from '@convroute/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_POLICY_NAMES,
  type DeviceProfile,
  etvk,
  namedProfile,
  type Policy,
  PROFILE_NAMES,
  resolvePolicy,
  routerFor,
  tablePolicy,
} from '../src/index.ts';
import { exampleTablePolicy, spec } from './arbitraries.ts';
import { fcParams } from './fc-params.ts';

// Issue 12 item 9: the mali profile routed to im2col-gemm past its 128 MiB storage binding limit
// (the WebGPU backend refuses it with LIMIT_EXCEEDED; direct runs). A 1x1024x4x4096 3x3 layer:
// one im2col row is 9216 x 4096 floats = 150994944 bytes; input 64 MiB, weights 2.25 MiB.
const mali = namedProfile('mali');
const wideRow = spec({ input: [1, 1024, 4, 4096], weight: [64, 1024, 3, 3], padding: 1 });
const small = spec({ input: [1, 64, 16, 16], weight: [64, 64, 3, 3], padding: 1 });
const noEnv = {};

describe('routing within the device limits (issue 12)', () => {
  it('etvk on mali: im2col-gemm whose im2col row is over the binding limit gives way to direct, with the bytes', () => {
    expect(methodBindingExcess('im2col-gemm', wideRow, mali.limits)).not.toBeNull();
    const d = etvk.decide(wideRow, mali);
    expect(d.method).toBe('direct');
    expect(d.reasons.find((r) => r.rule === 'etvk.mali')?.holds).toBe(true);
    expect(d.reasons.find((r) => r.rule === 'limits.binding')).toEqual({
      rule: 'limits.binding',
      holds: false,
      detail: "im2col-gemm's im2col row needs 150994944 bytes, over the device's maxStorageBufferBindingSize of 134217728 bytes",
      values: { method: 'im2col-gemm', binding: 'im2col row', bytes: 150994944, maxStorageBufferBindingSize: 134217728 },
    });
    expect(d.reasons.at(-1)).toMatchObject({ rule: 'limits.fallback', holds: true, values: { method: 'direct' } });
    // A layer that fits keeps etvk's choice, with no limits reason.
    const s = etvk.decide(small, mali);
    expect(s.method).toBe('im2col-gemm');
    expect(s.reasons.some((r) => r.rule.startsWith('limits.'))).toBe(false);
  });

  it('through routerFor (what Session and the CLI use), on every device etvk sends it to im2col-gemm', () => {
    const cOut256 = spec({ input: [1, 1024, 4, 4096], weight: [256, 1024, 3, 3], padding: 1 });
    for (const p of ['mali', 'adreno', 'nvidia', 'unknown']) {
      const d = routerFor('etvk', namedProfile(p), { env: noEnv })(cOut256, { nodeId: 'c1', available: CONV_METHODS });
      expect([p, d.method]).toEqual([p, 'direct']);
    }
  });

  it('a larger binding limit keeps im2col-gemm (the decision follows the profile)', () => {
    const roomy: DeviceProfile = { ...mali, limits: { ...mali.limits, maxStorageBufferBindingSize: 2 ** 30, maxBufferSize: 2 ** 30 } };
    expect(etvk.decide(wideRow, roomy).method).toBe('im2col-gemm');
    // maxBufferSize bounds a binding too.
    const smallBuffers: DeviceProfile = { ...roomy, limits: { ...roomy.limits, maxBufferSize: 2 ** 27 } };
    const d = etvk.decide(wideRow, smallBuffers);
    expect(d.method).toBe('direct');
    expect(d.reasons.find((r) => r.rule === 'limits.binding')?.values).toMatchObject({ maxBufferSize: 2 ** 27 });
  });

  it('always:<method> and etvk-legacy fall back too; a global override acts like always', () => {
    const d = resolvePolicy('always:im2col-gemm').decide(wideRow, mali);
    expect(d.method).toBe('direct');
    expect(d.reasons.map((r) => r.rule)).toEqual(expect.arrayContaining(['always', 'limits.binding', 'limits.fallback']));
    const o = routerFor('etvk', mali, { override: 'im2col-gemm', env: noEnv })(wideRow, { nodeId: 'c1', available: CONV_METHODS });
    expect(o.method).toBe('direct');
    // A strided, padded 1x1 gathers its whole input view for pointwise: over the limit, direct.
    const gather = spec({ input: [1, 512, 256, 256], weight: [64, 512, 1, 1], padding: 1 });
    const p = resolvePolicy('etvk-legacy').decide(gather, mali);
    expect(p.method).toBe('direct');
    expect(p.reasons.find((r) => r.rule === 'limits.binding')?.values).toMatchObject({ binding: 'gathered input' });
  });

  it('a rule table falls through a matching rule whose method is over the limits, and says so', () => {
    const table = {
      name: 'gemm-first',
      rules: [
        { name: 'gemm', when: { class: 'SlidingWindow' as const }, method: 'im2col-gemm' as const },
        { name: 'else', when: {}, method: 'implicit-gemm' as const },
      ],
    };
    const d = tablePolicy(table).decide(wideRow, mali, CONV_METHODS);
    expect(d.method).toBe('implicit-gemm');
    const r = d.reasons.find((x) => x.rule === 'rules[0] gemm');
    expect(r?.holds).toBe(false);
    expect(r?.detail).toContain("matches, but im2col-gemm's im2col row needs 150994944 bytes");
    expect(r?.detail).toContain('next rule');
    // When every matching rule is over the limits, the class's own kernel (direct) decides.
    const only = tablePolicy({ name: 'only-gemm', rules: [{ when: {}, method: 'im2col-gemm' }] }).decide(wideRow, mali);
    expect(only.method).toBe('direct');
    expect(only.reasons.at(-1)).toMatchObject({ rule: 'limits.fallback', holds: true });
    // A table with no rule for the conv at all is still an error.
    try {
      tablePolicy({ name: 'pointwise-only', rules: [{ when: {}, method: 'pointwise' }] }).decide(wideRow, mali);
      expect.unreachable();
    } catch (e) {
      expect(isConvrouteError(e, 'INVALID_POLICY')).toBe(true);
    }
  });

  it('when no method fits (the input alone is over the limit), the choice stays and the reason says the backend refuses it', () => {
    const huge = spec({ input: [1, 256, 512, 512], weight: [256, 256, 3, 3], padding: 1 });
    const d = etvk.decide(huge, mali);
    expect(d.method).toBe('im2col-gemm');
    expect(d.reasons.at(-1)).toMatchObject({ rule: 'limits.fallback', holds: false });
    expect(d.reasons.at(-1)?.detail).toContain('LIMIT_EXCEEDED');
  });
});

/** Specs from small to past a GPU's limits: channels to 2048, images to 4096 wide. No tensor
 * is made: routing reads shapes only. */
const largeSpecArb: fc.Arbitrary<Conv2dSpec> = fc
  .record({
    n: fc.constantFrom(1, 1, 2, 4),
    cIn: fc.constantFrom(1, 3, 16, 64, 256, 512, 1024, 2048),
    cOut: fc.constantFrom(1, 8, 64, 127, 128, 256, 1024),
    h: fc.constantFrom(1, 4, 7, 32, 224, 1024),
    w: fc.constantFrom(1, 7, 64, 512, 2048, 4096),
    k: fc.constantFrom(1, 3, 5, 7),
    stride: fc.constantFrom(1, 1, 2),
    padding: fc.nat(3),
    shape: fc.constantFrom('plain', 'plain', 'depthwise', 'grouped', 'transposed'),
    bias: fc.boolean(),
  })
  .map((r) => {
    const groups = r.shape === 'depthwise' ? r.cIn : r.shape === 'grouped' && r.cIn % 2 === 0 && r.cOut % 2 === 0 ? 2 : 1;
    const cOut = r.shape === 'depthwise' ? r.cIn : r.cOut;
    const transposed = r.shape === 'transposed';
    const weight = transposed ? [r.cIn, cOut, r.k, r.k] : [cOut, r.cIn / groups, r.k, r.k];
    try {
      return conv2dSpec({ input: [r.n, r.cIn, r.h, r.w], weight, groups, stride: r.stride, padding: r.padding, transposed, bias: r.bias });
    } catch (e) {
      if (isConvrouteError(e)) return null;
      throw e;
    }
  })
  .filter((s): s is Conv2dSpec => s !== null);

/** Named profiles, and the same with a random binding limit (what a real adapter may report). */
const profileArb: fc.Arbitrary<DeviceProfile> = fc
  .tuple(fc.constantFrom(...PROFILE_NAMES), fc.option(fc.integer({ min: 2 ** 16, max: 2 ** 31 })))
  .map(([name, limit]) => {
    const p = namedProfile(name);
    return limit === null ? p : { ...p, limits: { ...p.limits, maxStorageBufferBindingSize: limit } };
  });

const POLICIES: Policy[] = [...BUILTIN_POLICY_NAMES.map((n) => resolvePolicy(n)), exampleTablePolicy];

describe('every routed decision fits its device (property)', () => {
  it('on every named profile, for every built-in policy and a rule table, whenever some method fits', () => {
    fc.assert(
      fc.property(largeSpecArb, profileArb, (s, profile) => {
        const anyFits = convMethodsFor(s).some((m) => methodBindingExcess(m, s, profile.limits) === null);
        for (const policy of POLICIES) {
          const d = routerFor(policy, profile, { env: noEnv })(s, { nodeId: 'c1', available: CONV_METHODS });
          const excess = methodBindingExcess(d.method, s, profile.limits);
          if (anyFits) expect({ policy: policy.name, excess }).toEqual({ policy: policy.name, excess: null });
          else expect(d.reasons.some((r) => r.rule === 'limits.fallback' && !r.holds)).toBe(true);
          // Over the limits is the only reason a choice changes: what fits stays as decided.
          if (!d.reasons.some((r) => r.rule.startsWith('limits.'))) expect(excess).toBeNull();
        }
      }),
      fcParams('routed decisions fit the device', 400),
    );
  });
});
