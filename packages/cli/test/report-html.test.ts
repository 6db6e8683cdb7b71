import { describe, expect, it } from 'vitest';
import { measuredLayers } from '../src/bench/format.ts';
import { benchProfile } from '../src/report/bench-profile.ts';
import { comparePolicies } from '../src/report/compare-policies.ts';
import { reportHtml } from '../src/report/html.ts';
import { syntheticBench } from './bench-synthetic.ts';

describe('convroute report', () => {
  it('writes one self-contained HTML page with the policy table and inline SVG charts', async () => {
    const b = syntheticBench(128);
    const c = comparePolicies(measuredLayers([b]), ['etvk', 'always:direct', 'calibrated'], benchProfile([b]));
    const html = await reportHtml([b], c);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    // policy totals, 4 crossover fields for each of the 2 classes with two methods measured
    // (SlidingWindow, Pointwise), one per-layer chart for the one suite
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs.length).toBe(10);
    for (const s of svgs) expect(s).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(html).toMatch(/<td>always:direct<\/td>/);
    expect(html).toMatch(/SlidingWindow: each method's time \/ the fastest method's, against cOut/);
    expect(html).toMatch(/Pointwise: each method's time \/ the fastest method's, against cOut/);
    // nothing fetched from outside: no scripts, no external resources
    expect(html).not.toMatch(/<script|<link|src="http/);
    // balanced tables
    expect((html.match(/<table>/g) ?? []).length).toBe((html.match(/<\/table>/g) ?? []).length);
  }, 60_000);
});
