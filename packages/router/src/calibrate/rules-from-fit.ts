import type { ConvMethod, Precision } from '@convroute/core';
import { CLASS_METHOD, CONV_CLASSES, type ConvClass } from '../classify.ts';
import { specFeatures } from '../features.ts';
import type { Rule, RuleTable } from '../rule-types.ts';
import type { CalibrationFit, ClassFit } from './fit.ts';
import { bestOf, costOf, type MeasuredLayer } from './measurements.ts';
import type { FitFeature, FitTree } from './tree.ts';

/** Why a fitted rule exists: the measured layers that reach it and what each method costs there. */
export interface RuleEvidence {
  rule: string;
  class: ConvClass;
  method: ConvMethod;
  /** Measured layers this rule decides (in the data it was fitted to). */
  layers: string[];
  /** How many of them have `method` as their fastest measured method. */
  wins: number;
  /** Weighted total time of each measured method over those layers (Infinity: not measured everywhere). */
  timeByMethod: Partial<Record<ConvMethod, number>>;
  /** For each split on the way: where the boundary lies between the measured values. */
  boundaries: string[];
}

type Range = { min?: number; max?: number };

function conditionsText(conds: Map<FitFeature, Range>): string {
  return [...conds]
    .map(([f, r]) =>
      r.min !== undefined && r.max !== undefined ? `${r.min} <= ${f} <= ${r.max}` : r.min !== undefined ? `${f} >= ${r.min}` : `${f} <= ${r.max}`,
    )
    .join(' and ');
}

/**
 * Turns one class's tree into ordered rules: one per leaf, conditions on both sides of each split
 * (`>= threshold` and `<= threshold - 1`; every fitted field is an integer), so each rule reads on
 * its own. Leaves come out hi before lo, which an ordered table tests in that order.
 */
function classRules(fit: ClassFit, layers: readonly MeasuredLayer[], precision: Precision): { rules: Rule[]; evidence: RuleEvidence[] } {
  const rules: Rule[] = [];
  const evidence: RuleEvidence[] = [];
  const walk = (t: FitTree, conds: Map<FitFeature, Range>, reach: readonly MeasuredLayer[], boundaries: string[]) => {
    if ('method' in t) {
      const name = `${fit.class}.${rules.length + 1}`;
      const timeByMethod: Partial<Record<ConvMethod, number>> = {};
      for (const m of fit.methods) timeByMethod[m] = reach.reduce((s, l) => s + costOf(l, m), 0);
      const wins = reach.filter((l) => bestOf(l)?.method === t.method).length;
      const others = fit.methods.filter((m) => m !== t.method).map((m) => `${m} ${fmt(timeByMethod[m] as number)}`);
      // Times hold for the arithmetic they were measured in: a fitted rule applies at that precision.
      const when: Rule['when'] = { class: fit.class, precision };
      for (const [f, r] of conds) when[f] = { ...r };
      rules.push({
        name,
        why: `fitted: fastest on ${wins} of ${reach.length} measured layers${conds.size ? ` with ${conditionsText(conds)}` : ''}; total ${fmt(timeByMethod[t.method] as number)} against ${others.join(', ') || 'no other method'}`,
        when,
        method: t.method,
      });
      evidence.push({ rule: name, class: fit.class, method: t.method, layers: reach.map((l) => l.name), wins, timeByMethod, boundaries });
      return;
    }
    const boundary = `${t.feature} between ${t.below} (lo) and ${t.threshold} (hi)`;
    const hi = new Map(conds);
    hi.set(t.feature, { ...hi.get(t.feature), min: t.threshold });
    const lo = new Map(conds);
    lo.set(t.feature, { ...lo.get(t.feature), max: t.threshold - 1 });
    const value = (l: MeasuredLayer) => specFeatures(l.spec)[t.feature];
    walk(
      t.hi,
      hi,
      reach.filter((l) => value(l) >= t.threshold),
      [...boundaries, boundary],
    );
    walk(
      t.lo,
      lo,
      reach.filter((l) => value(l) < t.threshold),
      [...boundaries, boundary],
    );
  };
  const mine = layers.filter((l) => fit.layers.includes(l.name));
  walk(fit.tree, new Map(), mine, []);
  return { rules, evidence };
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(4) : 'unmeasured';
}

/** The fitted classes' rules, then each class's own kernel (for classes not measured, and for a
 * conv a fitted method cannot compute), then direct: the table covers every conv. */
export function tableFromFit(
  fit: CalibrationFit,
  layers: readonly MeasuredLayer[],
  name = 'calibrated',
  precision: Precision = 'f32',
): { table: RuleTable; evidence: RuleEvidence[] } {
  const rules: Rule[] = [];
  const evidence: RuleEvidence[] = [];
  for (const c of fit.classes) {
    if (c.leaves === 0) continue; // not fitted (one shape): the class default below routes it
    const r = classRules(c, layers, precision);
    rules.push(...r.rules);
    evidence.push(...r.evidence);
  }
  const measured = new Map(fit.classes.map((c) => [c.class, c]));
  const why = (cls: ConvClass) => {
    const c = measured.get(cls);
    if (!c) return 'not measured: the class kernel';
    return c.leaves === 0 ? `${c.selection}` : 'the class kernel, where no fitted rule could compute the conv';
  };
  for (const cls of CONV_CLASSES) {
    const c = measured.get(cls);
    // A class whose fastest method on every measured layer is not its kernel falls back to that
    // method where a fitted rule's method cannot compute a conv (fit.ts classFallback), at the
    // precision it was measured in; the class kernel still routes what that method cannot.
    if (c && c.leaves > 0 && c.fallback !== CLASS_METHOD[cls]) {
      rules.push({
        name: `${cls}.fallback`,
        why: `the fastest method measured on every ${cls} layer, where no fitted rule could compute the conv`,
        when: { class: cls, precision },
        method: c.fallback,
      });
    }
    rules.push({
      name: `${cls}.default`,
      why: why(cls),
      when: { class: cls },
      method: CLASS_METHOD[cls],
    });
  }
  rules.push({ name: 'default', why: 'direct computes every forward conv', when: {}, method: 'direct' });
  return {
    table: { name, description: `fitted by convroute calibrate from ${layers.length} measured conv shapes (tolerance ${fit.options.tolerance})`, rules },
    evidence,
  };
}
