import type { ConvMethod } from '@convroute/core';
import { bestOf, costOf, type MeasuredLayer } from './measurements.ts';

/** What one policy's choice costs on one measured layer. Times are weighted by occurrences. */
export interface LayerOutcome {
  name: string;
  method: ConvMethod;
  /** weight * measured time of `method`; Infinity when that method was not measured. */
  time: number;
  bestMethod: ConvMethod;
  bestTime: number;
  /** time - bestTime (>= 0) */
  regret: number;
}

export interface Evaluation {
  perLayer: LayerOutcome[];
  total: number;
  /** The per-layer best (an oracle that knows every measurement): the lower bound of any policy. */
  bestTotal: number;
  regret: number;
  /** regret / bestTotal */
  regretFraction: number;
  /** Layers whose chosen method was not measured (their time is Infinity). */
  unmeasured: string[];
}

/**
 * Replays a chooser (a policy, a fitted table) over measured layers: per layer the time of its
 * choice against the fastest measured method, and totals. Layers with no measurement are skipped.
 */
export function evaluateChoices(layers: readonly MeasuredLayer[], choose: (layer: MeasuredLayer) => ConvMethod): Evaluation {
  const perLayer: LayerOutcome[] = [];
  for (const layer of layers) {
    const best = bestOf(layer);
    if (!best) continue;
    const method = choose(layer);
    const time = costOf(layer, method);
    const bestTime = best.time * layer.weight;
    perLayer.push({ name: layer.name, method, time, bestMethod: best.method, bestTime, regret: time - bestTime });
  }
  const total = perLayer.reduce((s, o) => s + o.time, 0);
  const bestTotal = perLayer.reduce((s, o) => s + o.bestTime, 0);
  const regret = total - bestTotal;
  return {
    perLayer,
    total,
    bestTotal,
    regret,
    regretFraction: bestTotal > 0 ? regret / bestTotal : 0,
    unmeasured: perLayer.filter((o) => !Number.isFinite(o.time)).map((o) => o.name),
  };
}
