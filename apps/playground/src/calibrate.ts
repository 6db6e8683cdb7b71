import type { AdapterInfoLike, CalibrationDoc, DeviceProfile, Evaluation, MeasuredLayer } from '@convroute/router';
import { calibrationDoc, evaluateChoices, profileFromJson, profileToJson, routerFor } from '@convroute/router';

export interface PolicyScore {
  policy: string;
  evaluation: Evaluation;
}

export interface Calibration {
  doc: CalibrationDoc;
  /** The device profile with the fitted table under `calibration`: what `--profile` reads. */
  profileJson: Record<string, unknown>;
  /** Built-in policies and the calibrated one, replayed over the measurements. */
  scores: PolicyScore[];
}

/** Replays a policy's choice on each measured layer (only methods that were measured count). */
function score(policy: string, profile: DeviceProfile, layers: readonly MeasuredLayer[]): Evaluation {
  const route = routerFor(policy, profile);
  return evaluateChoices(layers, (l) => route(l.spec, { nodeId: l.name, available: Object.keys(l.times) as never }).method);
}

/**
 * Fits the router's calibration to the page's bench (router/calibrate: simplest per-class tree
 * within a few percent of the per-layer best, held out by shape) and builds the calibrated profile.
 * The profile is read back through profileFromJson, so a download is known to load.
 */
export function calibrateFromBench(layers: readonly MeasuredLayer[], profile: DeviceProfile, info: AdapterInfoLike): Calibration {
  const { doc } = calibrationDoc(layers, {
    unit: 'ms',
    measuredOn: { ...info, source: 'convroute playground' },
    fittedAt: new Date().toISOString(),
    sources: ['playground bench'],
  });
  const profileJson = { ...(profileToJson(profile) as Record<string, unknown>), calibration: doc };
  const calibrated = profileFromJson(JSON.parse(JSON.stringify(profileJson)), 'playground calibration');
  const scores = ['etvk', 'etvk-legacy', 'calibrated'].map((policy) => ({ policy, evaluation: score(policy, calibrated, layers) }));
  return { doc, profileJson, scores };
}
