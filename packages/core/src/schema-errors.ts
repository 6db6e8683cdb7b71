import type { ErrorObject } from 'ajv';
import { ConvrouteError } from './errors.ts';

/** The value a JSON pointer (ajv's instancePath) names in a document. */
function valueAt(doc: unknown, pointer: string): unknown {
  let v = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

const fieldOf = (pointer: string): string => (pointer ? pointer.slice(1).replace(/\//g, '.') : 'graph');
const list = (vs: readonly unknown[]): string => vs.map((v) => JSON.stringify(v)).join(', ');

/** A schema's own words for what it allows: its description, else its allowed values. */
function described(schema: unknown): string | undefined {
  const s = schema as { description?: string; enum?: unknown[] } | undefined;
  return s?.description ?? (s?.enum ? `must be one of ${list(s.enum)}` : undefined);
}

/**
 * One ajv error (the most telling of a failed validation) as a ConvrouteError that shows the
 * value found and what is allowed, in words: ajv says "must be equal to one of the allowed
 * values" or prints a regex. Needs ajv's `verbose` option (schemas on the errors).
 */
export function schemaError(doc: unknown, errors: readonly ErrorObject[]): ConvrouteError {
  // A value that fits none of a oneOf's forms gets the oneOf's description, not the first form's
  // complaint ("must be integer" for a padding of [1, 2, 3]).
  const e = errors.find((x) => x.keyword === 'oneOf' && described(x.parentSchema)) ?? errors[0];
  const field = fieldOf(e.instancePath);
  const value = valueAt(doc, e.instancePath);
  const p = e.params as Record<string, unknown>;
  const bad = (f: string, v: unknown, rule: string) => new ConvrouteError('INVALID_GRAPH', f, v, `schema: ${rule}`);
  switch (e.keyword) {
    case 'const':
      return bad(field, value, `must be ${JSON.stringify(p.allowedValue)}`);
    case 'enum':
      return bad(field, value, `must be one of ${list(p.allowedValues as unknown[])}`);
    case 'required':
      return bad(`${field === 'graph' ? '' : `${field}.`}${String(p.missingProperty)}`, undefined, 'is required');
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
      return bad(`${field} (${key})`, valueAt(doc, `${e.instancePath}/${key}`), `unknown key ${JSON.stringify(key)}; allowed keys: ${allowed.join(', ')}`);
    }
    case 'pattern':
      return bad(field, value, described(e.parentSchema) ?? `must match ${String(p.pattern)}`);
    case 'oneOf':
      return bad(field, value, described(e.parentSchema) ?? e.message ?? 'must match exactly one form');
    default:
      return bad(field, value, e.message ?? e.keyword);
  }
}
