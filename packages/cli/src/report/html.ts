import type { BenchFile } from '../bench/format.ts';
import { CROSSOVER_FIELDS, crossoverClasses, crossoverSpec, perLayerSpec, policySpec, toSvg } from './charts.ts';
import { heldOutSentence, type PolicyComparison, policyLabel } from './compare-policies.ts';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function table(head: string[], rows: (string | number)[][]): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(String(c))}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'unmeasured');
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(2)}%` : 'n/a');

function header(benches: readonly BenchFile[]): string {
  const rows = benches.map((b) => {
    const clocks = [...new Set(b.results.flatMap((r) => (r.clock ? [r.clock] : [])))].join(', ');
    const c = b.ceilings ? `FMA ${b.ceilings.fmaGflops.toFixed(2)} GFLOP/s, copy ${b.ceilings.copyGbps.toFixed(2)} GB/s` : 'not measured';
    const a = b.adapter ? Object.values(b.adapter.info).filter(Boolean).join(' / ') : 'none (cpu)';
    const env = Object.entries(b.env)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    return [
      b.settings.suites.join(','),
      b.date,
      b.backend?.description ?? b.settings.backend,
      a,
      clocks,
      c,
      `${b.results.filter((r) => r.status === 'ok').length}/${b.results.length} ok, ${b.crashes.length} crash(es)`,
      env,
    ];
  });
  const sw = benches[0]
    ? Object.entries(benches[0].software)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')
    : '';
  return `${table(['suites', 'date', 'backend', 'adapter', 'clock', 'ceilings', 'cases', 'env'], rows)}<p class="small">software: ${escapeHtml(sw)}</p>`;
}

function policyTable(c: PolicyComparison): string {
  const best = c.policies[0]?.evaluation.bestTotal ?? 0;
  const rows: (string | number)[][] = [
    ['per-layer best', ms(best), '0.00', '0.00%', 0],
    ...c.policies.map((p) => [
      policyLabel(p),
      ms(p.evaluation.total),
      ms(p.evaluation.regret),
      pct(p.evaluation.regretFraction),
      p.evaluation.perLayer.filter((o) => o.regret > 0).length,
    ]),
  ];
  let note = '';
  if (c.fitted) note = `<p>${escapeHtml(heldOutSentence(c.fitted.heldOut))}.</p>`;
  const idx = new Map(c.policies[0]?.evaluation.perLayer.map((o, i) => [o.name, i]) ?? []);
  const differ = c.differ.map((name) => {
    const i = idx.get(name) as number;
    const b = c.policies[0].evaluation.perLayer[i];
    return [name, `${b.bestMethod} ${ms(b.bestTime)}`, ...c.policies.map((p) => `${p.evaluation.perLayer[i].method} ${ms(p.evaluation.perLayer[i].time)}`)];
  });
  return `${table(['policy', 'total ms', 'regret ms', 'regret', 'layers off best'], rows)}${note}<h3>Layers where the policies differ (${c.differ.length})</h3>${table(['layer', 'best', ...c.policies.map(policyLabel)], differ)}`;
}

/** A self-contained HTML report: run metadata, policy comparison, crossover plots per class, per-layer points. */
export async function reportHtml(benches: readonly BenchFile[], comparison: PolicyComparison): Promise<string> {
  const suites = [...new Set(benches.flatMap((b) => b.layers.map((l) => l.suite)))];
  const figure = async (spec: Parameters<typeof toSvg>[0] | null) => (spec ? `<figure>${await toSvg(spec)}</figure>` : '');
  const crossoverSpecs = crossoverClasses(benches).flatMap((cls) => CROSSOVER_FIELDS.map((f) => crossoverSpec(benches, cls, f)));
  const crossovers = (await Promise.all(crossoverSpecs.map(figure))).join('\n');
  const perLayer = (await Promise.all(suites.map((s) => figure(perLayerSpec(benches, s))))).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>convroute bench report</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}
table{border-collapse:collapse;margin:1em 0;font-size:13px}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}
th{background:#f3f3f3} figure{margin:1em 0} .small{font-size:12px;color:#555}
</style></head><body>
<h1>convroute bench report</h1>
${header(benches)}
<h2>Policies</h2>
<p>Each policy's choice per layer, timed by the bench (medians, weighted by how often a shape occurs); regret is against the fastest measured method per layer.</p>
${await figure(policySpec(comparison))}
${policyTable(comparison)}
<h2>Crossover: every measured method against the fastest, per class</h2>
${crossovers || '<p>No layer has two methods measured.</p>'}
<h2>Per layer</h2>
${perLayer}
</body></html>
`;
}
