/** Rewrites the node method enum of schema/graph.schema.json from the method descriptors:
 * `npx tsx packages/core/test/write-graph-schema.ts` (test/graph-schema.test.ts checks it). */
import { readFileSync, writeFileSync } from 'node:fs';
import { graphMethodEnum } from '../src/graph-method-enum.ts';

export const GRAPH_SCHEMA_PATH = new URL('../schema/graph.schema.json', import.meta.url);

/** The schema text with its node method enum replaced; the rest of the file as it is. */
export function withMethodEnum(text: string): string {
  const line = /("method": \{ "enum": )\[[^\]]*\]/;
  if (!line.test(text)) throw new Error('graph.schema.json: no `"method": { "enum": [...] }` to rewrite');
  return text.replace(
    line,
    `$1[${graphMethodEnum()
      .map((m) => JSON.stringify(m))
      .join(', ')}]`,
  );
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const before = readFileSync(GRAPH_SCHEMA_PATH, 'utf8');
  const after = withMethodEnum(before);
  writeFileSync(GRAPH_SCHEMA_PATH, after);
  console.log(after === before ? 'graph.schema.json: method enum already current' : 'graph.schema.json: method enum rewritten');
}
