import type { ConvMethod, Precision } from '@convroute/core';
import type { ConvClass } from './classify.ts';
import type { Family, Storage } from './device-family.ts';

// A rule table's shape (rule-table.ts validates and runs it), apart so that a device profile can
// carry a calibrated table without importing the engine.

export type NumberCondition = number | { min?: number; max?: number } | { in: number[] };
type OneOrMany<T> = T | T[];
export interface RuleCondition {
  class?: OneOrMany<ConvClass>;
  family?: OneOrMany<Family>;
  generation?: OneOrMany<string>;
  storage?: OneOrMany<Storage>;
  transposed?: boolean;
  bias?: boolean;
  /** The backend's arithmetic (RouteContext.precision). */
  precision?: OneOrMany<Precision>;
  [numeric: string]: NumberCondition | OneOrMany<string> | boolean | undefined;
}
export interface Rule {
  name?: string;
  why?: string;
  when: RuleCondition;
  /** A conv method, or one of issue 14's Winograd names before this build has it (a rule naming
   * a method the build lacks falls through, rule-table.ts). */
  method: ConvMethod | 'winograd-2x3' | 'winograd-4x3';
}
export interface RuleTable {
  name: string;
  description?: string;
  source?: string;
  rules: Rule[];
}
