import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { graphMethodEnum } from '../src/graph-method-enum.ts';
import { GRAPH_SCHEMA_PATH, withMethodEnum } from './write-graph-schema.ts';

describe('graph.schema.json', () => {
  const text = readFileSync(GRAPH_SCHEMA_PATH, 'utf8');

  it('lists exactly the methods the descriptors define (regenerate: npx tsx packages/core/test/write-graph-schema.ts)', () => {
    const schema = JSON.parse(text);
    expect(schema.definitions.node.properties.method.enum).toEqual(graphMethodEnum());
    expect(withMethodEnum(text)).toBe(text);
  });

  it('the rewrite replaces a stale enum and nothing else', () => {
    const stale = text.replace(/"implicit-gemm",\s*/, '');
    expect(stale).not.toBe(text);
    expect(withMethodEnum(stale)).toBe(text);
  });
});
