import { describe, expect, it } from 'vitest';
import { measuredLayers, parseBench } from '../src/bench/format.ts';
import { benchProfile } from '../src/report/bench-profile.ts';
import { comparePolicies } from '../src/report/compare-policies.ts';
import { comparisonJson, comparisonText } from '../src/report/compare-text.ts';
import { syntheticBench } from './bench-synthetic.ts';

describe('compare: policy arithmetic on measured data', () => {
  const bench = parseBench(JSON.stringify(syntheticBench(128)));
  const layers = measuredLayers([bench]);
  const profile = benchProfile([bench]);
  const c = comparePolicies(layers, ['etvk', 'always:direct', 'always:im2col-gemm', 'calibrated'], profile);
  const by = Object.fromEntries(c.policies.map((p) => [p.policy, p.evaluation]));

  it('the device profile comes from the adapter the bench ran on', () => {
    expect(profile.family).toBe('llvmpipe');
  });

  it('totals are sums of the chosen medians; regret is against the per-layer best', () => {
    const sw = layers.filter((l) => l.spec.weight[2] === 3);
    const direct = sw.reduce((s, l) => s + (l.times.direct as number), 0);
    const best = sw.reduce((s, l) => s + Math.min(l.times.direct as number, l.times['im2col-gemm'] as number), 0) + 1; // + pointwise 1 ms
    expect(by['always:direct'].total).toBeCloseTo(direct + 2, 9); // direct computes the 1x1 too (2 ms)
    expect(by['always:direct'].bestTotal).toBeCloseTo(best, 9);
    expect(by['always:direct'].regret).toBeCloseTo(by['always:direct'].total - best, 9);
  });

  it('etvk with its C_out >= 128 rule is optimal on data whose crossover is 128; calibrated too', () => {
    expect(by.etvk.regret).toBeCloseTo(0, 9);
    expect(by.calibrated.regret).toBeCloseTo(0, 9);
    expect(c.fitted?.heldOut.regretFraction).toBeGreaterThanOrEqual(0);
  });

  it('etvk pays where the crossover moves; calibrated follows the data', () => {
    const b64 = parseBench(JSON.stringify(syntheticBench(64)));
    const c64 = comparePolicies(measuredLayers([b64]), ['etvk', 'calibrated'], benchProfile([b64]));
    const [etvk, cal] = c64.policies.map((p) => p.evaluation);
    expect(etvk.regret).toBeGreaterThan(0);
    // The layers etvk gets wrong are exactly the C_out 64 and 96 ones.
    expect(etvk.perLayer.filter((o) => o.regret > 0).map((o) => o.name)).toEqual(['syn/c64.8', 'syn/c64.24', 'syn/c96.8', 'syn/c96.24']);
    // The simplest table within the 3% tolerance, at least as good as etvk.
    expect(cal.regretFraction).toBeLessThanOrEqual(0.03);
    expect(cal.regret).toBeLessThan(etvk.regret);
    expect(c64.differ).toEqual(expect.arrayContaining(['syn/c64.8', 'syn/c64.24', 'syn/c96.8', 'syn/c96.24']));
  });

  it('prints the table and JSON', () => {
    const text = comparisonText(c);
    expect(text).toMatch(/per-layer best/);
    expect(text).toMatch(/always:direct/);
    const j = comparisonJson(c) as { policies: { policy: string; total: number; inSample: boolean }[] };
    expect(j.policies.map((p) => p.policy)).toEqual(['etvk', 'always:direct', 'always:im2col-gemm', 'calibrated']);
    expect(j.policies.map((p) => p.inSample)).toEqual([false, false, false, true]);
  });

  it('labels the regret of a table fitted on the compared data as in-sample, with the held-out estimate', () => {
    const text = comparisonText(c);
    expect(text).toMatch(/│ calibrated \(in-sample\) /);
    expect(text).not.toMatch(/│ etvk \(in-sample\)/);
    expect(text).toMatch(/its regret above is in-sample \(optimistic\); held out .*: total [0-9.]+ ms, regret [0-9.]+%/);
    expect(text).not.toMatch(/NaN/);
  });

  it('an unmeasured binding choice is Infinity and listed', () => {
    const only = measuredLayers([bench]).map((l) => ({ ...l, times: { direct: l.times.direct } }));
    const cc = comparePolicies(only, ['always:im2col-gemm', 'etvk'], profile);
    // always:<m> falls back to the class kernel where m was not measured (direct for 3x3), but
    // the 1x1's pointwise kernel was not measured either; etvk's choice is binding.
    expect(cc.policies[0].evaluation.unmeasured).toEqual(['syn/pw']);
    expect(cc.policies[1].evaluation.unmeasured.length).toBeGreaterThan(0);
    expect(comparisonText(cc)).toMatch(/unmeasured/);
  });
});
