import { type ConvMethod, ConvrouteError, convMethodRejection } from '@convroute/core';
import { CLASS_METHOD, CONV_CLASSES, type ConvClass } from '../classify.ts';
import { specFeatures } from '../features.ts';
import { bestOf, costOf, type MeasuredLayer, measuredMethods, routedCostOf } from './measurements.ts';
import { chooseByTree, FIT_FEATURES, type FitFeature, type FitTree, fitLadder, leafCount, type Row, shapeKey } from './tree.ts';

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
  /** The chosen rung (0: no rule fitted, the class kernel routes the class), and why. */
  leaves: number;
  /** The method of the class's default rule, run where no fitted rule's method can compute a conv:
   * the fastest method measured on every layer of the class, the class kernel on a tie or when
   * none was (classFallback). */
  fallback: ConvMethod;
  selection: string;
  tree: FitTree;
}

/**
 * Held-out time of each rung: every distinct shape is routed by trees fitted on the other shapes
 * (leave-one-out grouped by shape, so a shape shared by two suites never sits on both sides).
 * NaN for every rung when there is no second shape to train on.
 */
function crossValidate(
  rows: readonly Row[],
  methods: readonly ConvMethod[],
  features: readonly FitFeature[],
  maxLeaves: number,
  prefer?: ConvMethod,
): number[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) groups.set(shapeKey(r), [...(groups.get(shapeKey(r)) ?? []), r]);
  if (groups.size < 2) return Array.from({ length: maxLeaves }, () => Number.NaN);
  const cv = new Array<number>(maxLeaves).fill(0);
  for (const [key, held] of groups) {
    const train = rows.filter((r) => shapeKey(r) !== key);
    const ladder = fitLadder(train, methods, features, maxLeaves, prefer);
    for (let k = 0; k < maxLeaves; k++) {
      const tree = ladder[Math.min(k, ladder.length - 1)];
      for (const r of held) cv[k] += routedCostOf(r.layer, chooseByTree(tree, r.f), r.fallback);
    }
  }
  return cv;
}

/**
 * The class's fallback: among the methods that compute and were measured on every layer of the
 * class, the one of least total time, the class kernel unless another is faster. Without it a rule
 * for a method that computes only some convs (Winograd: 3x3 stride 1) would send the rest to the
 * class kernel even where that is the slowest method (on the H200, direct for SlidingWindow).
 */
function classFallback(rows: readonly Row[], methods: readonly ConvMethod[], kernel: ConvMethod): ConvMethod {
  const total = (m: ConvMethod) =>
    rows.every((r) => convMethodRejection(m, r.layer.spec) === null) ? rows.reduce((s, r) => s + costOf(r.layer, m), 0) : Number.POSITIVE_INFINITY;
  let best = kernel;
  let bestTime = total(kernel);
  for (const m of methods) {
    const t = total(m);
    if (Number.isFinite(t) && t < bestTime) [best, bestTime] = [m, t];
  }
  return best;
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** Fits one class: the ladder of trees, their held-out times, and the simplest acceptable rung.
 * A class measured on one distinct shape gets no rule: one shape cannot say where a method wins,
 * so its class kernel (the table's `<class>.default` rule) routes it. */
function fitClass(cls: ConvClass, classRows: readonly Row[], options: Required<CalibrationOptions>): ClassFit {
  const methods = measuredMethods(classRows.map((r) => r.layer));
  const { tolerance, maxLeaves, features } = options;
  const bestTime = classRows.reduce((s, r) => s + (bestOf(r.layer)?.time ?? 0) * r.layer.weight, 0);
  const layers = classRows.map((r) => r.layer.name);
  const kernel = CLASS_METHOD[cls];
  if (new Set(classRows.map(shapeKey)).size < 2) {
    const trainTime = classRows.reduce((s, r) => s + routedCostOf(r.layer, kernel), 0);
    const selection = `not fitted: one distinct shape (${layers.join(', ')}) cannot show where a method wins; the class kernel ${kernel} routes it`;
    return {
      class: cls,
      layers,
      methods,
      bestTime,
      ladder: [{ leaves: 0, trainTime, cvTime: Number.NaN }],
      leaves: 0,
      fallback: kernel,
      selection,
      tree: { method: kernel },
    };
  }
  const fallback = classFallback(classRows, methods, kernel);
  const rows = classRows.map((r) => ({ ...r, fallback }));
  const prefer = methods.includes(kernel) ? kernel : undefined;
  const ladderTrees = fitLadder(rows, methods, features, maxLeaves, prefer);
  const cv = crossValidate(rows, methods, features, ladderTrees.length, prefer);
  const ladder: LadderStep[] = ladderTrees.map((tree, k) => ({
    leaves: leafCount(tree),
    trainTime: rows.reduce((s, r) => s + routedCostOf(r.layer, chooseByTree(tree, r.f), fallback), 0),
    cvTime: cv[k],
  }));
  let pick = 0;
  let selection: string;
  if (ladder.every((s) => !Number.isFinite(s.cvTime))) {
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
  if (ladderTrees.length < maxLeaves) selection += '; no further split (two or more shapes a side) saves more than the measurement noise';
  return { class: cls, layers, methods, bestTime, ladder, leaves: ladder[pick].leaves, fallback, selection, tree: ladderTrees[pick] };
}

export interface CalibrationFit {
  classes: ClassFit[];
  /** Weighted totals over every layer: the per-layer best, and the chosen trees in-sample. */
  bestTime: number;
  trainTime: number;
  /** Held out, over the classes that have an estimate (`heldOutClasses`), against their own
   * per-layer best `cvBestTime`; NaN (and cvBestTime 0) when no class has one. */
  cvTime: number;
  cvBestTime: number;
  heldOutClasses: ConvClass[];
  /** Classes without a held-out estimate, and why. */
  heldOutMissing: { class: ConvClass; reason: string }[];
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
  const sum = (cs: readonly ClassFit[], k: (c: ClassFit) => number) => cs.reduce((s, c) => s + k(c), 0);
  const chosen = (c: ClassFit) => c.ladder.find((s) => s.leaves === c.leaves) as LadderStep;
  // In-sample times never stand in for held-out ones: a class without an estimate is left out.
  const held = classes.filter((c) => !Number.isNaN(chosen(c).cvTime));
  return {
    classes,
    bestTime: sum(classes, (c) => c.bestTime),
    trainTime: sum(classes, (c) => chosen(c).trainTime),
    cvTime: held.length ? sum(held, (c) => chosen(c).cvTime) : Number.NaN,
    cvBestTime: sum(held, (c) => c.bestTime),
    heldOutClasses: held.map((c) => c.class),
    heldOutMissing: classes.filter((c) => !held.includes(c)).map((c) => ({ class: c.class, reason: c.selection })),
    options: opts,
  };
}
