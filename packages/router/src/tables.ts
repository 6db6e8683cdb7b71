import type { Policy } from './decision.ts';
import { parseRuleTable, tablePolicy } from './rule-table.ts';
import type { RuleTable } from './rule-types.ts';
import etvkJson from './tables/etvk.json' with { type: 'json' };

/** The etvk policy as a rule table (tables/etvk.json), validated at load like any user table. */
export const ETVK_TABLE: RuleTable = parseRuleTable(etvkJson, 'tables/etvk.json');
export const etvkTablePolicy: Policy = tablePolicy(ETVK_TABLE);
