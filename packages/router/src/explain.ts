import type { Reason } from '@convroute/core';
import type { RouteDecision } from './decision.ts';

function showValue(v: unknown): string {
  return Array.isArray(v) ? v.join('x') : String(v);
}

/** One reason as a short line: `[yes] C_out >= 128 (cOut=256, threshold=128)`. */
export function reasonLine(r: Reason): string {
  const vals =
    r.values && Object.keys(r.values).length
      ? ` (${Object.entries(r.values)
          .map(([k, v]) => `${k}=${showValue(v)}`)
          .join(', ')})`
      : '';
  return `[${r.holds ? 'yes' : 'no'}] ${r.rule}: ${r.detail}${vals}`;
}

/** The reasons worth reading in a table: classification collapses to the class that held;
 * rule-table rules that did not match are counted, not listed. Everything else as is. */
export function decisiveReasons(d: RouteDecision): Reason[] {
  const out: Reason[] = [];
  let skipped = 0;
  for (const r of d.reasons) {
    if (r.rule.startsWith('class.')) {
      if (r.holds) out.push({ ...r, values: {}, detail: `class ${d.class}` });
      continue;
    }
    if (r.rule.startsWith('rules[') && !r.holds && r.detail.includes('; fails ')) {
      skipped++;
      continue;
    }
    out.push(r);
  }
  if (skipped) out.push({ rule: 'rules', holds: false, detail: `${skipped} earlier rule(s) did not match` });
  return out;
}
