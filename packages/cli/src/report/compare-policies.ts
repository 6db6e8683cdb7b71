import { type ConvMethod, isConvrouteError } from '@convroute/core';
import {
  type CalibrationDoc,
  calibratedPolicy,
  calibrationDoc,
  type DeviceProfile,
  type Evaluation,
  evaluateChoices,
  type MeasuredLayer,
  type Policy,
  resolvePolicy,
  routerFor,
} from '@convroute/router';

export interface PolicyResult {
  policy: string;
  description: string;
  evaluation: Evaluation;
  /** Fitted on the very measurements it is scored on: its regret is in-sample (optimistic). */
  inSample: boolean;
}

/** The fitted table's held-out estimate (each shape routed by a table fitted without it), over
 * the classes that have one; null time and regret when none does (`missing` says why). */
export interface HeldOut {
  total: number | null;
  bestTotal: number;
  regretFraction: number | null;
  missing: { class: string; reason: string }[];
}

export interface PolicyComparison {
  policies: PolicyResult[];
  /** Layers where the policies do not all choose the same method. */
  differ: string[];
  /** Set when `calibrated` was fitted here, on the same data (in-sample; see heldOut). */
  fitted?: { doc: CalibrationDoc; heldOut: HeldOut };
}

function heldOutOf(doc: CalibrationDoc): HeldOut {
  const { cvTime, cvBestTime, heldOutMissing } = doc.fit;
  const regretFraction = cvTime !== null && cvBestTime > 0 ? cvTime / cvBestTime - 1 : null;
  return { total: cvTime, bestTotal: cvBestTime, regretFraction, missing: heldOutMissing };
}

/** `calibrated` with no file: fit on the measurements being compared. */
function policyFor(name: string, layers: readonly MeasuredLayer[], profile: DeviceProfile): { policy: Policy; doc?: CalibrationDoc } {
  if (name === 'calibrated' && !profile.calibration) {
    const { doc } = calibrationDoc(layers);
    return { policy: calibratedPolicy(doc.table), doc };
  }
  return { policy: resolvePolicy(name) };
}

/**
 * What each policy's choices cost on measured layers. A policy decides through routerFor, with
 * the layer's measured methods as what the backend "can run", so `always:<m>` falls back where
 * m was not measured; a binding choice that was not measured costs Infinity and is listed.
 */
export function comparePolicies(layers: readonly MeasuredLayer[], names: readonly string[], profile: DeviceProfile): PolicyComparison {
  let fitted: PolicyComparison['fitted'];
  const policies = names.map((name): PolicyResult => {
    const { policy, doc } = policyFor(name, layers, profile);
    if (doc) fitted = { doc, heldOut: heldOutOf(doc) };
    const route = routerFor(policy, profile);
    const evaluation = evaluateChoices(layers, (l) => {
      const available = Object.keys(l.times) as ConvMethod[];
      try {
        return route(l.spec, { nodeId: l.name, available }).method;
      } catch (e) {
        if (isConvrouteError(e, 'UNSUPPORTED_METHOD')) return e.value as ConvMethod;
        throw e;
      }
    });
    return { policy: name, description: policy.description, evaluation, inSample: doc !== undefined };
  });
  const names0 = policies[0]?.evaluation.perLayer.map((o) => o.name) ?? [];
  const differ = names0.filter((_, i) => new Set(policies.map((p) => p.evaluation.perLayer[i].method)).size > 1);
  return { policies, differ, fitted };
}

/** A policy's name as tables print it: an in-sample fit says so. */
export function policyLabel(p: PolicyResult): string {
  return p.inSample ? `${p.policy} (in-sample)` : p.policy;
}

/** The held-out sentence under a comparison with a table fitted on its own data. */
export function heldOutSentence(h: HeldOut): string {
  const head = `calibrated was fitted on these measurements, so its regret above is in-sample (optimistic); held out (each shape routed by a table fitted without it): `;
  if (h.total === null) return `${head}n/a (${h.missing.map((m) => `${m.class}: ${m.reason}`).join('; ')})`;
  if (!Number.isFinite(h.total)) return `${head}n/a (a held-out route chose a method that shape was not measured with)`;
  const pct = h.regretFraction === null ? 'n/a' : `${(100 * h.regretFraction).toFixed(2)}%`;
  const scope = h.missing.length
    ? ` over the classes with an estimate (per-layer best ${h.bestTotal.toFixed(2)} ms; n/a for ${h.missing.map((m) => m.class).join(', ')}: one shape)`
    : '';
  return `${head}total ${h.total.toFixed(2)} ms, regret ${pct}${scope}`;
}
