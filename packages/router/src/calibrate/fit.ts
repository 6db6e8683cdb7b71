import { type ConvMethod, ConvrouteError } from '@convroute/core';
import { CONV_CLASSES, type ConvClass } from '../classify.ts';
import { specFeatures } from '../features.ts';
import { bestOf, type MeasuredLayer, measuredMethods, routedCostOf } from './measurements.ts';
import { chooseByTree, FIT_FEATURES, type FitFeature, type FitTree, fitLadder, leafCount, type Row } from './tree.ts';

export interface CalibrationOptions {
  /** Accept the simplest tree whose held-out regret is at most this fraction of the per-layer
   * best time (default 0.03: "within a few percent"). */
  tolerance?: number;
  /** Largest tree tried per class, in leaves (= rules); default 4. */
  maxLeaves?: number;
  /** Fields splits may use; default FIT_FEATURES. */
  features?: readonly FitFeature[];
}

/** One rung of a class's ladder: the tree with `leaves` leaves, its time on the data it was
 * fitted to, and its leave-one-shape-out time (each shape routed by a tree fitted without it). */
export interface LadderStep {
  leaves: number;
  trainTime: number;
  cvTime: number;
}

export interface ClassFit {
  class: ConvClass;
  layers: string[];
  methods: ConvMethod[];
  /** Sum of per-layer best times: no policy can do better on these layers. */
  bestTime: number;
  ladder: LadderStep[];
  /** The chosen rung, and why it was chosen. */
  leaves: number;
  selection: string;
  tree: FitTree;
}

function shapeKey(r: Row): string {
  return JSON.stringify(r.layer.spec);
}

/**
 * Held-out time of each rung: every distinct shape is routed by trees fitted on the other shapes
 * (leave-one-out grouped by shape, so a shape shared by two suites never sits on both sides).
 * NaN for every rung when there is no second shape to train on.
 */
function crossValidate(rows: readonly Row[], methods: readonly ConvMethod[], features: readonly FitFeature[], maxLeaves: number): number[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) groups.set(shapeKey(r), [...(groups.get(shapeKey(r)) ?? []), r]);
  if (groups.size < 2) return Array.from({ length: maxLeaves }, () => Number.NaN);
  const cv = new Array<number>(maxLeaves).fill(0);
  for (const [key, held] of groups) {
    const train = rows.filter((r) => shapeKey(r) !== key);
    const ladder = fitLadder(train, methods, features, maxLeaves);
    for (let k = 0; k < maxLeaves; k++) {
      const tree = ladder[Math.min(k, ladder.length - 1)];
      for (const r of held) cv[k] += routedCostOf(r.layer, chooseByTree(tree, r.f));
    }
  }
  return cv;
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** Fits one class: the ladder of trees, their held-out times, and the simplest acceptable rung. */
export function fitClass(cls: ConvClass, rows: readonly Row[], options: Required<CalibrationOptions>): ClassFit {
  const methods = measuredMethods(rows.map((r) => r.layer));
  const { tolerance, maxLeaves, features } = options;
  const ladderTrees = fitLadder(rows, methods, features, maxLeaves);
  const cv = crossValidate(rows, methods, features, ladderTrees.length);
  const bestTime = rows.reduce((s, r) => s + (bestOf(r.layer)?.time ?? 0) * r.layer.weight, 0);
  const ladder: LadderStep[] = ladderTrees.map((tree, k) => ({
    leaves: leafCount(tree),
    trainTime: rows.reduce((s, r) => s + routedCostOf(r.layer, chooseByTree(tree, r.f)), 0),
    cvTime: cv[k],
  }));
  let pick = 0;
  let selection: string;
  if (ladder.some((s) => Number.isNaN(s.cvTime))) {
    selection = 'one distinct shape: nothing to hold out, so the single best method';
  } else if (ladder.every((s) => !Number.isFinite(s.cvTime))) {
    // Every held-out route hits a method the held-out shape was not measured with.
    pick = ladder.findIndex((s) => s.trainTime <= bestTime * (1 + tolerance));
    if (pick < 0) pick = ladder.length - 1;
    selection = `no finite held-out estimate (methods unmeasured on some shapes); simplest tree within ${pct(tolerance)} on the fitted data`;
  } else {
    const within = ladder.findIndex((s) => s.cvTime <= bestTime * (1 + tolerance));
    if (within >= 0) {
      pick = within;
      selection = `simplest tree whose held-out regret ${pct(ladder[pick].cvTime / bestTime - 1)} is within ${pct(tolerance)} of the per-layer best`;
    } else {
      // Nothing reaches the tolerance: the simplest tree within it of the best held-out time.
      const bestCv = Math.min(...ladder.map((s) => s.cvTime));
      pick = ladder.findIndex((s) => s.cvTime <= bestCv * (1 + tolerance));
      selection = `no tree within ${pct(tolerance)} of the per-layer best held out (best ${pct(bestCv / bestTime - 1)}); simplest tree within ${pct(tolerance)} of that`;
    }
  }
  return { class: cls, layers: rows.map((r) => r.layer.name), methods, bestTime, ladder, leaves: ladder[pick].leaves, selection, tree: ladderTrees[pick] };
}

export interface CalibrationFit {
  classes: ClassFit[];
  /** Weighted totals over every fitted layer: in-sample for the chosen trees, and held out. */
  bestTime: number;
  trainTime: number;
  cvTime: number;
  options: Required<CalibrationOptions>;
}

/** Fits each conv class present in the measurements independently (rule tables test the class first). */
export function fitCalibration(layers: readonly MeasuredLayer[], options: CalibrationOptions = {}): CalibrationFit {
  const opts: Required<CalibrationOptions> = { tolerance: 0.03, maxLeaves: 4, features: FIT_FEATURES, ...options };
  if (!(opts.tolerance >= 0)) throw new ConvrouteError('INVALID_ARGUMENT', 'tolerance', opts.tolerance, 'must be a fraction >= 0');
  if (!Number.isInteger(opts.maxLeaves) || opts.maxLeaves < 1)
    throw new ConvrouteError('INVALID_ARGUMENT', 'maxLeaves', opts.maxLeaves, 'must be an integer >= 1');
  const rows: Row[] = layers.filter((l) => bestOf(l) !== null).map((layer) => ({ layer, f: specFeatures(layer.spec) }));
  if (rows.length === 0) throw new ConvrouteError('INVALID_ARGUMENT', 'bench', layers.length, 'no layer has a measured method to fit from');
  const classes = CONV_CLASSES.flatMap((cls) => {
    const mine = rows.filter((r) => r.f.class === cls);
    return mine.length ? [fitClass(cls, mine, opts)] : [];
  });
  const sum = (k: (c: ClassFit) => number) => classes.reduce((s, c) => s + k(c), 0);
  const chosen = (c: ClassFit) => c.ladder.find((s) => s.leaves === c.leaves) as LadderStep;
  return {
    classes,
    bestTime: sum((c) => c.bestTime),
    trainTime: sum((c) => chosen(c).trainTime),
    cvTime: sum((c) => (Number.isNaN(chosen(c).cvTime) ? chosen(c).trainTime : chosen(c).cvTime)),
    options: opts,
  };
}
