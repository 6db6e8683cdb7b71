import { h, num } from '../dom.ts';
import type { LayerResult } from '../run-suite.ts';

// GFLOP/s from the run time: building pipelines is not the kernel's speed.
const HEAD = ['layer', 'method', 'output', 'GPU run ms', 'compile ms', 'GFLOP/s (run)', 'max |error|', 'worst error/bound', 'ref ms', 'status'];

function cells(r: LayerResult): (string | HTMLElement)[] {
  const v = r.verdict;
  const gflops = r.gpuMs ? r.flops / r.gpuMs / 1e6 : null;
  const status = r.status === 'not-run' && r.gpuMs !== null ? 'verifying' : r.status;
  return [
    r.name,
    r.method ?? '-',
    `[${r.output.join('x')}]`,
    r.gpuMs === null ? '-' : num(r.gpuMs),
    r.compileMs === null ? '-' : num(r.compileMs),
    gflops === null ? '-' : num(gflops),
    v ? num(v.maxError) : '-',
    v ? num(v.maxRatio) : '-',
    v ? num(v.referenceMs) : '-',
    r.error ? `${status}: ${r.error}` : v && !v.ok ? `${status}: ${v.message}` : status,
  ];
}

/** A results table whose rows update in place as the GPU and the verifier report. */
export class ResultsView {
  readonly table: HTMLTableElement;
  private readonly body: HTMLTableSectionElement;

  constructor(names: readonly string[]) {
    this.body = h('tbody');
    this.table = h('table', { testid: 'results-table' }, h('thead', {}, h('tr', {}, ...HEAD.map((t) => h('th', {}, t)))), this.body);
    for (const name of names) this.body.append(h('tr', { testid: 'result-row', 'data-layer': name, 'data-status': 'pending' }, h('td', {}, name)));
  }

  update(index: number, r: LayerResult): void {
    const tr = this.body.rows[index];
    tr.dataset.status = r.status;
    tr.replaceChildren(...cells(r).map((c, k) => h('td', { class: k === HEAD.length - 1 ? 'status' : k >= 3 && k <= 8 ? 'num' : undefined }, c)));
  }
}
