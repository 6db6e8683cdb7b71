import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The packages as a user gets them: `pnpm pack` each public package (its prepack builds it),
// `npm install` the tarballs into a scratch project, and use them there with plain Node (no tsx),
// through `npx convroute`, through TypeScript and through Vite. Nothing here skips: a missing tool or an
// unreachable registry fails the test (CI runs it).
const root = resolve(import.meta.dirname, '..');
const fixture = join(import.meta.dirname, 'pack-fixture');
const manifest = JSON.parse(readFileSync(join(root, 'monorepo.json'), 'utf8')) as { packages: Record<string, { name: string; private?: boolean }> };
const publicDirs = Object.entries(manifest.packages)
  .filter(([dir, e]) => dir.startsWith('packages/') && !e.private)
  .map(([dir]) => dir);

interface Packed {
  name: string;
  tarball: string;
}

let work = '';
let project = '';
let packed: Packed[] = [];

function run(cmd: string, args: string[], cwd: string, timeout = 120_000): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status ?? r.signal}\n${r.error ?? ''}\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

function node(args: string[]): SpawnSyncReturns<string> {
  return run(process.execPath, args, project);
}

function npx(args: string[]): SpawnSyncReturns<string> {
  // --no: the bin must come from the installed tarballs, never from a registry download.
  return run('npx', ['--no', '--', ...args], project);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'convroute-pack-'));
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  // Each package's prepack builds it from a clean dist, so pack alone must give complete tarballs.
  const filters = publicDirs.flatMap((dir) => ['--filter', `./${dir}`]);
  run('npx', ['-y', 'pnpm@12.4.2', '-r', ...filters, 'pack', '--pack-destination', tarballs], root);
  packed = publicDirs.map((dir) => {
    const pj = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { name: string; version: string };
    const tarball = join(tarballs, `${pj.name.replace(/^@/, '').replace('/', '-')}-${pj.version}.tgz`);
    if (!existsSync(tarball)) throw new Error(`pnpm pack wrote no ${tarball} (found: ${readdirSync(tarballs).join(', ')})`);
    return { name: pj.name, tarball };
  });
  project = join(work, 'project');
  cpSync(fixture, project, { recursive: true });
  // overrides: the packages' dependencies on each other resolve to these tarballs too.
  const deps = Object.fromEntries(packed.map((p) => [p.name, `file:${p.tarball}`]));
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'scratch', private: true, type: 'module', dependencies: deps, overrides: deps }, null, 2),
  );
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], project, 240_000);
}, 420_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
}, 120_000);

describe('the packed packages, installed with npm', { timeout: 120_000 }, () => {
  it('ship manifests whose exports and bin point at built files that exist', () => {
    for (const { name } of packed) {
      const dir = join(project, 'node_modules', name);
      const pj = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      expect(JSON.stringify(pj), name).not.toMatch(/workspace:|\.\/src\//);
      for (const [sub, target] of Object.entries(pj.exports as Record<string, Record<string, string>>)) {
        expect(Object.keys(target), `${name} ${sub}`).toEqual(['types', 'import', 'default']);
        for (const file of Object.values(target)) expect(existsSync(join(dir, file)), `${name} ${sub}: ${file}`).toBe(true);
      }
    }
    const cli = JSON.parse(readFileSync(join(project, 'node_modules/@convroute/cli/package.json'), 'utf8'));
    expect(cli.bin).toEqual({ convroute: './dist/bin.js' });
    expect(readFileSync(join(project, 'node_modules/@convroute/cli/dist/bin.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it('ship source maps (of the JavaScript and of the declarations) whose sources are in the package', () => {
    for (const { name } of packed) {
      const dist = join(project, 'node_modules', name, 'dist');
      const maps = (readdirSync(dist, { recursive: true }) as string[]).filter((f) => f.endsWith('.map'));
      expect(maps.length, name).toBeGreaterThan(0);
      for (const m of maps) {
        const map = JSON.parse(readFileSync(join(dist, m), 'utf8')) as { sources: string[] };
        for (const src of map.sources) expect(existsSync(resolve(dist, dirname(m), src)), `${name} ${m}: ${src}`).toBe(true);
      }
    }
  });

  it('run a conv through the API in plain Node: exact values, a model from graph JSON, typed errors', () => {
    const r = node(['api.mjs']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.sobel).toEqual([-8.5, -5.5, 9.5, -19.5, -7.5, 20.5, -20.5, -5.5, 21.5]);
    expect(out.description).toBe('cpu (exact)');
    expect(out.rounding).toBe(1 + 2 ** -23);
    expect(out.model).toEqual([-9, -6, 9, -20, -8, 20, -21, -6, 21]);
    expect(out.refusal).toBe('INVALID_ATTRIBUTE');
  });

  it("run the README's example (examples/quickstart.ts is plain JavaScript) from the installed packages", () => {
    writeFileSync(join(project, 'quickstart.mjs'), readFileSync(join(root, 'examples/quickstart.ts'), 'utf8'));
    const r = node(['quickstart.mjs']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^\[ 1, 16, 32, 32 \]\ndirect cpu \(exact\)\n/);
  });

  it('run the CLI as `npx convroute`: help, version, and conv2d on .npy files', () => {
    node(['write-npy.mjs']);
    expect(npx(['convroute', '--help']).stdout).toMatch(/Usage: convroute[\s\S]*conv2d/);
    const cliVersion = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')).version;
    expect(npx(['convroute', '--version']).stdout.trim()).toBe(cliVersion);
    const args = ['convroute', 'conv2d', '--input', 'x.npy', '--weight', 'w.npy', '--bias', 'b.npy', '--output', 'y.npy'];
    const r = npx([...args, '--padding', '1,1', '--backend', 'cpu', '--mode', 'exact', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ outputShape: [1, 1, 3, 3], backend: 'cpu', mode: 'exact' });
    const y = JSON.parse(node(['read-npy.mjs', 'y.npy']).stdout);
    expect(y).toEqual({ shape: [1, 1, 3, 3], data: [-8.5, -5.5, 9.5, -19.5, -7.5, 20.5, -20.5, -5.5, 21.5] });
  });

  it('run `convroute bench`, whose crash-isolated children are the built child.js (no tsx installed)', () => {
    npx([
      'convroute',
      'bench',
      '--suite',
      'tiny-graph.json',
      '--backend',
      'cpu',
      '--methods',
      'direct',
      '--warmup',
      '0',
      '--reps',
      '3',
      '--json',
      'bench.json',
    ]);
    const bench = JSON.parse(readFileSync(join(project, 'bench.json'), 'utf8'));
    expect(bench.results.map((r: { layer: string; status: string }) => [r.layer, r.status])).toEqual([['tiny-graph/c1', 'ok']]);
    expect(bench.software).toMatchObject({ convroute: expect.any(String), '@convroute/cli': expect.any(String), webgpu: expect.any(String) });
  });

  it('type-check a consumer against the shipped declarations (strict, skipLibCheck off, no @types/node)', () => {
    run(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], project);
  });

  it('bundle for a browser with Vite: no Node modules, the WebGPU backend in a lazy chunk', () => {
    // The playground's Vite (the workspace's only copy), run on the scratch project's files.
    const vite = join(root, 'apps/playground/node_modules/.bin/vite');
    const r = run(vite, ['build', 'web', '--base', './', '--outDir', '../web-dist', '--emptyOutDir'], project);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/externalized for browser compatibility|warning/i);
    const assets = join(project, 'web-dist/assets');
    const html = readFileSync(join(project, 'web-dist/index.html'), 'utf8');
    const entry = /src="\.\/assets\/([^"]+\.js)"/.exec(html)?.[1];
    expect(entry, html).toBeDefined();
    // Files the entry loads before running: itself and its static imports, transitively.
    const eager = new Set<string>();
    const visit = (f: string) => {
      if (eager.has(f)) return;
      eager.add(f);
      for (const m of readFileSync(join(assets, f), 'utf8').matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) visit(m[1]);
    };
    visit(entry as string);
    const chunks = readdirSync(assets).filter((f) => f.endsWith('.js'));
    const gpu = chunks.filter((f) => readFileSync(join(assets, f), 'utf8').includes('requestAdapter'));
    expect(gpu.length, 'a chunk with the WebGPU backend').toBeGreaterThan(0);
    for (const f of gpu) expect(eager.has(f), `${f} is loaded eagerly`).toBe(false);
    for (const f of chunks) expect(readFileSync(join(assets, f), 'utf8'), f).not.toMatch(/dawn\.node|createRequire/);
  });
});
