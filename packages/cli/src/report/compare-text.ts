import { fmt, renderTable } from '../table.ts';
import { heldOutSentence, type PolicyComparison, policyLabel } from './compare-policies.ts';

const ms = (x: number) => (Number.isFinite(x) ? fmt(x, 2) : 'unmeasured');
const pct = (x: number) => (Number.isFinite(x) ? `${fmt(100 * x, 2)}%` : 'n/a');

/** The policy table (total, regret) and the layers where policies choose differently. */
export function comparisonText(c: PolicyComparison, allLayers = false): string {
  const best = c.policies[0]?.evaluation.bestTotal ?? 0;
  const out: string[] = [];
  out.push(
    renderTable(
      ['policy', 'total ms', 'regret ms', 'regret', 'layers off best', 'unmeasured'],
      [
        ['per-layer best', ms(best), '0.00', '0.00%', 0, 0],
        ...c.policies.map((p) => {
          const e = p.evaluation;
          return [policyLabel(p), ms(e.total), ms(e.regret), pct(e.regretFraction), e.perLayer.filter((o) => o.regret > 0).length, e.unmeasured.length];
        }),
      ],
    ),
  );
  if (c.fitted) out.push(heldOutSentence(c.fitted.heldOut));
  const rows = allLayers ? (c.policies[0]?.evaluation.perLayer.map((o) => o.name) ?? []) : c.differ;
  if (rows.length) {
    const idx = new Map(c.policies[0].evaluation.perLayer.map((o, i) => [o.name, i]));
    out.push(
      renderTable(
        ['layer', 'best', ...c.policies.map(policyLabel)],
        rows.map((name) => {
          const i = idx.get(name) as number;
          const b = c.policies[0].evaluation.perLayer[i];
          return [
            name,
            `${b.bestMethod} ${ms(b.bestTime)}`,
            ...c.policies.map((p) => {
              const o = p.evaluation.perLayer[i];
              return `${o.method} ${ms(o.time)}${o.regret > 0 ? ` (+${ms(o.regret)})` : ''}`;
            }),
          ];
        }),
      ),
    );
  }
  out.push(`${c.differ.length} layer(s) where the policies differ; times are medians in ms weighted by occurrences in the suite`);
  return `${out.join('\n')}\n`;
}

/** The comparison as JSON (Infinity becomes null). */
export function comparisonJson(c: PolicyComparison): object {
  return {
    bestTotal: c.policies[0]?.evaluation.bestTotal,
    policies: c.policies.map((p) => ({ policy: p.policy, description: p.description, inSample: p.inSample, ...p.evaluation })),
    differ: c.differ,
    calibratedHeldOut: c.fitted?.heldOut,
  };
}
