import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeBackendConformance } from '../src/vitest.ts';
import { createNaiveBackend } from './readme-naive-backend.ts';

// packages/convroute/README.md shows how to implement a Backend with this naive backend; it must
// be the file verbatim and must pass the conformance suite it tells readers to run.
const readme = readFileSync(resolve(import.meta.dirname, '../../convroute/README.md'), 'utf8');

describe('the Backend example of the convroute README', () => {
  it('is readme-naive-backend.ts verbatim', () => {
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```\n/g)].map((m) => m[1]);
    const file = readFileSync(resolve(import.meta.dirname, 'readme-naive-backend.ts'), 'utf8');
    expect(blocks).toContain(file);
  });
});

describeBackendConformance('the convroute README naive backend', () => createNaiveBackend());
