import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConvMethod, conv2dFlops, conv2dSpec, isConvrouteError } from '@convroute/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calibrationDoc,
  calibrationTable,
  evaluateChoices,
  fitCalibration,
  type MeasuredLayer,
  methodsFor,
  namedProfile,
  profileFromJson,
  resolvePolicy,
  routerFor,
} from '../src/index.ts';
import { fcParams } from './fc-params.ts';

const layer = (name: string, init: Parameters<typeof conv2dSpec>[0], times: Partial<Record<ConvMethod, number>>, weight = 1): MeasuredLayer => ({
  name,
  spec: conv2dSpec(init),
  weight,
  times,
});

/** 3x3 SlidingWindow convs where im2col-gemm is `gain` times faster than direct from C_out >= t on,
 * and `gain` times slower below; C_in and H vary so other fields do not separate the classes. */
function synthetic(t: number, cIns: number[], hs: number[], gain = 1.5): MeasuredLayer[] {
  const cOuts = [16, 24, 32, 48, 64, 96, 128, 160, 192, 256, 384, 512];
  const out: MeasuredLayer[] = [];
  cOuts.forEach((cOut, i) => {
    for (let r = 0; r < 3; r++) {
      const cIn = cIns[(i + r) % cIns.length];
      const h = hs[(i * 3 + r) % hs.length];
      const spec = { input: [1, cIn, h, h], weight: [cOut, cIn, 3, 3], padding: 1 };
      const direct = conv2dFlops(conv2dSpec(spec)) * 1e-9;
      const wins = cOut >= t;
      out.push(layer(`l${i}.${r}`, spec, { direct, 'im2col-gemm': wins ? direct / gain : direct * gain }));
    }
  });
  return out;
}

describe('evaluateChoices: regret arithmetic', () => {
  const layers = [
    layer('a', { input: [1, 8, 8, 8], weight: [8, 8, 3, 3] }, { direct: 2, 'im2col-gemm': 3 }, 2),
    layer('b', { input: [1, 8, 8, 8], weight: [16, 8, 3, 3] }, { direct: 5, 'im2col-gemm': 1 }),
    layer('c', { input: [1, 8, 8, 8], weight: [32, 8, 3, 3] }, { direct: 4 }),
  ];
  it('weights by occurrences and sums regret against the per-layer best', () => {
    const e = evaluateChoices(layers, () => 'direct');
    expect(e.perLayer.map((o) => o.time)).toEqual([4, 5, 4]);
    expect(e.total).toBe(13);
    expect(e.bestTotal).toBe(4 + 1 + 4);
    expect(e.regret).toBe(4);
    expect(e.regretFraction).toBeCloseTo(4 / 9, 12);
    expect(e.perLayer[1]).toMatchObject({ bestMethod: 'im2col-gemm', bestTime: 1, regret: 4 });
  });
  it('an unmeasured choice costs Infinity and is listed', () => {
    const e = evaluateChoices(layers, () => 'im2col-gemm');
    expect(e.total).toBe(Number.POSITIVE_INFINITY);
    expect(e.unmeasured).toEqual(['c']);
  });
  it('the oracle has zero regret', () => {
    const best: Record<string, ConvMethod> = { a: 'direct', b: 'im2col-gemm', c: 'direct' };
    expect(evaluateChoices(layers, (l) => best[l.name]).regret).toBe(0);
  });
});

describe('fitCalibration', () => {
  it('recovers a known C_out threshold with a two-rule tree and zero regret (property)', () => {
    const params = fcParams<[number, number[], number[]]>('calibrate threshold', 25);
    fc.assert(
      fc.property(
        fc.constantFrom(24, 48, 64, 96, 128, 192, 256),
        fc.uniqueArray(fc.integer({ min: 3, max: 96 }), { minLength: 3, maxLength: 6 }),
        fc.uniqueArray(fc.integer({ min: 5, max: 40 }), { minLength: 3, maxLength: 6 }),
        (t, cIns, hs) => {
          const layers = synthetic(t, cIns, hs);
          // Tolerance 0: a few small layers on one side could otherwise be cheap enough to ignore.
          const fit = fitCalibration(layers, { tolerance: 0 });
          expect(fit.classes).toHaveLength(1);
          const c = fit.classes[0];
          expect(c.leaves).toBe(2);
          expect(c.tree).toMatchObject({ feature: 'cOut', threshold: t, hi: { method: 'im2col-gemm' }, lo: { method: 'direct' } });
          expect(fit.trainTime).toBeCloseTo(fit.bestTime, 9);
          expect(fit.cvTime).toBeCloseTo(fit.bestTime, 9);
        },
      ),
      params,
    );
  });

  it('keeps one rule when one method always wins, and the ladder reports held-out time', () => {
    const layers = synthetic(10_000, [8, 16, 24], [8, 12, 16]);
    const fit = fitCalibration(layers);
    expect(fit.classes[0].leaves).toBe(1);
    expect(fit.classes[0].tree).toEqual({ method: 'direct' });
    expect(fit.classes[0].ladder[0].cvTime).toBeCloseTo(fit.bestTime, 9);
  });

  it('takes a bigger tree only when held-out regret needs it', () => {
    // Two boundaries on C_out: im2col-gemm wins only in a middle band.
    const layers = synthetic(128, [8, 16, 24, 40], [8, 12, 16, 20]).map((l) => {
      const cOut = l.spec.weight[0];
      if (cOut < 384) return l;
      return { ...l, times: { direct: l.times.direct, 'im2col-gemm': (l.times.direct as number) * 2 } };
    });
    const fit = fitCalibration(layers, { tolerance: 0.01 });
    expect(fit.classes[0].leaves).toBe(3);
    expect(fit.trainTime).toBeCloseTo(fit.bestTime, 9);
    const loose = fitCalibration(layers, { tolerance: 10 });
    expect(loose.classes[0].leaves).toBe(1);
  });

  it('never picks a method where it was not measured when another was', () => {
    const layers = [
      layer('a', { input: [1, 4, 8, 8], weight: [8, 4, 3, 3] }, { direct: 2 }),
      layer('a2', { input: [1, 4, 8, 8], weight: [10, 4, 3, 3] }, { direct: 2 }),
      layer('a3', { input: [1, 4, 8, 8], weight: [12, 4, 3, 3] }, { direct: 2 }),
      layer('b', { input: [1, 4, 8, 8], weight: [16, 4, 3, 3] }, { direct: 3, 'implicit-gemm': 1 }),
      layer('b2', { input: [1, 4, 8, 8], weight: [20, 4, 3, 3] }, { direct: 3, 'implicit-gemm': 1 }),
      layer('b3', { input: [1, 4, 8, 8], weight: [24, 4, 3, 3] }, { direct: 3, 'implicit-gemm': 1 }),
    ];
    const fit = fitCalibration(layers);
    expect(fit.classes[0].tree).toMatchObject({ feature: 'cOut', threshold: 16, hi: { method: 'implicit-gemm' }, lo: { method: 'direct' } });
    expect(fit.trainTime).toBe(fit.bestTime);
  });

  it('fits no rule on one distinct shape: the class kernel routes it, and held out is n/a, not NaN', () => {
    // Was: a class measured on one shape got a fitted rule from that shape alone, and
    // `calibrate` printed NaN held-out times for it.
    const one = layer('dw', { input: [1, 16, 16, 16], weight: [16, 1, 3, 3], groups: 16, padding: 1 }, { depthwise: 2, direct: 1 });
    const twice = { ...one, name: 'dw-again' }; // the same shape in another suite is still one shape
    const { doc, fit } = calibrationDoc([one, twice, ...synthetic(128, [8, 16, 24], [8, 12, 16])]);
    const dw = fit.classes.find((c) => c.class === 'Depthwise')!;
    expect(dw.leaves).toBe(0);
    expect(dw.selection).toMatch(/not fitted: one distinct shape/);
    expect(doc.table.rules.filter((r) => r.name?.startsWith('Depthwise.') && r.name !== 'Depthwise.default')).toEqual([]);
    expect(doc.table.rules.find((r) => r.name === 'Depthwise.default')).toMatchObject({
      method: 'depthwise',
      why: expect.stringMatching(/one distinct shape/),
    });
    expect(doc.fit.classes.find((c) => c.class === 'Depthwise')!.ladder[0].cvTime).toBeNull();
    expect(doc.fit.heldOutMissing).toEqual([{ class: 'Depthwise', reason: dw.selection }]);
    // Held out covers SlidingWindow only, against SlidingWindow's own best: no in-sample stand-in.
    const sw = fit.classes.find((c) => c.class === 'SlidingWindow')!;
    expect(fit.heldOutClasses).toEqual(['SlidingWindow']);
    expect(fit.cvBestTime).toBe(sw.bestTime);
    expect(fit.cvTime).toBe(sw.ladder.find((s) => s.leaves === sw.leaves)!.cvTime);
    expect(JSON.stringify(doc)).not.toMatch(/NaN/);
    const alone = calibrationDoc([one]).doc;
    expect(alone.fit.cvTime).toBeNull();
  });

  it('splits no leaf down to one shape', () => {
    // Only the largest shape prefers im2col-gemm: a rule for it would rest on one shape.
    const layers = synthetic(10_000, [8, 16, 24], [8, 12, 16]);
    const last = layers.at(-1)!;
    layers[layers.length - 1] = { ...last, times: { direct: last.times.direct, 'im2col-gemm': (last.times.direct as number) / 3 } };
    const fit = fitCalibration(layers, { tolerance: 0 });
    expect(fit.classes[0].tree).toEqual({ method: 'direct' });
  });

  it("fits no rule on a difference inside the measurement noise (the samples' interquartile range)", () => {
    const noisy = (spread: number) =>
      synthetic(128, [8, 16, 24], [8, 12, 16], 1.05).map((l) => ({
        ...l,
        spreads: { direct: (l.times.direct as number) * spread, 'im2col-gemm': (l.times['im2col-gemm'] as number) * spread },
      }));
    // A 5% difference against a 10% spread per method: noise; the class kernel (direct) stays.
    const inside = fitCalibration(noisy(0.1), { tolerance: 0 });
    expect(inside.classes[0].tree).toEqual({ method: 'direct' });
    expect(inside.classes[0].selection).toMatch(/measurement noise/);
    // The same difference against a 1% spread is real: the C_out >= 128 rule is fitted.
    const clear = fitCalibration(noisy(0.01), { tolerance: 0 });
    expect(clear.classes[0].tree).toMatchObject({ feature: 'cOut', threshold: 128, hi: { method: 'im2col-gemm' } });
  });

  it('keeps the class kernel when another method wins everywhere by less than the noise', () => {
    const dw = [16, 32, 64].map((c) => layer(`dw${c}`, { input: [1, c, 16, 16], weight: [c, 1, 3, 3], groups: c, padding: 1 }, { direct: 0.99, depthwise: 1 }));
    expect(fitCalibration(dw).classes[0].tree).toEqual({ method: 'direct' });
    const noisy = dw.map((l) => ({ ...l, spreads: { direct: 0.05, depthwise: 0.05 } }));
    expect(fitCalibration(noisy).classes[0].tree).toEqual({ method: 'depthwise' });
  });

  it('fits each class on its own', () => {
    const dw = [16, 32, 64].map((c) => layer(`dw${c}`, { input: [1, c, 16, 16], weight: [c, 1, 3, 3], groups: c, padding: 1 }, { depthwise: 1, direct: 2 }));
    const fit = fitCalibration([...synthetic(128, [8, 16, 24], [8, 12, 16]), ...dw]);
    expect(fit.classes.map((c) => c.class)).toEqual(['Depthwise', 'SlidingWindow']);
    expect(fit.classes[0].tree).toEqual({ method: 'depthwise' });
  });

  it('refuses data with nothing measured', () => {
    expect(() => fitCalibration([layer('a', { input: [1, 1, 4, 4], weight: [1, 1, 3, 3] }, {})])).toThrow(/INVALID_ARGUMENT/);
  });
});

describe('the calibrated policy', () => {
  const layers = synthetic(128, [8, 16, 24], [8, 12, 16]);
  const { doc } = calibrationDoc(layers, { fittedAt: '2026-11-01T00:00:00Z' });
  const wide = conv2dSpec({ input: [1, 7, 9, 9], weight: [300, 7, 3, 3] });
  const narrow = conv2dSpec({ input: [1, 7, 9, 9], weight: [100, 7, 3, 3] });
  const pw = conv2dSpec({ input: [1, 7, 9, 9], weight: [100, 7, 1, 1] });
  const ctx = (s: typeof wide) => ({ nodeId: 'n', available: methodsFor(s) });

  it('fitted rules hold at the precision the times were measured in (issue 14)', () => {
    expect(doc.precision).toBe('f32');
    expect(doc.table.rules[0].when.precision).toBe('f32');
    const half = calibrationDoc(layers, { fittedAt: '2026-11-01T00:00:00Z', precision: 'f16' }).doc;
    expect(half.precision).toBe('f16');
    expect(half.table.rules[0]).toMatchObject({ when: { class: 'SlidingWindow', precision: 'f16', cOut: { min: 128 } }, method: 'im2col-gemm' });
    const r = routerFor(half.table, namedProfile('mali'), { env: {} });
    expect(r(wide, { ...ctx(wide), precision: 'f16' }).method).toBe('im2col-gemm');
    // At f32 the f16 times say nothing: the fitted rule fails on precision, the class default decides.
    const d = r(wide, ctx(wide));
    expect(d.method).toBe('direct');
    expect(d.reasons.find((x) => x.rule.includes('SlidingWindow.1'))?.detail).toMatch(/fails precision == f16/);
  });

  it('the table has a rule per leaf with evidence, then class defaults, and covers every conv', () => {
    expect(doc.table.rules[0]).toMatchObject({ when: { class: 'SlidingWindow', cOut: { min: 128 } }, method: 'im2col-gemm' });
    expect(doc.table.rules[1]).toMatchObject({ when: { class: 'SlidingWindow', cOut: { max: 127 } }, method: 'direct' });
    expect(doc.evidence[0]).toMatchObject({ rule: 'SlidingWindow.1', wins: 18, boundaries: ['cOut between 96 (lo) and 128 (hi)'] });
    expect(doc.table.rules.at(-1)).toMatchObject({ when: {}, method: 'direct' });
  });

  it('routes from a calibrated profile file (--policy calibrated --profile file.json)', () => {
    const profile = profileFromJson({ name: 'lavapipe', info: { vendor: 'mesa', architecture: 'software' }, calibration: doc }, 'file.json');
    const route = routerFor('calibrated', profile);
    expect(route(wide, ctx(wide)).method).toBe('im2col-gemm');
    expect(route(narrow, ctx(narrow)).method).toBe('direct');
    expect(route(pw, ctx(pw)).method).toBe('pointwise');
    expect(route(wide, ctx(wide)).policy).toBe('calibrated');
  });

  it('calibrated:<file> reads the table from the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calib-'));
    const file = join(dir, 'p.json');
    writeFileSync(file, JSON.stringify({ info: { vendor: 'mesa' }, calibration: doc }));
    const p = resolvePolicy(`calibrated:${file}`);
    expect(p.decide(wide, namedProfile('unknown')).method).toBe('im2col-gemm');
  });

  it('refuses a profile with no calibration, and a malformed calibration', () => {
    const route = routerFor('calibrated', namedProfile('mali'));
    expect(() => route(wide, ctx(wide))).toThrow(/has no calibration/);
    try {
      profileFromJson({ family: 'mali', calibration: { format: 'other' } });
      throw new Error('accepted');
    } catch (e) {
      expect(isConvrouteError(e, 'INVALID_POLICY')).toBe(true);
      expect((e as { field: string }).field).toBe('profile.calibration.format');
    }
    expect(() => calibrationTable({ ...doc, table: { name: 'x', rules: [] } })).toThrow(/INVALID_POLICY/);
  });
});

describe('fitting where a method cannot compute every layer of its class', () => {
  it('costs a padded 1x1 as the table routes it (pointwise, which pads since issue 12), not as unknown', () => {
    // Pointwise class: pointwise is fastest wherever it runs, padded 1x1s included.
    const layers: MeasuredLayer[] = [];
    for (const [i, c] of [8, 16, 24, 32, 48, 64].entries()) {
      layers.push(layer(`pw${i}`, { input: [1, c, 16, 16], weight: [2 * c, c, 1, 1] }, { pointwise: 1, direct: 3, 'im2col-gemm': 2 }));
    }
    layers.push(layer('padded', { input: [1, 8, 16, 16], weight: [8, 8, 1, 1], padding: 1 }, { pointwise: 1.5, direct: 3, 'im2col-gemm': 2 }));
    const fit = fitCalibration(layers);
    const pw = fit.classes.find((c) => c.class === 'Pointwise')!;
    expect(pw.tree).toEqual({ method: 'pointwise' });
    expect(Number.isFinite(pw.ladder[0].cvTime)).toBe(true);
    expect(fit.trainTime).toBe(6 * 1 + 1.5);
    const table = calibrationTable(calibrationDoc(layers).doc);
    const route = routerFor(table, namedProfile('llvmpipe'));
    const padded = layers.at(-1)!.spec;
    expect(route(padded, { nodeId: 'padded', available: methodsFor(padded) }).method).toBe('pointwise');
  });
});
