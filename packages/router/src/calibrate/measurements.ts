import { type Conv2dSpec, type ConvMethod, convMethodRejection } from '@convroute/core';
import { CLASS_METHOD, classify } from '../classify.ts';

/**
 * What calibration and policy comparison read from a benchmark: one distinct conv shape, how often
 * it occurs (so totals are per forward pass of the model), and the measured time of each method
 * the backend ran for it (a median, in one unit for the whole set). A method that is absent was
 * not measured (unsupported, failed or crashed): choosing it costs an unknown, so Infinity.
 */
export interface MeasuredLayer {
  /** A stable, unique name, e.g. `resnet18/layer1.0.conv1`. */
  name: string;
  spec: Conv2dSpec;
  /** Occurrences of this shape (>= 1): times are weighted by it. */
  weight: number;
  times: Partial<Record<ConvMethod, number>>;
  /** The spread of each method's repeated samples (interquartile range, same unit as `times`):
   * the measurement noise. A difference in time smaller than the spreads behind it is noise,
   * and calibration fits no rule on it. Absent: no repeated samples, taken as 0. */
  spreads?: Partial<Record<ConvMethod, number>>;
}

/** The measured time of a method on a layer (weighted), Infinity when it was not measured. */
export function costOf(layer: MeasuredLayer, method: ConvMethod): number {
  const t = layer.times[method];
  return t === undefined || !Number.isFinite(t) ? Number.POSITIVE_INFINITY : t * layer.weight;
}

/**
 * The time a fitted rule choosing `method` really costs on a layer. Where the method cannot compute
 * the layer at all (pointwise on a padded 1x1, Winograd on a stride-2 conv), the emitted table
 * falls through to the class's default rule, whose method is `fallback` (the class kernel unless
 * calibration found a faster method for every layer of the class: rules-from-fit.ts), then the
 * class kernel, then direct, so the cost is theirs; a method that could have run but was not
 * measured stays Infinity.
 */
export function routedCostOf(layer: MeasuredLayer, method: ConvMethod, fallback?: ConvMethod): number {
  return costOf(layer, routedMethod(layer, method, fallback));
}

/** The method a fitted rule choosing `method` really runs on a layer (see routedCostOf). */
function routedMethod(layer: MeasuredLayer, method: ConvMethod, fallback?: ConvMethod): ConvMethod {
  if (convMethodRejection(method, layer.spec) === null) return method;
  for (const m of [fallback, CLASS_METHOD[classify(layer.spec)]]) if (m !== undefined && convMethodRejection(m, layer.spec) === null) return m;
  return 'direct';
}

/** The weighted noise of a method's time on a layer (its samples' spread; 0 when unknown). */
export function routedSpreadOf(layer: MeasuredLayer, method: ConvMethod, fallback?: ConvMethod): number {
  const s = layer.spreads?.[routedMethod(layer, method, fallback)];
  return s !== undefined && Number.isFinite(s) && s > 0 ? s * layer.weight : 0;
}

/** The fastest measured method (ties: the first in the layer's own order), or null when none was. */
export function bestOf(layer: MeasuredLayer): { method: ConvMethod; time: number } | null {
  let best: { method: ConvMethod; time: number } | null = null;
  for (const [m, t] of Object.entries(layer.times) as [ConvMethod, number][]) {
    if (t === undefined || !Number.isFinite(t)) continue;
    if (!best || t < best.time) best = { method: m, time: t };
  }
  return best;
}

/** The methods measured on at least one layer, in first-seen order. */
export function measuredMethods(layers: readonly MeasuredLayer[]): ConvMethod[] {
  const seen = new Set<ConvMethod>();
  for (const l of layers) for (const [m, t] of Object.entries(l.times)) if (t !== undefined && Number.isFinite(t)) seen.add(m as ConvMethod);
  return [...seen];
}
