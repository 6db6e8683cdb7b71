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
}

export interface PolicyComparison {
  policies: PolicyResult[];
  /** Layers where the policies do not all choose the same method. */
  differ: string[];
  /** Set when `calibrated` was fitted here, on the same data (in-sample; see heldOut). */
  fitted?: { doc: CalibrationDoc; heldOut: { total: number; regretFraction: number } };
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
    if (doc) fitted = { doc, heldOut: { total: doc.fit.cvTime, regretFraction: doc.fit.cvTime / doc.fit.bestTime - 1 } };
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
    return { policy: name, description: policy.description, evaluation };
  });
  const names0 = policies[0]?.evaluation.perLayer.map((o) => o.name) ?? [];
  const differ = names0.filter((_, i) => new Set(policies.map((p) => p.evaluation.perLayer[i].method)).size > 1);
  return { policies, differ, fitted };
}
