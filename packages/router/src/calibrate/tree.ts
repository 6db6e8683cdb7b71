import type { ConvMethod } from '@convroute/core';
import type { SpecFeatures } from '../features.ts';
import { type MeasuredLayer, routedCostOf, routedSpreadOf } from './measurements.ts';

/**
 * The spec fields a fitted rule may split on: all are rule-table fields (rule-table.ts
 * NUMERIC_FIELDS), so a fitted tree is a rule table with no new vocabulary. `cOut` comes first so
 * that, among splits that fit equally well, the one the seed's rule uses (C_out >= 128) wins.
 */
export const FIT_FEATURES = ['cOut', 'cIn', 'kernelArea', 'im2colBytes', 'flops', 'flopsPerOutput', 'outH', 'inH', 'strideH'] as const;
export type FitFeature = (typeof FIT_FEATURES)[number];

/** A measured layer with its spec features, the unit fitting works on. */
export interface Row {
  layer: MeasuredLayer;
  f: SpecFeatures;
  /** The method the class's default rule runs where a fitted method cannot compute the layer
   * (fit.ts classFallback); absent: the class kernel. */
  fallback?: ConvMethod;
}

/** A fitted decision tree: a method, or a split `feature >= threshold` (hi) against the rest (lo).
 * `below` is the largest training value under the threshold: the true boundary lies in (below, threshold]. */
export type FitTree = { method: ConvMethod } | { feature: FitFeature; threshold: number; below: number; hi: FitTree; lo: FitTree };

export function chooseByTree(tree: FitTree, f: SpecFeatures): ConvMethod {
  let t = tree;
  while (!('method' in t)) t = f[t.feature] >= t.threshold ? t.hi : t.lo;
  return t.method;
}

export function leafCount(tree: FitTree): number {
  return 'method' in tree ? 1 : leafCount(tree.hi) + leafCount(tree.lo);
}

/** The distinct conv shapes among rows (a shape measured in two suites counts once). */
export function shapeKey(r: Row): string {
  return JSON.stringify(r.layer.spec);
}

/** The summed noise of the difference between two methods' times over rows. */
function noiseOf(rows: readonly Row[], a: ConvMethod, b: ConvMethod): number {
  return a === b ? 0 : rows.reduce((s, r) => s + routedSpreadOf(r.layer, a, r.fallback) + routedSpreadOf(r.layer, b, r.fallback), 0);
}

/** The single method with the least total time over rows (ties: the earlier method); `prefer`
 * (the class kernel) instead when the fastest beats it only by less than the noise. */
export function leafFit(rows: readonly Row[], methods: readonly ConvMethod[], prefer?: ConvMethod): { method: ConvMethod; cost: number } {
  const costs = methods.map((m) => rows.reduce((c, r) => c + routedCostOf(r.layer, m, r.fallback), 0));
  const best = argmin(costs, methods);
  const k = prefer === undefined ? -1 : methods.indexOf(prefer);
  if (k >= 0 && best.method !== prefer && costs[k] - best.cost <= noiseOf(rows, best.method, methods[k])) return { method: methods[k], cost: costs[k] };
  return best;
}

export interface Split {
  feature: FitFeature;
  threshold: number;
  below: number;
  hi: { method: ConvMethod; cost: number; rows: Row[] };
  lo: { method: ConvMethod; cost: number; rows: Row[] };
  cost: number;
}

/** a < b by more than float rounding of a sum (relative 1e-9). */
function lessThan(a: number, b: number): boolean {
  return a < b - 1e-9 * Math.abs(b) || (b === Number.POSITIVE_INFINITY && a < b);
}

function argmin(costs: readonly number[], methods: readonly ConvMethod[]): { method: ConvMethod; cost: number } {
  let i = 0;
  for (let j = 1; j < costs.length; j++) if (lessThan(costs[j], costs[i])) i = j;
  return { method: methods[i], cost: costs[i] };
}

/**
 * The best single split of rows into two leaves, trying every feature and every boundary between
 * distinct values; prefix and suffix sums per method make each feature O(n * methods). Only splits
 * whose leaves pick different methods count (otherwise the split changes nothing), whose leaves
 * each hold at least two distinct shapes (no rule rests on one shape), and whose saving over
 * `parent` (the leaf being split) exceeds the noise of the times it changes: the spreads of both
 * methods on every row whose method changes. Ties go to the earlier feature, then the lower threshold.
 */
export function bestSplit(
  rows: readonly Row[],
  methods: readonly ConvMethod[],
  features: readonly FitFeature[],
  parent: { method: ConvMethod; cost: number } = { method: methods[0], cost: Number.POSITIVE_INFINITY },
): Split | null {
  let best: Split | null = null;
  const p = methods.indexOf(parent.method);
  for (const feature of features) {
    const sorted = [...rows].sort((a, b) => a.f[feature] - b.f[feature]);
    const n = sorted.length;
    const prefix = methods.map(() => new Float64Array(n + 1));
    const suffix = methods.map(() => new Float64Array(n + 1));
    // Noise of switching from the parent's method to method k, over a prefix or suffix.
    const noisePrefix = methods.map(() => new Float64Array(n + 1));
    const noiseSuffix = methods.map(() => new Float64Array(n + 1));
    methods.forEach((m, k) => {
      const noise = (r: Row) => (k === p ? 0 : routedSpreadOf(r.layer, m, r.fallback) + routedSpreadOf(r.layer, parent.method, r.fallback));
      for (let i = 0; i < n; i++) {
        prefix[k][i + 1] = prefix[k][i] + routedCostOf(sorted[i].layer, m, sorted[i].fallback);
        noisePrefix[k][i + 1] = noisePrefix[k][i] + noise(sorted[i]);
      }
      for (let i = n - 1; i >= 0; i--) {
        suffix[k][i] = suffix[k][i + 1] + routedCostOf(sorted[i].layer, m, sorted[i].fallback);
        noiseSuffix[k][i] = noiseSuffix[k][i + 1] + noise(sorted[i]);
      }
    });
    const shapesBefore = distinctCounts(sorted);
    const shapesAfter = distinctCounts([...sorted].reverse()).reverse();
    for (let i = 1; i < n; i++) {
      const below = sorted[i - 1].f[feature];
      const threshold = sorted[i].f[feature];
      if (threshold === below) continue;
      if (shapesBefore[i] < 2 || shapesAfter[i] < 2) continue;
      const lo = argmin(
        prefix.map((q) => q[i]),
        methods,
      );
      const hi = argmin(
        suffix.map((q) => q[i]),
        methods,
      );
      if (lo.method === hi.method) continue;
      const cost = lo.cost + hi.cost;
      const noise = noisePrefix[methods.indexOf(lo.method)][i] + noiseSuffix[methods.indexOf(hi.method)][i];
      if (!(parent.cost - cost > noise)) continue;
      // Sums in different orders differ in the last bits: only a real improvement replaces a tie.
      if (best === null || lessThan(cost, best.cost)) {
        best = { feature, threshold, below, cost, lo: { ...lo, rows: sorted.slice(0, i) }, hi: { ...hi, rows: sorted.slice(i) } };
      }
    }
  }
  return best;
}

/** counts[i]: the distinct shapes among rows[0..i) (length rows.length + 1). */
function distinctCounts(rows: readonly Row[]): number[] {
  const seen = new Set<string>();
  const counts = [0];
  for (const r of rows) {
    seen.add(shapeKey(r));
    counts.push(seen.size);
  }
  return counts;
}

interface Node {
  rows: Row[];
  method: ConvMethod;
  cost: number;
  split?: { feature: FitFeature; threshold: number; below: number; hi: Node; lo: Node };
}

function snapshot(n: Node): FitTree {
  if (!n.split) return { method: n.method };
  const { feature, threshold, below, hi, lo } = n.split;
  return { feature, threshold, below, hi: snapshot(hi), lo: snapshot(lo) };
}

function leaves(n: Node): Node[] {
  return n.split ? [...leaves(n.split.hi), ...leaves(n.split.lo)] : [n];
}

/**
 * Trees of 1, 2, ... maxLeaves leaves, grown best-first: each step splits the leaf whose best
 * split saves the most time (CART-style greedy growth, Breiman et al. 1984, with total time as
 * the impurity). Stops early when no split saves more than the noise; the ladder is then shorter.
 * The root picks `prefer` (the class kernel) unless another method beats it by more than the noise.
 */
export function fitLadder(
  rows: readonly Row[],
  methods: readonly ConvMethod[],
  features: readonly FitFeature[],
  maxLeaves: number,
  prefer?: ConvMethod,
): FitTree[] {
  const root: Node = { rows: [...rows], ...leafFit(rows, methods, prefer) };
  const ladder: FitTree[] = [snapshot(root)];
  const splitCache = new Map<Node, Split | null>();
  while (ladder.length < maxLeaves) {
    let pick: { node: Node; split: Split; gain: number } | null = null;
    for (const leaf of leaves(root)) {
      if (!splitCache.has(leaf)) splitCache.set(leaf, bestSplit(leaf.rows, methods, features, leaf));
      const split = splitCache.get(leaf);
      if (!split) continue;
      const gain = leaf.cost === Number.POSITIVE_INFINITY && split.cost < leaf.cost ? Number.POSITIVE_INFINITY : leaf.cost - split.cost;
      // A relative floor so float noise in the sums never counts as a saving.
      if (!(gain > 1e-12 * Math.max(1, Math.abs(leaf.cost)))) continue;
      if (!pick || gain > pick.gain) pick = { node: leaf, split, gain };
    }
    if (!pick) break;
    const { node, split } = pick;
    node.split = {
      feature: split.feature,
      threshold: split.threshold,
      below: split.below,
      hi: { rows: split.hi.rows, method: split.hi.method, cost: split.hi.cost },
      lo: { rows: split.lo.rows, method: split.lo.method, cost: split.lo.cost },
    };
    ladder.push(snapshot(root));
  }
  return ladder;
}
