import {
  CONV_METHODS,
  type Conv2dSpec,
  type ConvMethod,
  ConvrouteError,
  convMethodRejection,
  describeBindingExcess,
  isConvMethod,
  methodBindingExcess,
  PRECISIONS,
  type Precision,
  parseJsonText,
  type Reason,
} from '@convroute/core';
import { CONV_CLASSES, classifyWithReasons } from './classify.ts';
import { classMethod, type Policy, type RouteDecision } from './decision.ts';
import { FAMILIES, STORAGES } from './device-family.ts';
import { type ProfileFeatures, profileFeatures, type SpecFeatures, specFeatures } from './features.ts';
import { checkAgainst, compileSchema } from './json-schema.ts';
import type { NumberCondition, Rule, RuleTable } from './rule-types.ts';

/**
 * Rule tables: a policy as JSON. Rules are tried in order; the first whose conditions all hold
 * and whose method can compute the conv, runs on the backend and fits the device's binding
 * limits decides (when only the limits stopped every match, the class's kernel does). Every
 * rule tried becomes a reason, with the values it compared. Example:
 *
 *     { "name": "mine", "rules": [
 *       { "name": "wide", "when": { "class": "SlidingWindow", "cOut": { "min": 256 } }, "method": "im2col-gemm" },
 *       { "name": "default", "when": {}, "method": "direct" } ] }
 *
 * Numeric conditions: a number (equal), { "min", "max" } (inclusive) or { "in": [...] }. `kernel`,
 * `stride` and `dilation` apply to both axes. Text conditions: a value or a list of values;
 * `precision` is the backend's arithmetic (f32, f16-storage, f16): a rule matches on it, never
 * picks it (the caller chooses the precision, docs/decisions.md).
 */
export const NUMERIC_FIELDS = [
  'n',
  'cIn',
  'cOut',
  'inH',
  'inW',
  'kH',
  'kW',
  'kernelArea',
  'strideH',
  'strideW',
  'dilationH',
  'dilationW',
  'groups',
  'outH',
  'outW',
  'flops',
  'im2colBytes',
  'flopsPerOutput',
  'tiles4x4',
] as const satisfies readonly (keyof SpecFeatures)[];
const PAIR_FIELDS = { kernel: ['kH', 'kW'], stride: ['strideH', 'strideW'], dilation: ['dilationH', 'dilationW'] } as const;
type PairField = keyof typeof PAIR_FIELDS;

const numberCondition = {
  description: 'a number, { "min", "max" } or { "in": [numbers] }',
  anyOf: [
    { type: 'number' },
    {
      type: 'object',
      properties: { min: { type: 'number' }, max: { type: 'number' } },
      additionalProperties: false,
      minProperties: 1,
    },
    { type: 'object', properties: { in: { type: 'array', items: { type: 'number' }, minItems: 1 } }, required: ['in'], additionalProperties: false },
  ],
};
const oneOrMany = (values: readonly string[]) => ({
  description: `one of ${values.join(', ')}, or a list of them`,
  anyOf: [{ enum: [...values] }, { type: 'array', items: { enum: [...values] }, minItems: 1 }],
});

/** Methods a table may name: every registered conv method, and issue 14's Winograd methods
 * before a build registers them (wt-winograd adds their descriptors): a rule naming a method this
 * build lacks falls through to the next rule, saying so. */
const PLANNED_CONV_METHODS = ['winograd-2x3', 'winograd-4x3'] as const;
const TABLE_METHODS = [...new Set<string>([...CONV_METHODS, ...PLANNED_CONV_METHODS])];

const RULE_TABLE_SCHEMA = {
  type: 'object',
  properties: {
    $schema: { type: 'string' },
    $comment: { type: 'string' },
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    source: { type: 'string' },
    rules: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          why: { type: 'string' },
          method: { enum: TABLE_METHODS },
          when: {
            type: 'object',
            properties: {
              class: oneOrMany(CONV_CLASSES),
              family: oneOrMany(FAMILIES),
              storage: oneOrMany(STORAGES),
              precision: oneOrMany(PRECISIONS),
              generation: {
                description: 'a string or a list of strings',
                anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }],
              },
              transposed: { type: 'boolean' },
              bias: { type: 'boolean' },
              ...Object.fromEntries([...NUMERIC_FIELDS, ...Object.keys(PAIR_FIELDS)].map((f) => [f, numberCondition])),
            },
            additionalProperties: false,
          },
        },
        required: ['when', 'method'],
        additionalProperties: false,
      },
    },
  },
  required: ['name', 'rules'],
  additionalProperties: false,
};

const validate = compileSchema(RULE_TABLE_SCHEMA);

/** Validates a table (text or parsed JSON): the schema, then what a schema cannot say (min <= max). */
export function parseRuleTable(doc: unknown, origin = 'table'): RuleTable {
  if (typeof doc === 'string') {
    doc = parseJsonText(doc, 'INVALID_POLICY', origin);
  }
  checkAgainst(validate, doc, 'INVALID_POLICY', origin);
  const table = doc as RuleTable;
  table.rules.forEach((r, i) => {
    for (const [field, c] of Object.entries(r.when)) {
      if (c && typeof c === 'object' && !Array.isArray(c) && 'min' in c && 'max' in c && (c.min as number) > (c.max as number)) {
        throw new ConvrouteError('INVALID_POLICY', `${origin}.rules[${i}].when.${field}.min`, c.min, `must be <= max (${c.max})`);
      }
    }
  });
  return table;
}

function testNumber(c: NumberCondition, v: number): boolean {
  if (typeof c === 'number') return v === c;
  if ('in' in c) return c.in.includes(v);
  return (c.min === undefined || v >= c.min) && (c.max === undefined || v <= c.max);
}

function showNumber(field: string, c: NumberCondition): string {
  if (typeof c === 'number') return `${field} == ${c}`;
  if ('in' in c) return `${field} in [${c.in.join(', ')}]`;
  if (c.min !== undefined && c.max !== undefined) return `${c.min} <= ${field} <= ${c.max}`;
  return c.min !== undefined ? `${field} >= ${c.min}` : `${field} <= ${c.max}`;
}

/** Tests one rule's conditions; returns what failed and the values looked at. */
function testRule(
  rule: Rule,
  spec: SpecFeatures,
  dev: ProfileFeatures,
  precision: Precision,
): { failed: string[]; shown: string[]; values: Record<string, unknown> } {
  const failed: string[] = [];
  const shown: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [field, c] of Object.entries(rule.when)) {
    if (c === undefined) continue;
    let ok: boolean;
    let text: string;
    if (field === 'class' || field === 'family' || field === 'generation' || field === 'storage' || field === 'precision') {
      const v = field === 'class' ? spec.class : field === 'precision' ? precision : dev[field];
      const want = (Array.isArray(c) ? c : [c]) as (string | null)[];
      values[field] = v;
      ok = want.includes(v);
      text = want.length === 1 ? `${field} == ${want[0]}` : `${field} in [${want.join(', ')}]`;
    } else if (field === 'transposed' || field === 'bias') {
      values[field] = spec[field];
      ok = spec[field] === c;
      text = `${field} == ${c}`;
    } else if (field in PAIR_FIELDS) {
      const axes = PAIR_FIELDS[field as PairField];
      for (const a of axes) values[a] = spec[a];
      ok = axes.every((a) => testNumber(c as NumberCondition, spec[a]));
      text = showNumber(`${field} (both axes)`, c as NumberCondition);
    } else {
      const v = spec[field as (typeof NUMERIC_FIELDS)[number]];
      values[field] = v;
      ok = testNumber(c as NumberCondition, v);
      text = showNumber(field, c as NumberCondition);
    }
    shown.push(text);
    if (!ok) failed.push(text);
  }
  return { failed, shown, values };
}

/** Runs a validated table for one conv. Throws INVALID_POLICY when no rule picks a method that
 * can compute it: a table must cover every conv it is used for, never guess. */
export function decideByTable(
  table: RuleTable,
  spec: Conv2dSpec,
  profile: Parameters<Policy['decide']>[1],
  policyName = `table:${table.name}`,
  available?: readonly ConvMethod[],
  precision: Precision = 'f32',
): RouteDecision {
  const { class: cls, reasons } = classifyWithReasons(spec);
  const sf = specFeatures(spec);
  const pf = profileFeatures(profile);
  let overLimit = false;
  const unavailable = new Set<ConvMethod>();
  for (let i = 0; i < table.rules.length; i++) {
    const rule = table.rules[i];
    const id = `rules[${i}]${rule.name ? ` ${rule.name}` : ''}`;
    const { failed, shown, values } = testRule(rule, sf, pf, precision);
    const cond = shown.length ? shown.join(' and ') : 'always';
    if (failed.length) {
      reasons.push({ rule: id, holds: false, detail: `${cond} -> ${rule.method}; fails ${failed.join(', ')}`, values });
      continue;
    }
    if (!isConvMethod(rule.method)) {
      reasons.push({ rule: id, holds: false, detail: `${cond} -> ${rule.method}; matches, but this build has no method ${rule.method}; next rule`, values });
      continue;
    }
    const rejection = convMethodRejection(rule.method, spec);
    if (rejection !== null) {
      reasons.push({ rule: id, holds: false, detail: `${cond} -> ${rule.method}; matches, but ${rejection}`, values });
      continue;
    }
    if (available && !available.includes(rule.method)) {
      unavailable.add(rule.method);
      const runs = available.join(', ') || 'nothing';
      reasons.push({
        rule: id,
        holds: false,
        detail: `${cond} -> ${rule.method}; matches, but the backend cannot run ${rule.method} (it runs ${runs}); next rule`,
        values,
      });
      continue;
    }
    const excess = methodBindingExcess(rule.method, spec, profile.limits);
    if (excess !== null) {
      overLimit = true;
      reasons.push({
        rule: id,
        holds: false,
        detail: `${cond} -> ${rule.method}; matches, but ${describeBindingExcess(rule.method, excess)}; next rule`,
        values: { ...values, bytes: excess.bytes, [excess.limitName]: excess.limit },
      });
      continue;
    }
    const r: Reason = { rule: id, holds: true, detail: `${cond} -> ${rule.method}${rule.why ? ` (${rule.why})` : ''}`, values };
    reasons.push(r);
    return { method: rule.method, class: cls, policy: policyName, storage: profile.storage, reasons };
  }
  // A table written for roomier devices still routes a conv whose chosen method is over this
  // device's limits: to the class's kernel (or another that fits), as the built-in policies do.
  if (overLimit) {
    const m = classMethod(cls, spec, reasons, profile);
    if (!available || available.includes(m)) {
      reasons.push({
        rule: 'limits.fallback',
        holds: true,
        detail: `every rule that matched chose a method over the device's limits; the ${cls} kernel ${m}`,
        values: { method: m },
      });
      return { method: m, class: cls, policy: policyName, storage: profile.storage, reasons };
    }
  }
  // Rules matched, but the backend runs none of their methods: the backend's refusal, not the table's.
  if (available && unavailable.size > 0)
    throw new ConvrouteError(
      'UNSUPPORTED_METHOD',
      `${policyName}.rules`,
      [...unavailable],
      `every rule that matched this ${cls} conv chose a method the backend cannot run (it runs ${available.join(', ') || 'nothing'})`,
    );
  throw new ConvrouteError(
    'INVALID_POLICY',
    `${policyName}.rules`,
    table.rules.length,
    `no rule chose a method that can compute this ${cls} conv; end the table with a rule for it`,
  );
}

export function tablePolicy(table: RuleTable): Policy {
  const name = `table:${table.name}`;
  return {
    name,
    description: table.description ?? `rule table ${table.name} (${table.rules.length} rules)`,
    decide: (spec, profile, available, precision) => decideByTable(table, spec, profile, name, available, precision),
  };
}
