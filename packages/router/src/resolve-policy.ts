import { ConvrouteError } from '@convroute/core';
import { calibratedPolicy, calibrationTable } from './calibrate/calibration-doc.ts';
import type { Policy } from './decision.ts';
import { BUILTIN_POLICY_NAMES, builtinPolicy } from './policies.ts';
import { parseRuleTable, tablePolicy } from './rule-table.ts';
import type { RuleTable } from './rule-types.ts';

/** What a caller may name a policy by: a Policy, a rule table (object), a built-in name, or (in
 * Node) the path of a rule-table JSON file. */
export type PolicyLike = Policy | RuleTable | string;

function looksLikePath(s: string): boolean {
  return s.endsWith('.json') || s.includes('/') || s.includes('\\');
}

/** Reads a file synchronously where Node is present (process.getBuiltinModule, Node >= 20.16),
 * so the router itself stays free of Node imports and runs in browsers. */
function readTextFile(path: string): string {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.('node:fs') as { readFileSync(p: string, enc: 'utf8'): string } | undefined;
  if (!fs) throw new ConvrouteError('INVALID_POLICY', 'policy', path, 'rule-table files can only be read in Node; pass the parsed table instead');
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConvrouteError('INVALID_POLICY', 'policy', path, `cannot read the rule table: ${(e as Error).message}`);
  }
}

export function resolvePolicy(p: PolicyLike): Policy {
  if (typeof p === 'string') {
    // calibrated:<file>: the table a `convroute calibrate` file carries (plain `calibrated` reads it
    // from the device profile instead).
    if (p.startsWith('calibrated:')) {
      const file = p.slice('calibrated:'.length);
      return calibratedPolicy(calibrationTable(readTextFile(file), file));
    }
    if (BUILTIN_POLICY_NAMES.includes(p) || p.startsWith('always:') || !looksLikePath(p)) return builtinPolicy(p);
    return tablePolicy(parseRuleTable(readTextFile(p), p));
  }
  if (p && typeof p === 'object' && typeof (p as Policy).decide === 'function') return p as Policy;
  if (p && typeof p === 'object' && 'rules' in p) return tablePolicy(parseRuleTable(p));
  throw new ConvrouteError('INVALID_POLICY', 'policy', p, 'must be a policy name, a Policy, a rule table or a rule-table file');
}
