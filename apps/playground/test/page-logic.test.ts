import { type Backend, CONV_METHODS, conv2dOutputShape, convMethodRejection, Tensor } from '@convroute/core';
import { classify, namedProfile } from '@convroute/router';
import { describe, expect, it } from 'vitest';
import { routeSuite } from '../src/routing.ts';
import { runSuite } from '../src/run-suite.ts';
import { selftestCases } from '../src/selftest-cases.ts';
import { PAGE_SUITES, pageSuite } from '../src/suites.ts';
import type { Verifier } from '../src/verifier.ts';

/** The page's logic that needs no browser: suites, routing rows, self-test case generation. */
describe('page suites', () => {
  it('every suite validates, and smoke covers every conv class', () => {
    for (const s of PAGE_SUITES) expect(pageSuite(s).length).toBeGreaterThan(0);
    const classes = new Set(pageSuite('smoke').map((e) => classify(e.spec)));
    expect([...classes].sort()).toEqual(['Depthwise', 'Pointwise', 'SlidingWindow', 'Transposed']);
  });

  it('routes smoke with etvk as ExecuTorch would: im2col-gemm on Mali or C_out >= 128', () => {
    const method = (profile: string) => Object.fromEntries(routeSuite(pageSuite('smoke'), 'etvk', namedProfile(profile), null).map((r) => [r.name, r.method]));
    const sw = method('swiftshader');
    expect(sw.sw3x3_c128).toBe('im2col-gemm');
    expect(sw.sw3x3_c32).toBe('direct');
    expect(sw.tconv3x3_s2).toBe('transposed');
    expect(method('mali').sw3x3_c32).toBe('im2col-gemm');
    // dilation 2: the rule needs dilation 1, so direct even on Mali
    expect(method('mali').sw3x3_dil2_pad_asym).toBe('direct');
  });

  it('reports a policy choice the backend cannot run as an error row, not a substitute', () => {
    const fake = { name: 'fake', description: '', methodsFor: () => ['direct' as const], run: async () => Promise.reject(new Error('unused')) };
    const rows = routeSuite(pageSuite('smoke'), 'etvk', namedProfile('swiftshader'), fake);
    const dw = rows.find((r) => r.name === 'dw3x3_s1')!;
    expect(dw.method).toBeNull();
    expect(dw.error).toContain('UNSUPPORTED_METHOD');
  });
});

describe('self-test cases', () => {
  it('are reproducible from the seed and each method can compute its specs', () => {
    const a = selftestCases(1234, 2);
    expect(a).toHaveLength(CONV_METHODS.length * 2 * 2);
    expect(JSON.stringify(selftestCases(1234, 2))).toBe(JSON.stringify(a));
    for (const c of a) expect(convMethodRejection(c.method, c.spec)).toBeNull();
  });
});

describe('results times', () => {
  // Was: one "GPU ms" with the pipeline build in it, and GFLOP/s from that.
  it("splits each layer's GPU time into compile and run, from the backend's compile clock", async () => {
    let compiled = 0;
    const fake: Backend = {
      name: 'fake',
      description: '',
      methodsFor: () => [...CONV_METHODS],
      compileTimeMs: () => compiled,
      run: async (op) => {
        compiled += 40; // as if building a pipeline took 40 ms of the call
        await new Promise((r) => setTimeout(r, 60));
        if (op.op !== 'conv2d') throw new Error('conv2d only');
        const shape = conv2dOutputShape(op.spec);
        return Tensor.fromData(new Float32Array(shape.reduce((a, b) => a * b)), shape);
      },
    };
    const rows = routeSuite(pageSuite('smoke'), 'etvk', namedProfile('swiftshader'), fake).slice(0, 1);
    const verifier = { verify: async () => ({ ok: true, maxRatio: 0, maxError: 0, referenceMs: 0, message: '' }) } as unknown as Verifier;
    const [r] = await runSuite(rows, fake, verifier, { seed: 1, control: { abort: null }, onLayer: () => {} });
    expect(r.compileMs).toBe(40);
    expect(r.gpuMs).toBeGreaterThanOrEqual(15);
  });
});
