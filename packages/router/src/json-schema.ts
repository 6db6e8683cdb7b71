import { ConvrouteError, type ErrorCode } from '@convroute/core';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/** One Ajv instance for the router's JSON inputs (device profiles, rule tables). allErrors is off
 * so the first error, the one a person fixes first, is reported. */
const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true, verbose: true });

export function compileSchema(schema: object): ValidateFunction {
  return ajv.compile(schema);
}

/** `/rules/3/when/cOut` -> `rules[3].when.cOut` */
export function pointerToField(root: string, pointer: string): string {
  let out = root;
  for (const part of pointer.split('/').slice(1)) {
    const p = part.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(p) ? `[${p}]` : out === '' ? p : `.${p}`;
  }
  return out || root;
}

function valueAt(doc: unknown, pointer: string): unknown {
  let v: unknown = doc;
  for (const part of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

/** Throws a ConvrouteError naming the field, the value found and the rule, for Ajv's first error. */
export function checkAgainst(validate: ValidateFunction, doc: unknown, code: ErrorCode, root: string): void {
  if (validate(doc)) return;
  const errors = validate.errors ?? [];
  // An anyOf's branches each report an error; the anyOf itself (reported after them) says what
  // was expected as a whole, in the schema's description.
  const e = (errors.find((x) => x.keyword === 'anyOf') ?? errors[0]) as ErrorObject | undefined;
  if (!e) throw new ConvrouteError(code, root, doc, 'does not match the schema');
  let pointer = e.instancePath;
  let rule = e.message ?? 'does not match the schema';
  if (e.keyword === 'additionalProperties') {
    const extra = String((e.params as { additionalProperty: string }).additionalProperty);
    pointer = `${pointer}/${extra}`;
    rule = 'is not a known field';
  } else if (e.keyword === 'required') {
    const missing = String((e.params as { missingProperty: string }).missingProperty);
    pointer = `${pointer}/${missing}`;
    rule = 'is required';
  } else if (e.keyword === 'anyOf') {
    const description = (e.parentSchema as { description?: string } | undefined)?.description;
    rule = description ? `must be ${description}` : 'matches none of the allowed forms';
  } else if (e.keyword === 'enum') {
    rule = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  throw new ConvrouteError(code, pointerToField(root, pointer), valueAt(doc, pointer), rule);
}
