import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpy, Tensor, uniformData, writeNpy } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { convroute } from './cli-helpers.ts';

// Issue 12, items 1, 6, 7 and 9: what the CLI reads and writes, and what its errors show.
const root = mkdtempSync(join(tmpdir(), 'convroute-io-'));
const dir = join(root, 'model');
mkdirSync(join(dir, 'weights'), { recursive: true });
const p = (f: string) => join(dir, f);
const SECRET = 'root:x:0:0:secret-content:/root:/bin/bash\n';
const x = Tensor.fromData(uniformData(1 * 2 * 5 * 5, 3), [1, 2, 5, 5]);
const w = Tensor.fromData(uniformData(3 * 2 * 3 * 3, 4), [3, 2, 3, 3]);
writeFileSync(p('x.npy'), writeNpy(x));
writeFileSync(p('weights/w.npy'), writeNpy(w));
writeFileSync(join(root, 'secret.npy'), writeNpy(Tensor.fromData([42, 42, 42], [3])));
writeFileSync(join(root, 'passwd'), SECRET);
writeFileSync(p('passwd-copy.npy'), SECRET);
symlinkSync(join(root, 'secret.npy'), p('weights/outside.npy'));
symlinkSync('/dev/zero', p('weights/zero.npy'));
symlinkSync(join(root, 'nothing-here.npy'), p('weights/dangling.npy'));
mkdirSync(p('weights/dir.npy'));

function graphWith(npy: string, name = 'g.json'): string {
  const g = {
    format: 'convroute-graph',
    version: 1,
    inputs: [{ name: 'x', shape: [1, 2, 5, 5] }],
    constants: [{ name: 'w', shape: [3, 2, 3, 3], npy }],
    nodes: [
      { id: 'c1', op: 'conv2d', inputs: ['x', 'w'], output: 'h', attrs: { padding: 1 } },
      { id: 'c2', op: 'conv2d', inputs: ['h', 'w2'], output: 'y' },
    ],
    outputs: ['y'],
  };
  (g.constants as object[]).push({ name: 'w2', shape: [3, 3, 1, 1], fill: { kind: 'uniform', seed: 9 } });
  writeFileSync(p(name), JSON.stringify(g));
  return p(name);
}

const run = (graph: string, ...extra: string[]) => convroute(['run', '--graph', graph, '--backend', 'cpu', '--feed', `x=${p('x.npy')}`, ...extra]);

describe('graph weights stay inside the graph folder (item 1)', () => {
  it('refuses a line break smuggling ../ past the schema', () => {
    const r = run(graphWith('x\n/../../secret.npy', 'g-nl.json'), '--out', `y=${p('y-nl.npy')}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/INVALID_GRAPH: constants\.0\.npy/);
  });

  it('gives a link out of the folder, a dangling link and a missing file the same error, and never reads them', () => {
    const messages = ['weights/outside.npy', 'weights/dangling.npy', 'weights/missing.npy', 'weights/zero.npy'].map((npy, i) => {
      const r = run(graphWith(npy, `g-${i}.json`));
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      return r.stderr.replace(JSON.stringify(npy), 'PATH');
    });
    expect(new Set(messages).size).toBe(1);
    expect(messages[0]).toMatch(/constants\[0\]\.npy: file = PATH: must name an existing file inside the graph's folder/);
  });

  it('refuses a directory and a non-.npy file inside the folder without a stack trace or the content', () => {
    const d = run(graphWith('weights/dir.npy', 'g-dir.json'));
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/must be a regular file \(it is a directory\)/);
    const t = run(graphWith('passwd-copy.npy', 'g-text.json'));
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/NPY_FORMAT: constants\[0\]\.npy: npy\.magic/);
    expect(t.stderr).not.toMatch(/secret-content|root:x/);
  });

  it('reads weights in a subfolder, relative to the graph', () => {
    const r = run(graphWith('weights/w.npy', 'g-ok.json'), '--out', `y=${p('y-ok.npy')}`);
    expect(r.stderr).toBe('');
    expect(readNpy(readFileSync(p('y-ok.npy'))).shape).toEqual([1, 3, 5, 5]);
  });
});

describe('outputs are checked before work and written all or none (item 6)', () => {
  const conv = (out: string, ...extra: string[]) =>
    convroute(['conv2d', '--backend', 'cpu', '--input', p('x.npy'), '--weight', p('weights/w.npy'), '--output', out, ...extra]);

  it('refuses a missing folder, a directory and /proc/version with a typed error and leaves no temp file', () => {
    expect(conv(join(root, 'missing', 'y.npy')).stderr).toMatch(/^convroute: INVALID_ARGUMENT: --output = ".*missing\/y\.npy": its folder does not exist\n$/);
    const outDir = join(root, 'outdir');
    mkdirSync(outDir);
    const d = conv(outDir);
    expect(d.stderr).toMatch(/--output = ".*outdir": is a directory; name a file to write/);
    expect(readdirSync(root).filter((f) => f.includes('tmp-'))).toEqual([]);
    const proc = conv('/proc/version');
    expect(proc.code).toBe(2);
    expect(proc.stderr).toMatch(/INVALID_ARGUMENT: --output = "\/proc\/version": cannot be written/);
  });

  it('report --out and bench --json into a missing folder fail before reading or running anything', () => {
    const rep = convroute(['report', '--bench', 'bench/results/lavapipe.json', '--out', '/missing/dir/r.html']);
    expect(rep.stderr).toMatch(/^convroute: INVALID_ARGUMENT: --out = "\/missing\/dir\/r\.html": its folder does not exist\n$/);
    const started = Date.now();
    const b = convroute(['bench', '--suite', 'resnet18', '--backend', 'cpu', '--json', '/missing/dir/b.json']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/^convroute: INVALID_ARGUMENT: --json = "\/missing\/dir\/b\.json": its folder does not exist\n$/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('a run whose second --out cannot be written leaves the first untouched', () => {
    const g = graphWith('weights/w.npy', 'g-two.json');
    writeFileSync(p('h-old.npy'), 'previous content');
    const r = run(g, '--out', `h=${p('h-old.npy')}`, '--out', `y=${join(root, 'missing', 'y.npy')}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out y = .*its folder does not exist/);
    expect(readFileSync(p('h-old.npy'), 'utf8')).toBe('previous content');
    expect(readdirSync(dir).filter((f) => f.includes('tmp-'))).toEqual([]);
  });

  it('refuses the same output name twice (--out y=a --out y=b dropped a)', () => {
    const r = run(graphWith('weights/w.npy', 'g-dup.json'), '--out', `y=${p('a.npy')}`, '--out', `y=${p('b.npy')}`);
    expect(r.stderr).toMatch(/--out = "y=.*b\.npy": names y twice/);
    expect(existsSync(p('a.npy')) || existsSync(p('b.npy'))).toBe(false);
  });
});

describe('reads are bounded: regular files only, exactly the declared bytes (item 7)', () => {
  it('refuses /dev/zero, a FIFO, and a .npy longer or shorter than its header declares', () => {
    const out = p('never.npy');
    const conv = (input: string) => convroute(['conv2d', '--backend', 'cpu', '--input', input, '--weight', p('weights/w.npy'), '--output', out]);
    expect(conv('/dev/zero').stderr).toMatch(/--input = "\/dev\/zero": must be a regular file \(it is a device\)/);
    execFileSync('mkfifo', [p('fifo.npy')]);
    expect(conv(p('fifo.npy')).stderr).toMatch(/must be a regular file \(it is a FIFO\)/);
    const bytes = writeNpy(x);
    writeFileSync(p('long.npy'), Buffer.concat([bytes, Buffer.alloc(4)]));
    writeFileSync(p('short.npy'), bytes.subarray(0, bytes.length - 4));
    expect(conv(p('long.npy')).stderr).toMatch(/NPY_FORMAT: --input .*long\.npy: npy\.data = 204: expected 200 bytes/);
    expect(conv(p('short.npy')).stderr).toMatch(/NPY_FORMAT: --input .*short\.npy: npy\.data = 196: expected 200 bytes/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('errors never echo an arbitrary file; flags parse strictly (item 9)', () => {
  it('--policy, --profile and --graph naming a non-JSON file say so without its content', () => {
    const secret = join(root, 'passwd');
    const pol = convroute(['route', '--suite', 'resnet18', '--device', 'mali', '--policy', secret]);
    expect(pol.stderr).toMatch(/--policy = ".*passwd": is not valid JSON.*content not shown/);
    const prof = convroute(['route', '--suite', 'resnet18', '--profile', secret]);
    const graph = convroute(['run', '--graph', secret]);
    for (const r of [pol, prof, graph]) {
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/secret-content|root:x/);
    }
  });

  it('suite --seed must be an integer', () => {
    for (const seed of ['NaN', '1.5', '12abc', '-1']) {
      expect(convroute(['suite', '--backend', 'cpu', '--seed', seed]).stderr).toMatch(/--seed = ".*": must be an integer from 0/);
    }
  });
});
