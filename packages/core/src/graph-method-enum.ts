import { CONV_METHODS } from './conv-methods.ts';
import { OP_NAMES } from './ops.ts';

/**
 * A graph node's `method` values as schema/graph.schema.json lists them: 'auto', every conv
 * method, and each other op's single method (named after the op). The committed schema is
 * checked against this (test/graph-schema.test.ts) and rewritten from it by
 * `npx tsx packages/core/test/write-graph-schema.ts`.
 */
export function graphMethodEnum(): string[] {
  return ['auto', ...CONV_METHODS, ...OP_NAMES.filter((op) => op !== 'conv2d')];
}
