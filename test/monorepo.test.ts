import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Enforces monorepo.json (docs/architecture.md, "Packages and their boundaries"): which workspace package may import which, from
// its sources (mayImport) and its tests and scripts (mayImport + testMayImport); no cycles; every
// package listed; no reaching into another package's internals.
const root = resolve(import.meta.dirname, '..');
interface Entry {
  name: string;
  role: string;
  mayImport: string[];
  testMayImport?: string[];
}
const manifest = JSON.parse(readFileSync(join(root, 'monorepo.json'), 'utf8')) as { packages: Record<string, Entry> };
const entries = Object.entries(manifest.packages);
const byName = new Map(entries.map(([dir, e]) => [e.name, { dir, ...e }]));

function tsFiles(dir: string): string[] {
  let out: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    if (n === 'node_modules' || n.startsWith('.')) continue;
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out = out.concat(tsFiles(p));
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(n)) out.push(p);
  }
  return out;
}

/** Import specifiers: static imports/exports, dynamic import(), and require(). */
function importsOf(source: string): string[] {
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
  return [...source.matchAll(re)].map((m) => m[1]);
}

function workspaceTarget(spec: string): { pkg: string; subpath: string } | undefined {
  for (const name of byName.keys()) {
    if (spec === name) return { pkg: name, subpath: '.' };
    if (spec.startsWith(`${name}/`)) return { pkg: name, subpath: `./${spec.slice(name.length + 1)}` };
  }
  return undefined;
}

describe('monorepo.json', () => {
  it('lists every package folder, with a matching package.json name', () => {
    const dirs = ['bench', ...readdirSync(join(root, 'packages')).map((d) => `packages/${d}`), ...listApps()];
    for (const d of dirs) {
      expect(manifest.packages, `${d} is missing from monorepo.json`).toHaveProperty([d]);
      const pj = JSON.parse(readFileSync(join(root, d, 'package.json'), 'utf8'));
      expect(pj.name).toBe(manifest.packages[d].name);
    }
    for (const [d] of entries) expect(dirs, `monorepo.json lists ${d}, which does not exist`).toContain(d);
  });

  it('has no cycle among the allowed imports', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string, path: string[]) => {
      if (state.get(name) === 'done') return;
      if (state.get(name) === 'visiting') throw new Error(`import cycle: ${[...path, name].join(' -> ')}`);
      state.set(name, 'visiting');
      for (const dep of byName.get(name)?.mayImport ?? []) visit(dep, [...path, name]);
      state.set(name, 'done');
    };
    for (const name of byName.keys()) visit(name, []);
  });

  it('detects imports in every syntax it claims to', () => {
    expect(importsOf(`import a from '@x/a';\nimport type { B } from "@x/b";\nexport * from './c.ts';\nawait import('@x/d');\nimport '@x/e';`)).toEqual([
      '@x/a',
      '@x/b',
      './c.ts',
      '@x/d',
      '@x/e',
    ]);
  });

  for (const [dir, entry] of entries) {
    it(`${entry.name} imports only what it may`, () => {
      const pj = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
      const violations: string[] = [];
      for (const file of tsFiles(join(root, dir))) {
        const rel = relative(join(root, dir), file);
        const isSrc = rel.startsWith('src/') && !/\.test\.ts$/.test(rel);
        const allowed = new Set([...entry.mayImport, ...(isSrc ? [] : (entry.testMayImport ?? []))]);
        for (const spec of importsOf(readFileSync(file, 'utf8'))) {
          if (spec.startsWith('.')) {
            const target = resolve(dirname(file), spec);
            if (!target.startsWith(join(root, dir))) violations.push(`${rel}: relative import ${spec} leaves the package`);
            continue;
          }
          const t = workspaceTarget(spec);
          if (!t || t.pkg === entry.name) continue;
          if (!allowed.has(t.pkg)) violations.push(`${rel}: imports ${t.pkg}, not allowed (${isSrc ? 'mayImport' : 'mayImport + testMayImport'})`);
          const exportsField = JSON.parse(readFileSync(join(root, byName.get(t.pkg)!.dir, 'package.json'), 'utf8')).exports ?? {};
          if (!Object.hasOwn(exportsField, t.subpath)) violations.push(`${rel}: ${spec} is not a public entry of ${t.pkg}`);
          const declared = { ...pj.dependencies, ...pj.devDependencies };
          if (!Object.hasOwn(declared, t.pkg)) violations.push(`${rel}: ${t.pkg} is not declared in ${dir}/package.json`);
        }
      }
      expect(violations).toEqual([]);
    });
  }
});

function listApps(): string[] {
  try {
    return readdirSync(join(root, 'apps')).map((d) => `apps/${d}`);
  } catch {
    return [];
  }
}
