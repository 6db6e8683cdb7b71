import { isConvrouteError } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { etvk, namedProfile, parseRuleTable, resolvePolicy, routerFor, tablePolicy } from '../src/index.ts';
import { exampleTablePolicy, spec, TABLE_FILE } from './arbitraries.ts';

function refusal(doc: unknown): { field: string; rule: string } {
  try {
    parseRuleTable(doc);
  } catch (e) {
    expect(isConvrouteError(e, 'INVALID_POLICY')).toBe(true);
    return e as { field: string; rule: string };
  }
  throw new Error('the table was accepted');
}

const ok = { name: 't', rules: [{ when: {}, method: 'direct' }] };

describe('rule tables: validation names the rule and the field', () => {
  it('accepts a minimal table and a table with every kind of condition', () => {
    expect(parseRuleTable(ok).rules).toHaveLength(1);
    expect(exampleTablePolicy.name).toBe('table:im2col-wide');
  });
  const cases: [string, unknown, string, RegExp][] = [
    [
      'an unknown condition field',
      { name: 't', rules: [ok.rules[0], { when: { cOutt: 3 }, method: 'direct' }] },
      'table.rules[1].when.cOutt',
      /not a known field/,
    ],
    ['an unknown method', { name: 't', rules: [{ when: {}, method: 'winograd' }] }, 'table.rules[0].method', /must be one of/],
    ['an unknown class', { name: 't', rules: [{ when: { class: 'Grouped' }, method: 'direct' }] }, 'table.rules[0].when.class', /.+/],
    ['an unknown family in a list', { name: 't', rules: [{ when: { family: ['mali', 'voodoo'] }, method: 'direct' }] }, 'table.rules[0].when.family', /.+/],
    [
      'a string where a number belongs',
      { name: 't', rules: [ok.rules[0], ok.rules[0], { when: { cOut: '128' }, method: 'direct' }] },
      'table.rules[2].when.cOut',
      /.+/,
    ],
    ['min > max', { name: 't', rules: [{ when: { kernelArea: { min: 9, max: 2 } }, method: 'direct' }] }, 'table.rules[0].when.kernelArea.min', /<= max/],
    ['an unknown bound', { name: 't', rules: [{ when: { cOut: { atLeast: 2 } }, method: 'direct' }] }, 'table.rules[0].when.cOut', /.+/],
    ['a rule without a method', { name: 't', rules: [{ when: {} }] }, 'table.rules[0].method', /required/],
    ['no rules', { name: 't', rules: [] }, 'table.rules', /.+/],
    ['no name', { rules: ok.rules }, 'table.name', /required/],
  ];
  for (const [what, doc, field, rule] of cases) {
    it(`refuses ${what}`, () => {
      const e = refusal(doc);
      expect(e.field).toBe(field);
      expect(e.rule).toMatch(rule);
    });
  }
  it('refuses text that is not JSON', () => expect(refusal('{ rules').field).toBe('table'));
});

describe('rule tables: evaluation', () => {
  const table = tablePolicy(
    parseRuleTable({
      name: 'demo',
      rules: [
        { name: 'big', when: { class: 'SlidingWindow', flops: { min: 1e9 }, stride: 1 }, method: 'im2col-gemm' },
        { name: 'pw', when: { class: 'Pointwise' }, method: 'pointwise' },
        { name: 'adreno-dw', when: { class: 'Depthwise', family: 'adreno', generation: ['7xx', '8xx'] }, method: 'direct' },
        { name: 'small-im2col', when: { im2colBytes: { max: 65536 }, transposed: false }, method: 'implicit-gemm' },
        { name: 'rest', when: { class: ['Depthwise', 'Transposed'] }, method: 'direct' },
      ],
    }),
  );
  const adreno = namedProfile('adreno-7xx');
  it('takes the first matching rule and records every rule tried with its values', () => {
    const d = table.decide(spec({ input: [1, 256, 64, 64], weight: [256, 256, 3, 3], padding: 1 }), adreno);
    expect(d.method).toBe('im2col-gemm');
    expect(d.policy).toBe('table:demo');
    const r = d.reasons.at(-1)!;
    expect(r).toMatchObject({ rule: 'rules[0] big', holds: true, values: { class: 'SlidingWindow', strideH: 1, strideW: 1 } });
    expect(r.values?.flops).toBe(2 * 256 * 64 * 64 * 256 * 9);
  });
  it('skips a matching rule whose method cannot compute the conv, and says so', () => {
    const t = tablePolicy(
      parseRuleTable({
        name: 'skip',
        rules: [
          { name: 'dw', when: { class: 'Pointwise' }, method: 'depthwise' },
          { name: 'rest', when: {}, method: 'implicit-gemm' },
        ],
      }),
    );
    const d = t.decide(spec({ input: [1, 8, 4, 4], weight: [8, 8, 1, 1], padding: 1 }), adreno);
    const dw = d.reasons.find((r) => r.rule === 'rules[0] dw')!;
    expect(dw.holds).toBe(false);
    expect(dw.detail).toContain('depthwise needs groups == C_in == C_out');
    expect(d.method).toBe('implicit-gemm');
  });
  it('falls through a rule whose method the backend cannot run, and says so (issue 12 friction)', () => {
    // a GPU-calibrated table's implicit-gemm on the CPU backend, which has no implicit-gemm
    const t = tablePolicy(
      parseRuleTable({
        name: 'gpu',
        rules: [
          { name: 'ig', when: { class: 'SlidingWindow' }, method: 'implicit-gemm' },
          { name: 'rest', when: {}, method: 'im2col-gemm' },
        ],
      }),
    );
    const s = spec({ input: [1, 8, 8, 8], weight: [8, 8, 3, 3], padding: 1 });
    expect(t.decide(s, adreno).method).toBe('implicit-gemm');
    const route = routerFor(t, adreno);
    const d = route(s, { nodeId: 'n0', available: ['direct', 'im2col-gemm'] });
    expect(d.method).toBe('im2col-gemm');
    expect(d.reasons.find((r) => r.rule === 'rules[0] ig')).toMatchObject({
      holds: false,
      detail: expect.stringContaining('the backend cannot run implicit-gemm'),
    });
  });
  it('profile conditions: family and generation lists', () => {
    const dw = spec({ input: [1, 512, 32, 32], weight: [512, 1, 3, 3], groups: 512, padding: 1 });
    expect(table.decide(dw, adreno).method).toBe('direct');
    expect(table.decide(dw, namedProfile('adreno-6xx')).reasons.find((r) => r.rule === 'rules[2] adreno-dw')?.holds).toBe(false);
  });
  it('compares flops per output (2 * C_in/g * kH * kW for forward convs)', () => {
    const t = tablePolicy(
      parseRuleTable({
        name: 'fpo',
        rules: [
          { name: 'deep', when: { flopsPerOutput: { min: 2 * 64 * 9 } }, method: 'im2col-gemm' },
          { name: 'rest', when: {}, method: 'direct' },
        ],
      }),
    );
    const deep = t.decide(spec({ input: [1, 64, 8, 8], weight: [16, 64, 3, 3] }), adreno);
    expect(deep.method).toBe('im2col-gemm');
    expect(deep.reasons.at(-1)?.values?.flopsPerOutput).toBe(2 * 64 * 9);
    expect(t.decide(spec({ input: [1, 64, 8, 8], weight: [16, 32, 3, 3], groups: 2 }), adreno).method).toBe('direct');
  });
  it('refuses to guess when no rule can compute the conv', () => {
    const only = tablePolicy(parseRuleTable({ name: 'fwd', rules: [{ when: {}, method: 'direct' }] }));
    const t = spec({ input: [1, 4, 4, 4], weight: [4, 4, 3, 3], transposed: true });
    expect(() => only.decide(t, adreno)).toThrow(/INVALID_POLICY.*no rule chose a method/);
  });
  it('resolvePolicy reads a table file, a table object and built-in names', () => {
    expect(resolvePolicy(TABLE_FILE).name).toBe('table:im2col-wide');
    expect(resolvePolicy(ok as never).name).toBe('table:t');
    expect(resolvePolicy('etvk')).toBe(etvk);
    expect(() => resolvePolicy('/nonexistent/table.json')).toThrow(/cannot read the rule table/);
  });
});
