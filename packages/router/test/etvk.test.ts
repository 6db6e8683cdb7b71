import { methodBindingExcess, SUITE_NAMES, suiteSpecs } from '@convroute/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alwaysPolicy, builtinPolicy, classify, etvk, etvkLegacy, methodsFor, namedProfile, PROFILE_NAMES } from '../src/index.ts';
import { convSpecArb, profileArb, spec } from './arbitraries.ts';
import { fcParams } from './fc-params.ts';
import { pr20059Method } from './pr20059.ts';

const mali = namedProfile('mali');
const adreno = namedProfile('adreno');
const llvmpipe = namedProfile('llvmpipe');
/** A conv that goes to im2col-gemm on every device under etvk: C_out 128, 3x3, groups 1. */
const base = { input: [1, 64, 16, 16], weight: [128, 64, 3, 3], padding: 1 };

describe('classify (ExecuTorch order, grouped 1x1 fix)', () => {
  it('Depthwise before Transposed, Pointwise, SlidingWindow', () => {
    expect(classify(spec({ input: [1, 8, 8, 8], weight: [8, 1, 3, 3], groups: 8 }))).toBe('Depthwise');
    expect(classify(spec({ input: [1, 8, 8, 8], weight: [8, 1, 1, 1], groups: 8 }))).toBe('Depthwise');
    expect(classify(spec({ input: [1, 8, 8, 8], weight: [8, 4, 3, 3], transposed: true, stride: 2 }))).toBe('Transposed');
    expect(classify(spec({ input: [1, 8, 8, 8], weight: [8, 1, 3, 3], groups: 8, transposed: true }))).toBe('Transposed');
    expect(classify(spec({ input: [1, 8, 8, 8], weight: [16, 8, 1, 1] }))).toBe('Pointwise');
    expect(classify(spec({ input: [1, 8, 8, 8], weight: [16, 8, 3, 3] }))).toBe('SlidingWindow');
  });
  it('a grouped 1x1 conv is SlidingWindow, not Pointwise (ExecuTorch would ignore its groups)', () => {
    const s = spec({ input: [1, 8, 8, 8], weight: [16, 4, 1, 1], groups: 2 });
    expect(classify(s)).toBe('SlidingWindow');
    expect(methodsFor(s)).not.toContain('pointwise');
    expect(etvk.decide(s, mali).method).toBe('direct');
  });
  it('depthwise with channel multiplier (C_out = 2 * C_in) is not Depthwise', () => {
    expect(classify(spec({ input: [1, 8, 8, 8], weight: [16, 1, 3, 3], groups: 8 }))).toBe('SlidingWindow');
  });
});

describe('etvk (PR #20059)', () => {
  it('sends a SlidingWindow conv with C_out >= 128 to im2col-gemm everywhere', () => {
    for (const p of [mali, adreno, llvmpipe]) expect(etvk.decide(spec(base), p).method).toBe('im2col-gemm');
  });
  it('threshold at exactly 127/128 output channels off Mali', () => {
    const at = (cOut: number) => spec({ ...base, weight: [cOut, 64, 3, 3] });
    for (const p of [adreno, llvmpipe, namedProfile('nvidia'), namedProfile('unknown')]) {
      expect(etvk.decide(at(127), p).method).toBe('direct');
      expect(etvk.decide(at(128), p).method).toBe('im2col-gemm');
    }
    const r = etvk.decide(at(127), adreno).reasons.find((x) => x.rule === 'etvk.cout');
    expect(r).toEqual({ rule: 'etvk.cout', holds: false, detail: 'C_out >= 128', values: { cOut: 127, threshold: 128 } });
  });
  it('on Mali, any C_out goes to im2col-gemm, and the reason records the family', () => {
    const d = etvk.decide(spec({ ...base, weight: [4, 64, 3, 3] }), mali);
    expect(d.method).toBe('im2col-gemm');
    expect(d.reasons.at(-1)).toMatchObject({ rule: 'etvk.mali', holds: true, values: { family: 'mali' } });
    expect(etvk.decide(spec({ ...base, weight: [4, 64, 3, 3] }), adreno).method).toBe('direct');
  });
  it('precondition groups == 1', () => {
    const d = etvk.decide(spec({ input: [1, 64, 16, 16], weight: [128, 32, 3, 3], groups: 2, padding: 1 }), mali);
    expect(d.method).toBe('direct');
    expect(d.reasons.at(-1)).toMatchObject({ rule: 'etvk.groups', holds: false, values: { groups: 2 } });
  });
  it('precondition dilation == 1 on both axes', () => {
    for (const dilation of [
      [2, 1],
      [1, 2],
      [2, 2],
    ]) {
      const d = etvk.decide(spec({ ...base, dilation }), mali);
      expect(d.method).toBe('direct');
      expect(d.reasons.at(-1)).toMatchObject({ rule: 'etvk.dilation', holds: false, values: { dilation } });
    }
  });
  it('precondition kernel larger than 1x1 (1xK kernels qualify)', () => {
    expect(etvk.decide(spec({ ...base, weight: [128, 64, 1, 3], padding: [0, 1] }), adreno).method).toBe('im2col-gemm');
    expect(etvk.decide(spec({ ...base, weight: [128, 64, 3, 1], padding: [1, 0] }), adreno).method).toBe('im2col-gemm');
    // A 1x1 with groups 1 is Pointwise; its pointwise kernel is chosen, not im2col.
    expect(etvk.decide(spec({ ...base, weight: [128, 64, 1, 1], padding: 0 }), mali).method).toBe('pointwise');
  });
  it('a padded 1x1 conv is Pointwise and goes to the pointwise kernel, which pads (issue 12)', () => {
    const d = etvk.decide(spec({ ...base, weight: [128, 64, 1, 1], padding: 1 }), mali);
    expect(d).toMatchObject({ class: 'Pointwise', method: 'pointwise' });
    expect(d.reasons.some((r) => r.rule === 'method.can-compute')).toBe(false);
  });
  it('regression from the PR review: a transposed conv with C_out >= 128 and a 3x3 kernel never goes to im2col-gemm', () => {
    const t = spec({ input: [1, 64, 8, 8], weight: [64, 128, 3, 3], transposed: true, stride: 2, padding: 1, outputPadding: 1 });
    for (const p of [mali, adreno, llvmpipe]) {
      const d = etvk.decide(t, p);
      expect(d).toMatchObject({ class: 'Transposed', method: 'transposed' });
      expect(d.reasons.some((r) => r.rule.startsWith('etvk.'))).toBe(false);
    }
  });
  it('depthwise convs keep the depthwise kernel', () => {
    expect(etvk.decide(spec({ input: [1, 256, 8, 8], weight: [256, 1, 3, 3], groups: 256, padding: 1 }), mali).method).toBe('depthwise');
  });
  it("decides as PR #20059's text on every spec fast-check generates, wherever the pick fits the device", () => {
    fc.assert(
      fc.property(convSpecArb, profileArb, (s, p) => {
        const want = pr20059Method(s, p);
        const d = etvk.decide(s, p);
        if (methodBindingExcess(want, s, p.limits) === null) expect(d.method).toBe(want);
        else expect(d.reasons.some((r) => r.rule === 'limits.binding')).toBe(true);
      }),
      fcParams('etvk == PR #20059', 500),
    );
  });
  it("decides as PR #20059's text on every layer of every suite, on every named device", () => {
    let layers = 0;
    for (const suite of SUITE_NAMES) {
      for (const { name, spec: s } of suiteSpecs(suite)) {
        for (const p of PROFILE_NAMES.map(namedProfile)) {
          const want = pr20059Method(s, p);
          if (methodBindingExcess(want, s, p.limits) !== null) continue;
          expect([suite, name, p.name, etvk.decide(s, p).method]).toEqual([suite, name, p.name, want]);
          layers++;
        }
      }
    }
    expect(layers).toBeGreaterThan(100);
  });
  it('records storage from the profile', () => {
    expect(etvk.decide(spec(base), mali).storage).toBe('buffer');
    expect(etvk.decide(spec(base), adreno).storage).toBe('texture');
  });
});

describe('etvk-legacy and always:<method>', () => {
  it('etvk-legacy: SlidingWindow always direct', () => {
    for (const p of [mali, adreno]) expect(etvkLegacy.decide(spec(base), p).method).toBe('direct');
  });
  it('always:<method> where it can compute the conv', () => {
    expect(alwaysPolicy('implicit-gemm').decide(spec(base), adreno).method).toBe('implicit-gemm');
    expect(builtinPolicy('always:im2col-gemm').decide(spec({ ...base, dilation: 2, padding: 2 }), adreno).method).toBe('im2col-gemm');
  });
  it('always:<method> falls back to the class kernel where it cannot, and says why', () => {
    const t = spec({ input: [1, 64, 8, 8], weight: [64, 128, 3, 3], transposed: true });
    const d = builtinPolicy('always:im2col-gemm').decide(t, mali);
    expect(d.method).toBe('transposed');
    expect(d.reasons.at(-1)).toMatchObject({ rule: 'always.fallback', holds: true });
    expect(d.reasons.at(-1)?.detail).toContain('forward convs only');
    expect(builtinPolicy('always:pointwise').decide(spec(base), mali).method).toBe('direct');
  });
  it('refuses unknown policies and methods', () => {
    expect(() => builtinPolicy('fastest')).toThrow(/INVALID_POLICY/);
    expect(() => builtinPolicy('always:winograd')).toThrow(/unknown method "winograd"/);
  });
});
