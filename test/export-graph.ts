import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * What each package's src/index.ts exports, and which of those names anything outside the
 * package's src imports: other packages, every test, examples, apps and bench. Import lists are
 * read by regex (the tree's TypeScript 7 has no JS parser API); a name counts as used when it
 * appears in an import list, a re-export list or a destructured dynamic import of the package.
 */

const DECLARED =
  /^[ \t]*export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\*?|const|let|var|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm;
const LOCAL_LIST = /^[ \t]*export\s+(?:type\s+)?\{([^}]*)\}\s*(?:from\s*['"]([^'"]+)['"])?/gm;
const STAR = /^[ \t]*export\s+\*\s+from\s*['"]([^'"]+)['"]/gm;
const STAR_AS = /^[ \t]*export\s+\*\s+as\s+([A-Za-z_$][\w$]*)\s+from/gm;

/** `a, type B, c as d` -> the names as seen from outside: a, B, d. */
function listNames(list: string, side: 'exported' | 'imported'): string[] {
  return list
    .split(',')
    .map((s) => s.trim().replace(/^type\s+/, ''))
    .filter((s) => s.length > 0)
    .map((s) => {
      const [local, alias] = s.split(/\s+as\s+/);
      return side === 'exported' ? (alias ?? local) : local;
    });
}

function resolveModule(from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  const found = [base, `${base}.ts`, join(base, 'index.ts')].find((c) => existsSync(c) && statSync(c).isFile());
  if (!found) throw new Error(`${from}: cannot resolve ${spec}`);
  return found;
}

/** Names a module exports, following `export *` and `export { } from` into relative modules. */
export function exportedNames(file: string, seen = new Set<string>()): Set<string> {
  const out = new Set<string>();
  if (seen.has(file)) return out;
  seen.add(file);
  const src = readFileSync(file, 'utf8');
  for (const m of src.matchAll(DECLARED)) out.add(m[1]);
  for (const m of src.matchAll(LOCAL_LIST)) for (const n of listNames(m[1], 'exported')) out.add(n);
  for (const m of src.matchAll(STAR_AS)) out.add(m[1]);
  for (const m of src.matchAll(STAR)) if (m[1].startsWith('.')) for (const n of exportedNames(resolveModule(file, m[1]), seen)) out.add(n);
  return out;
}

const IMPORT_LIST = /\b(?:import|export)\s+(?:type\s+)?(?:[A-Za-z_$][\w$]*\s*,\s*)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g;
const DYNAMIC = /\{([^}]*)\}\s*=\s*await\s+import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every (specifier, name) a source file imports by name (static lists and destructured dynamic imports). */
export function importedNames(source: string): { spec: string; name: string }[] {
  const out: { spec: string; name: string }[] = [];
  for (const re of [IMPORT_LIST, DYNAMIC]) {
    for (const m of source.matchAll(re)) for (const name of listNames(m[1].replace(/:\s*[A-Za-z_$][\w$]*/g, ''), 'imported')) out.push({ spec: m[2], name });
  }
  return out;
}

export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const n of readdirSync(dir)) {
    if (n === 'node_modules' || n === 'dist' || n.startsWith('.')) continue;
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(n) && !n.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

export interface PackageExports {
  name: string;
  dir: string;
  exports: Set<string>;
}

/** For each package, the names of its index that no file outside its src imports. */
export function unusedExports(root: string, packages: PackageExports[], consumers: string[]): Map<string, string[]> {
  const used = new Map(packages.map((p) => [p.name, new Set<string>()]));
  for (const file of consumers) {
    for (const { spec, name } of importedNames(readFileSync(file, 'utf8'))) {
      const target = spec.startsWith('.') ? resolve(dirname(file), spec) : spec;
      const pkg = packages.find((p) =>
        spec.startsWith('.') ? relative(join(root, p.dir, 'src'), target).split(/[\\/]/)[0] !== '..' : spec === p.name || spec.startsWith(`${p.name}/`),
      );
      if (pkg && !file.startsWith(join(root, pkg.dir, 'src'))) used.get(pkg.name)!.add(name);
    }
  }
  return new Map(packages.map((p) => [p.name, [...p.exports].filter((n) => !used.get(p.name)!.has(n)).sort()]));
}
