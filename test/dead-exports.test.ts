import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportedNames, importedNames, type PackageExports, sourceFiles, unusedExports } from './export-graph.ts';
import { NOT_YET_REMOVED, PUBLIC_API } from './public-api.ts';

// Issue 11: no dead exports. Every name a package's src/index.ts exports is imported by another
// package, a test, an example, an app or the bench, or is listed in test/public-api.ts with why.
const root = resolve(import.meta.dirname, '..');

const packages: PackageExports[] = readdirSync(join(root, 'packages')).map((d) => {
  const dir = `packages/${d}`;
  const { name } = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { name: string };
  return { name, dir, exports: exportedNames(join(root, dir, 'src/index.ts')) };
});
const consumers = ['packages', 'apps', 'bench', 'examples', 'test', 'scripts'].flatMap((d) => sourceFiles(join(root, d)));

describe('dead exports', () => {
  it('the scanners read export forms and import lists', () => {
    expect(
      importedNames(
        [
          "import { a, type B, c as d } from '@convroute/core';",
          "import type { E } from '../src/index.ts';",
          "import f, { g } from 'x';",
          "export { h } from './h.ts';",
          "const { i, j: k } = await import('@convroute/backend-webgpu');",
        ].join('\n'),
      ),
    ).toEqual([
      { spec: '@convroute/core', name: 'a' },
      { spec: '@convroute/core', name: 'B' },
      { spec: '@convroute/core', name: 'c' },
      { spec: '../src/index.ts', name: 'E' },
      { spec: 'x', name: 'g' },
      { spec: './h.ts', name: 'h' },
      { spec: '@convroute/backend-webgpu', name: 'i' },
      { spec: '@convroute/backend-webgpu', name: 'j' },
    ]);
    const core = packages.find((p) => p.name === '@convroute/core')!;
    for (const n of ['runGraph', 'Tensor', 'ConvrouteError', 'Conv2dSpec', 'nodeOverride']) expect(core.exports).toContain(n);
  });

  it('every unused export is public API with a reason, or a known helper awaiting its index', () => {
    const unused = unusedExports(root, packages, consumers);
    const unexplained: string[] = [];
    for (const [pkg, names] of unused) {
      for (const n of names) if (!PUBLIC_API[pkg]?.[n] && !NOT_YET_REMOVED[pkg]?.[n]) unexplained.push(`${pkg}: ${n}`);
    }
    expect(unexplained).toEqual([]);
  });

  it('every listed name is still exported and still unused (stale entries go)', () => {
    const unused = unusedExports(root, packages, consumers);
    const stale: string[] = [];
    for (const list of [PUBLIC_API, NOT_YET_REMOVED]) {
      for (const [pkg, names] of Object.entries(list)) {
        for (const [n, why] of Object.entries(names)) {
          expect(why.length, `${pkg}: ${n} needs a reason`).toBeGreaterThan(5);
          if (!unused.get(pkg)?.includes(n)) stale.push(`${pkg}: ${n}`);
        }
      }
    }
    expect(stale).toEqual([]);
  });
});
