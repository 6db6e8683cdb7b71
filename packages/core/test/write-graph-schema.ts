/** Rewrites the node method enum of schema/graph.schema.json from the method descriptors:
 * `npx tsx packages/core/test/write-graph-schema.ts` (test/graph-schema.test.ts checks it). */
import { readFileSync, writeFileSync } from 'node:fs';
import { graphMethodEnum } from '../src/graph-method-enum.ts';

export const GRAPH_SCHEMA_PATH = new URL('../schema/graph.schema.json', import.meta.url);

/** The schema text with its node method enum replaced; the rest of the file as it is. Written as
 * biome formats it (one line when it fits the 160-column line width, else one value a line). */
export function withMethodEnum(text: string): string {
  const block = /^( *)"method": \{\s*"enum": \[[^\]]*\]\s*\}/m;
  const found = block.exec(text);
  if (!found) throw new Error('graph.schema.json: no `"method": { "enum": [...] }` to rewrite');
  const indent = found[1];
  const values = graphMethodEnum().map((m) => JSON.stringify(m));
  const oneLine = `${indent}"method": { "enum": [${values.join(', ')}] }`;
  const expanded = [`${indent}"method": {`, `${indent}  "enum": [`, values.map((v) => `${indent}    ${v}`).join(',\n'), `${indent}  ]`, `${indent}}`].join(
    '\n',
  );
  return text.replace(block, oneLine.length + 1 <= 160 ? oneLine : expanded);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const before = readFileSync(GRAPH_SCHEMA_PATH, 'utf8');
  const after = withMethodEnum(before);
  writeFileSync(GRAPH_SCHEMA_PATH, after);
  console.log(after === before ? 'graph.schema.json: method enum already current' : 'graph.schema.json: method enum rewritten');
}
