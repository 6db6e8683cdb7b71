import { CONV_METHODS, type ConvMethod, convMethodRejection, isConvrouteError, type RouteFn } from '@convroute/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_POLICY_NAMES,
  globalOverride,
  METHOD_ENV_VAR,
  methodsFor,
  namedProfile,
  nodeOverrideDecision,
  resolvePolicy,
  routerFor,
} from '../src/index.ts';
import { convSpecArb, exampleTablePolicy, profileArb, spec } from './arbitraries.ts';
import { fcParams } from './fc-params.ts';

const all = CONV_METHODS;
const noEnv = {};
const conv = spec({ input: [1, 64, 16, 16], weight: [128, 64, 3, 3], padding: 1 });
const transposed = spec({ input: [1, 64, 8, 8], weight: [64, 128, 3, 3], transposed: true });

describe('routerFor', () => {
  it("is core's RouteFn", () => {
    const r: RouteFn = routerFor('etvk', namedProfile('mali'), { env: noEnv });
    expect(r(conv, { nodeId: 'c1', available: all }).method).toBe('im2col-gemm');
  });
  it('refuses, never substitutes, a method the backend cannot run', () => {
    const r = routerFor('etvk', namedProfile('mali'), { env: noEnv });
    try {
      r(conv, { nodeId: 'c1', available: ['direct'] });
      expect.unreachable();
    } catch (e) {
      expect(isConvrouteError(e, 'UNSUPPORTED_METHOD')).toBe(true);
      expect((e as { field: string }).field).toBe('c1.method');
    }
  });
  it('always:<method> falls back to the class kernel when the backend lacks the method, and says so', () => {
    const r = routerFor('always:implicit-gemm', namedProfile('adreno'), { env: noEnv });
    const d = r(conv, { nodeId: 'c1', available: ['direct', 'im2col-gemm'] });
    expect(d.method).toBe('direct');
    expect(d.reasons.at(-1)).toMatchObject({ rule: 'always.unavailable', holds: true });
    expect(() => r(conv, { nodeId: 'c1', available: ['im2col-gemm'] })).toThrow(/UNSUPPORTED_METHOD/);
  });
  it('global override by option, recorded first; it acts as always:<method>', () => {
    for (const opt of [{ override: 'direct' as const }, { method: 'direct' as const }]) {
      const d = routerFor('etvk', namedProfile('mali'), { ...opt, env: noEnv })(conv, { nodeId: 'c', available: all });
      expect(d.method).toBe('direct');
      expect(d.policy).toBe('override:option');
      expect(d.reasons[0]).toMatchObject({ rule: 'override.option', holds: true, values: { method: 'direct' } });
    }
    const t = routerFor('etvk', namedProfile('mali'), { override: 'im2col-gemm', env: noEnv })(transposed, { nodeId: 't', available: all });
    expect(t.method).toBe('transposed');
    expect(t.reasons.some((r) => r.rule === 'always.fallback')).toBe(true);
  });
  it(`global override by ${METHOD_ENV_VAR}; the option wins over it; auto means none`, () => {
    const env = { [METHOD_ENV_VAR]: 'implicit-gemm' };
    const d = routerFor('etvk', namedProfile('mali'), { env })(conv, { nodeId: 'c', available: all });
    expect(d.method).toBe('implicit-gemm');
    expect(d.reasons[0]).toMatchObject({ rule: 'override.env', detail: `global override ${METHOD_ENV_VAR}=implicit-gemm` });
    expect(routerFor('etvk', namedProfile('mali'), { env, override: 'direct' })(conv, { nodeId: 'c', available: all }).method).toBe('direct');
    expect(globalOverride(undefined, { [METHOD_ENV_VAR]: 'auto' })).toBeNull();
    expect(globalOverride(undefined, { [METHOD_ENV_VAR]: '' })).toBeNull();
    expect(() => globalOverride(undefined, { [METHOD_ENV_VAR]: 'fastest' })).toThrow(/CONVROUTE_METHOD/);
  });
  it('reads process.env by default', () => {
    const old = process.env[METHOD_ENV_VAR];
    process.env[METHOD_ENV_VAR] = 'direct';
    try {
      expect(routerFor('etvk', namedProfile('mali'))(conv, { nodeId: 'c', available: all }).policy).toBe('override:env');
    } finally {
      if (old === undefined) delete process.env[METHOD_ENV_VAR];
      else process.env[METHOD_ENV_VAR] = old;
    }
  });
  it('accepts a rule table object as the policy', () => {
    const r = routerFor({ name: 'x', rules: [{ when: {}, method: 'implicit-gemm' }] }, namedProfile('mali'), { env: noEnv });
    expect(r(conv, { nodeId: 'c', available: all })).toMatchObject({ method: 'implicit-gemm', policy: 'table:x' });
  });
});

describe('per-node overrides', () => {
  it('turn a node method into a decision with a reason', () => {
    const d = nodeOverrideDecision(conv, 'implicit-gemm', 'layer3.conv1', namedProfile('adreno'));
    expect(d).toMatchObject({ method: 'implicit-gemm', policy: 'override:node', class: 'SlidingWindow', storage: 'texture' });
    expect(d.reasons[0]).toMatchObject({ rule: 'override.node', holds: true, values: { nodeId: 'layer3.conv1', method: 'implicit-gemm' } });
  });
  it('refuse a method that cannot compute the conv, naming the node', () => {
    try {
      nodeOverrideDecision(transposed, 'im2col-gemm', 'up1');
      expect.unreachable();
    } catch (e) {
      expect(isConvrouteError(e, 'UNSUPPORTED_METHOD')).toBe(true);
      expect((e as { field: string }).field).toBe('nodes.up1.method');
    }
  });
});

describe('property: a decision can always compute its spec', () => {
  const policies = [...BUILTIN_POLICY_NAMES.map(resolvePolicy), exampleTablePolicy];
  it('for every policy, spec and profile', () => {
    fc.assert(
      fc.property(convSpecArb, profileArb, fc.constantFrom(...policies), (s, p, policy) => {
        const d = policy.decide(s, p);
        expect(convMethodRejection(d.method, s)).toBeNull();
        expect(methodsFor(s)).toContain(d.method);
        expect(d.reasons.length).toBeGreaterThan(0);
      }),
      fcParams('decision computes its spec', 500),
    );
  });
  it('and routerFor returns only available methods or throws UNSUPPORTED_METHOD', () => {
    const subset = fc.subarray([...all] as ConvMethod[], { minLength: 1 });
    fc.assert(
      fc.property(convSpecArb, profileArb, fc.constantFrom(...BUILTIN_POLICY_NAMES), subset, (s, p, name, avail) => {
        const available = avail.filter((m) => convMethodRejection(m, s) === null);
        try {
          const d = routerFor(name, p, { env: noEnv })(s, { nodeId: 'n', available });
          expect(available).toContain(d.method);
        } catch (e) {
          expect(isConvrouteError(e, 'UNSUPPORTED_METHOD')).toBe(true);
        }
      }),
      fcParams('router respects available', 300),
    );
  });
});
