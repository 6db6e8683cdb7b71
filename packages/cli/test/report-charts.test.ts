import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchFile } from '../src/bench/format.ts';
import { CROSSOVER_FIELDS, crossoverClasses, crossoverSpec, perLayerSpec, toSvg } from '../src/report/charts.ts';
import { syntheticBench } from './bench-synthetic.ts';
import { repoRoot } from './cli-helpers.ts';

/** The symbols (points) Vega drew in the SVG's mark group of `role-mark` whose class ends `name`. */
function symbols(svg: string, layer: string): number {
  const g = svg.match(new RegExp(`<g class="mark-symbol role-mark ${layer}"[^>]*>([\\s\\S]*?)</g>`));
  return g ? (g[1].match(/<path/g) ?? []).length : 0;
}

const okCases = (b: BenchFile, suite: string) => b.results.filter((r) => r.layer.startsWith(`${suite}/`) && r.status === 'ok').length;

describe('report charts', () => {
  // Was: bars on a log scale start at 0, so Vega wrote NaN coordinates and the chart was empty.
  it('draws one point per measured (layer, method) on the per-layer chart, with no NaN', async () => {
    const b = syntheticBench(128);
    const svg = await toSvg(perLayerSpec([b], 'syn')!);
    expect(svg).not.toMatch(/NaN/);
    expect(symbols(svg, 'layer_1_marks')).toBe(okCases(b, 'syn'));
  }, 60_000);

  it('draws the committed bench results file without NaN, one point per case per suite', async () => {
    const b = JSON.parse(readFileSync(resolve(repoRoot, 'bench/results/lavapipe-3suites.json'), 'utf8')) as BenchFile;
    for (const suite of b.settings.suites) {
      const svg = await toSvg(perLayerSpec([b], suite)!);
      expect(svg, suite).not.toMatch(/NaN/);
      expect(symbols(svg, 'layer_1_marks'), suite).toBe(okCases(b, suite));
    }
    for (const cls of crossoverClasses([b])) {
      const svg = await toSvg(crossoverSpec([b], cls, 'im2colBytes')!);
      expect(svg, cls).not.toMatch(/NaN/);
    }
  }, 120_000);

  it('plots every measured method of every class with two methods, not only direct against im2col-gemm', async () => {
    const b = syntheticBench(128);
    expect(crossoverClasses([b])).toEqual(['SlidingWindow', 'Pointwise']);
    const pw = b.layers.find((l) => l.class === 'Pointwise')!;
    const pwCases = b.results.filter((r) => r.layer === pw.id && r.status === 'ok');
    expect(pwCases.length).toBeGreaterThan(2);
    for (const f of CROSSOVER_FIELDS) {
      const svg = await toSvg(crossoverSpec([b], 'Pointwise', f)!);
      expect(svg).not.toMatch(/NaN/);
      expect(symbols(svg, 'layer_0_marks')).toBe(pwCases.length);
    }
    const sw = await toSvg(crossoverSpec([b], 'SlidingWindow', 'cOut')!);
    expect(symbols(sw, 'layer_0_marks')).toBe(okCases(b, 'syn') - pwCases.length);
    expect(crossoverSpec([b], 'Depthwise', 'cOut')).toBeNull();
  }, 60_000);
});
