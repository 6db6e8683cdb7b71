import { activationToString, type Conv2dSpec } from '@convroute/core';
import { h } from '../dom.ts';
import { type RouteRow, reasonLines } from '../routing.ts';

/** Shapes and attributes in one short line. */
export function describeConv(spec: Conv2dSpec): string {
  const parts = [`x[${spec.input.join('x')}]`, `w[${spec.weight.join('x')}]`];
  if (spec.stride.some((s) => s !== 1)) parts.push(`s${spec.stride.join(',')}`);
  if (spec.padding.some((p) => p !== 0)) parts.push(`p${spec.padding.join(',')}`);
  if (spec.dilation.some((d) => d !== 1)) parts.push(`d${spec.dilation.join(',')}`);
  if (spec.groups !== 1) parts.push(`g${spec.groups}`);
  if (spec.transposed) parts.push(`T op${spec.outputPadding.join(',')}`);
  if (spec.bias) parts.push('bias');
  if (spec.activation.kind !== 'none') parts.push(activationToString(spec.activation));
  return parts.join(' ');
}

/** The routing table: layer, class, chosen method and every rule that fired. */
export function routesTable(rows: readonly RouteRow[]): HTMLElement {
  return h(
    'table',
    { testid: 'routes-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'layer'), h('th', {}, 'conv'), h('th', {}, 'class'), h('th', {}, 'method'), h('th', {}, 'reasons'))),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h(
          'tr',
          { testid: 'route-row', 'data-layer': r.name, 'data-method': r.method ?? 'error' },
          h('td', {}, r.name),
          h('td', {}, describeConv(r.entry.spec)),
          h('td', { class: 'class' }, r.class),
          h('td', { class: 'method' }, r.method ?? 'error'),
          h('td', { class: 'reasons' }, r.error ?? reasonLines(r.reasons).join('\n')),
        ),
      ),
    ),
  );
}
