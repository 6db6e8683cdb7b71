import { specFeatures } from '@convroute/router';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { BenchFile } from '../bench/format.ts';
import { type PolicyComparison, policyLabel } from './compare-policies.ts';

/** Renders a Vega-Lite spec to an SVG string in Node (no canvas, no browser). */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Median (a point) and interquartile range (a line) of every ok case of one suite, by layer and
 * method, on a log time axis. Points, not bars: a bar on a log scale starts at 0, whose log is
 * -Infinity, and Vega writes NaN into the SVG (the chart came out empty). */
export function perLayerSpec(benches: readonly BenchFile[], suite: string): TopLevelSpec | null {
  const values = benches.flatMap((b) => {
    const layers = new Map(b.layers.filter((l) => l.suite === suite).map((l) => [l.id, l]));
    return b.results.flatMap((r) => {
      const l = layers.get(r.layer);
      if (!l || r.status !== 'ok' || !r.stats || !(r.stats.median > 0)) return [];
      // A log scale cannot show 0: the range starts at the smallest positive sample.
      const q1 = r.stats.q1 > 0 ? r.stats.q1 : r.stats.median;
      return [{ layer: r.layer.slice(suite.length + 1), method: r.method, median: r.stats.median, q1, q3: r.stats.q3, flops: l.flops }];
    });
  });
  if (values.length === 0) return null;
  const methods = new Set(values.map((v) => v.method)).size;
  // Largest layers first; an explicit order (a sort by field conflicts across layers in Vega-Lite).
  const order = [...new Map(values.map((v) => [v.layer, v.flops]))].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const y = { field: 'layer', type: 'nominal', sort: order, title: null } as const;
  const x = { field: 'median', type: 'quantitative', scale: { type: 'log' }, title: 'ms (log scale)' } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${suite}: median time per layer and method (points), interquartile range (lines)`,
    data: { values },
    height: { step: Math.max(6, 4 * methods) },
    width: 520,
    encoding: { y, yOffset: { field: 'method' }, color: { field: 'method', type: 'nominal' } },
    layer: [
      { mark: { type: 'rule' }, encoding: { x: { field: 'q1', type: 'quantitative', scale: { type: 'log' } }, x2: { field: 'q3' } } },
      {
        mark: { type: 'point', filled: true, size: 30 },
        encoding: { x, tooltip: [{ field: 'layer' }, { field: 'method' }, { field: 'median', format: '.3f' }] },
      },
    ],
    config: { axis: { labelLimit: 260 } },
  } as TopLevelSpec;
}

export const CROSSOVER_FIELDS = ['cOut', 'cIn', 'flops', 'im2colBytes'] as const;

/** Conv classes with a layer where at least two methods were measured (one chart each per field). */
export function crossoverClasses(benches: readonly BenchFile[]): string[] {
  return [...new Set(crossoverValues(benches, null, 'cOut').map((v) => v.class))];
}

function crossoverValues(benches: readonly BenchFile[], cls: string | null, field: (typeof CROSSOVER_FIELDS)[number]) {
  return benches.flatMap((b) =>
    b.layers.flatMap((l) => {
      if (cls !== null && l.class !== cls) return [];
      const ok = b.results.filter((r) => r.layer === l.id && r.status === 'ok' && r.stats && r.stats.median > 0);
      if (ok.length < 2) return [];
      const x = specFeatures(l.spec)[field];
      // A log axis cannot place 0 (transposed convs have no im2col bytes).
      if (!(x > 0)) return [];
      const best = Math.min(...ok.map((r) => r.stats!.median));
      return ok.map((r) => ({ layer: l.id, class: l.class, method: r.method, x, ratio: r.stats!.median / best }));
    }),
  );
}

/** Every measured method's time over the fastest method's, per layer of one class, against a spec
 * field. A method's points at 1 are the layers it wins; where they leave 1 is the threshold a rule
 * like the seed's C_out >= 128 tries to capture. */
export function crossoverSpec(benches: readonly BenchFile[], cls: string, field: (typeof CROSSOVER_FIELDS)[number]): TopLevelSpec | null {
  const values = crossoverValues(benches, cls, field);
  if (values.length === 0) return null;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${cls}: each method's time / the fastest method's, against ${field} (1: fastest)`,
    width: 420,
    height: 260,
    layer: [
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 50 },
        encoding: {
          x: { field: 'x', type: 'quantitative', scale: { type: 'log', base: 2 }, title: field },
          y: { field: 'ratio', type: 'quantitative', scale: { type: 'log' }, title: 'time / fastest' },
          color: { field: 'method', type: 'nominal' },
          shape: { field: 'method', type: 'nominal' },
          tooltip: [{ field: 'layer' }, { field: 'method' }, { field: 'ratio', format: '.2f' }],
        },
      },
      // A one-row data set: a layer with no data draws nothing.
      { data: { values: [{}] }, mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { y: { datum: 1 } } },
    ],
  } as TopLevelSpec;
}

/** Total time of each policy's choices, with the per-layer best as a line. */
export function policySpec(c: PolicyComparison): TopLevelSpec {
  const values = c.policies.filter((p) => Number.isFinite(p.evaluation.total)).map((p) => ({ policy: policyLabel(p), total: p.evaluation.total }));
  const best = c.policies[0]?.evaluation.bestTotal ?? 0;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'total time of each policy (line: per-layer best)',
    width: 420,
    height: { step: 22 },
    layer: [
      {
        data: { values },
        mark: 'bar',
        encoding: {
          y: { field: 'policy', type: 'nominal', sort: null, title: null },
          x: { field: 'total', type: 'quantitative', title: 'ms (sum of medians, weighted by occurrences)' },
        },
      },
      { data: { values: [{}] }, mark: { type: 'rule', color: 'red' }, encoding: { x: { datum: best } } },
    ],
  } as TopLevelSpec;
}
