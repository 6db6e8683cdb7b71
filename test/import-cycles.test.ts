import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCycles, relativeImports } from './import-graph.ts';

// Issue 11: no two source files may import each other, directly or around a longer loop, and
// type-only imports count (a type circle is still two files that cannot be read apart).
const root = resolve(import.meta.dirname, '..');

function sourceRoots(): string[] {
  const pkgDirs = ['bench', ...readdirSync(join(root, 'packages')).map((d) => `packages/${d}`), ...readdirSync(join(root, 'apps')).map((d) => `apps/${d}`)];
  return pkgDirs.map((d) => join(root, d, 'src')).filter((d) => existsSync(d));
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir)) {
    if (n === 'node_modules' || n.startsWith('.')) continue;
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (/\.tsx?$/.test(n) && !n.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The file a relative specifier names: as written, or with .ts / index.ts as TypeScript resolves. */
function resolveSpecifier(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => /\.tsx?$/.test(c) && existsSync(c) && statSync(c).isFile());
}

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const dir of sourceRoots()) {
    for (const file of tsFiles(dir)) {
      const targets = relativeImports(readFileSync(file, 'utf8'))
        .map((s) => resolveSpecifier(file, s))
        .filter((t): t is string => t !== undefined);
      graph.set(relative(root, file), [...new Set(targets.map((t) => relative(root, t)))]);
    }
  }
  return graph;
}

describe('import cycles', () => {
  it('the scanner sees every form of relative import, and nothing in comments or strings', () => {
    const src = [
      "import { a } from './a.ts';",
      "import type { B } from './b.ts';",
      "import c, { d } from './c.ts';",
      "import * as e from './e.ts';",
      "export * from './f.ts';",
      "export { type G } from './g.ts';",
      "import './h.ts';",
      "const i = await import('./i.ts');",
      'type J = typeof import("./j.ts");',
      'import {\n  k,\n  type K,\n} from "./k.ts";',
      "import x from '@convroute/core';",
      "// import { no } from './comment.ts';",
      " * import { no } from './doc.ts';",
      "const s = 'from ./string.ts';",
    ].join('\n');
    expect(relativeImports(src)).toEqual(['./a.ts', './b.ts', './c.ts', './e.ts', './f.ts', './g.ts', './h.ts', './i.ts', './j.ts', './k.ts']);
  });

  it('findCycles reports a loop with its files in order', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(findCycles(g)).toEqual([['a', 'b', 'c', 'a']]);
    expect(findCycles(new Map([['a', ['a']]]))).toEqual([['a', 'a']]);
    expect(findCycles(new Map([['a', ['b']]]))).toEqual([]);
  });

  it('no source file of any package imports itself back, also through type-only imports', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(100);
    expect(findCycles(graph).map((c) => c.join(' -> '))).toEqual([]);
  });
});
