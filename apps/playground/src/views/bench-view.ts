import { CONV_METHODS } from '@convroute/core';
import type { RuleTable } from '@convroute/router';
import type { BenchLayer } from '../bench.ts';
import type { PolicyScore } from '../calibrate.ts';
import { h, num } from '../dom.ts';

/** Median ms per (shape, method), the fastest marked, GFLOP/s of the fastest. */
export function benchTable(layers: readonly BenchLayer[]): HTMLElement {
  const methods = CONV_METHODS.filter((m) => layers.some((l) => l.times[m] !== undefined || l.errors[m] !== undefined));
  return h(
    'table',
    { testid: 'bench-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'shape'), h('th', {}, 'count'), ...methods.map((m) => h('th', {}, `${m} ms`)), h('th', {}, 'best GFLOP/s'))),
    h(
      'tbody',
      {},
      ...layers.map((l) => {
        const finite = Object.values(l.times).filter((t): t is number => t !== undefined);
        const best = finite.length ? Math.min(...finite) : null;
        return h(
          'tr',
          { testid: 'bench-row', 'data-layer': l.name },
          h('td', {}, l.name),
          h('td', { class: 'num' }, l.weight),
          ...methods.map((m) => {
            const t = l.times[m];
            const text = t !== undefined ? num(t) : l.errors[m] ? 'error' : '-';
            return h('td', { class: 'num', title: l.errors[m] }, t !== undefined && t === best ? h('strong', {}, text) : text);
          }),
          h('td', { class: 'num' }, best ? num(l.flops / best / 1e6) : '-'),
        );
      }),
    ),
  );
}

/** The fitted rules, one line each, in the rule-table format the router reads. */
export function rulesView(table: RuleTable): HTMLElement {
  const lines = table.rules.map((r) => `${r.name ?? '(rule)'}: when ${JSON.stringify(r.when)} -> ${r.method}`);
  return h('pre', { testid: 'calibration-rules' }, lines.join('\n'));
}

/** Each policy's total time over the measured shapes against the per-shape best. */
export function scoresTable(scores: readonly PolicyScore[]): HTMLElement {
  return h(
    'table',
    { testid: 'policy-scores' },
    h('thead', {}, h('tr', {}, h('th', {}, 'policy'), h('th', {}, 'total ms'), h('th', {}, 'best possible ms'), h('th', {}, 'regret'))),
    h(
      'tbody',
      {},
      ...scores.map((s) =>
        h(
          'tr',
          { testid: 'policy-score', 'data-policy': s.policy },
          h('td', {}, s.policy),
          h('td', { class: 'num' }, num(s.evaluation.total)),
          h('td', { class: 'num' }, num(s.evaluation.bestTotal)),
          h('td', { class: 'num' }, `${(100 * s.evaluation.regretFraction).toFixed(1)}%`),
        ),
      ),
    ),
  );
}
