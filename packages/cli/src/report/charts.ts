import { specFeatures } from '@convroute/router';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { BenchFile } from '../bench/format.ts';
import type { PolicyComparison } from './compare-policies.ts';

/** Renders a Vega-Lite spec to an SVG string in Node (no canvas, no browser). */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Median and interquartile range of every ok case of one suite, by layer and method. */
export function perLayerSpec(benches: readonly BenchFile[], suite: string): TopLevelSpec | null {
  const values = benches.flatMap((b) => {
    const layers = new Map(b.layers.filter((l) => l.suite === suite).map((l) => [l.id, l]));
    return b.results.flatMap((r) => {
      const l = layers.get(r.layer);
      if (!l || r.status !== 'ok' || !r.stats) return [];
      return [{ layer: r.layer.slice(suite.length + 1), method: r.method, median: r.stats.median, q1: r.stats.q1, q3: r.stats.q3, flops: l.flops }];
    });
  });
  if (values.length === 0) return null;
  const methods = new Set(values.map((v) => v.method)).size;
  // Largest layers first; an explicit order (a sort by field conflicts across layers in Vega-Lite).
  const order = [...new Map(values.map((v) => [v.layer, v.flops]))].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const y = { field: 'layer', type: 'nominal', sort: order, title: null } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${suite}: median time per layer and method (bars), interquartile range (lines)`,
    data: { values },
    height: { step: Math.max(6, 4 * methods) },
    width: 520,
    encoding: { y, yOffset: { field: 'method' }, color: { field: 'method', type: 'nominal' } },
    layer: [
      { mark: 'bar', encoding: { x: { field: 'median', type: 'quantitative', scale: { type: 'log' }, title: 'ms (log scale)' } } },
      { mark: { type: 'rule', color: 'black' }, encoding: { x: { field: 'q1', type: 'quantitative' }, x2: { field: 'q3' } } },
    ],
    config: { axis: { labelLimit: 260 } },
  } as TopLevelSpec;
}

export const CROSSOVER_FIELDS = ['cOut', 'cIn', 'flops', 'im2colBytes'] as const;

/** SlidingWindow layers with both methods measured: direct's time over im2col-gemm's against a
 * spec field. Above 1, im2col-gemm is faster: where the points cross 1 is the threshold a rule
 * like the seed's C_out >= 128 tries to capture. */
export function crossoverSpec(benches: readonly BenchFile[], field: (typeof CROSSOVER_FIELDS)[number]): TopLevelSpec | null {
  const values = benches.flatMap((b) =>
    b.layers.flatMap((l) => {
      if (l.class !== 'SlidingWindow') return [];
      const med = (m: string) => b.results.find((r) => r.layer === l.id && r.method === m && r.status === 'ok')?.stats?.median;
      const d = med('direct');
      const i = med('im2col-gemm');
      if (d === undefined || i === undefined) return [];
      return [{ layer: l.id, suite: l.suite, x: specFeatures(l.spec)[field], ratio: d / i }];
    }),
  );
  if (values.length === 0) return null;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `direct / im2col-gemm time against ${field} (SlidingWindow; above 1: im2col-gemm faster)`,
    width: 420,
    height: 260,
    layer: [
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 50 },
        encoding: {
          x: { field: 'x', type: 'quantitative', scale: { type: 'log', base: 2 }, title: field },
          y: { field: 'ratio', type: 'quantitative', scale: { type: 'log' }, title: 'direct / im2col-gemm' },
          color: { field: 'suite', type: 'nominal' },
          tooltip: [{ field: 'layer' }, { field: 'ratio', format: '.2f' }],
        },
      },
      // A one-row data set: a layer with no data draws nothing.
      { data: { values: [{}] }, mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { y: { datum: 1 } } },
    ],
  } as TopLevelSpec;
}

/** Total time of each policy's choices, with the per-layer best as a line. */
export function policySpec(c: PolicyComparison): TopLevelSpec {
  const values = c.policies.filter((p) => Number.isFinite(p.evaluation.total)).map((p) => ({ policy: p.policy, total: p.evaluation.total }));
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
