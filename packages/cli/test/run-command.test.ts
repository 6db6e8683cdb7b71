import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conv2dExact } from '@convroute/backend-cpu';
import { conv2dSpec, readNpy, Tensor, uniformData, writeNpy } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { convroute } from './cli-helpers.ts';

describe('convroute run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'convroute-run-'));
  mkdirSync(join(dir, 'weights'));
  const x = Tensor.fromData(uniformData(1 * 3 * 9 * 9, 5), [1, 3, 9, 9]);
  const w1 = Tensor.fromData(uniformData(8 * 3 * 3 * 3, 6), [8, 3, 3, 3]);
  writeFileSync(join(dir, 'x.npy'), writeNpy(x));
  writeFileSync(join(dir, 'weights', 'w1.npy'), writeNpy(w1));
  const graph = {
    format: 'convroute-graph',
    version: 1,
    inputs: [{ name: 'x', shape: [1, 3, 9, 9] }],
    constants: [
      { name: 'w1', shape: [8, 3, 3, 3], npy: 'weights/w1.npy' },
      { name: 'w2', shape: [8, 1, 3, 3], fill: { kind: 'uniform', seed: 7 } },
    ],
    nodes: [
      { id: 'c1', op: 'conv2d', inputs: ['x', 'w1'], output: 'h', attrs: { padding: 1, activation: 'relu' } },
      { id: 'dw', op: 'conv2d', inputs: ['h', 'w2'], output: 'y', attrs: { stride: 2, groups: 8 } },
    ],
    outputs: ['y'],
  };
  writeFileSync(join(dir, 'g.json'), JSON.stringify(graph));

  it('runs a graph with .npy and seeded weights, routes each node and writes the exact output', () => {
    const r = convroute([
      'run',
      '--graph',
      join(dir, 'g.json'),
      '--backend',
      'cpu',
      '--feed',
      `x=${join(dir, 'x.npy')}`,
      '--out',
      `y=${join(dir, 'y.npy')}`,
      '--out',
      `h=${join(dir, 'h.npy')}`,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ format: 'convroute/v1', command: 'run', outputs: { y: { shape: [1, 8, 4, 4] }, h: { shape: [1, 8, 9, 9] } } });
    expect(doc.nodes.map((n: { node: string; method: string }) => [n.node, n.method])).toEqual([
      ['c1', 'direct'],
      ['dw', 'depthwise'],
    ]);
    const h = conv2dExact(conv2dSpec({ input: [1, 3, 9, 9], weight: [8, 3, 3, 3], padding: 1, activation: 'relu' }), x, w1);
    const w2 = Tensor.fromData(uniformData(72, 7), [8, 1, 3, 3]);
    const y = conv2dExact(conv2dSpec({ input: [1, 8, 9, 9], weight: [8, 1, 3, 3], stride: 2, groups: 8 }), h, w2);
    expect(Array.from(readNpy(readFileSync(join(dir, 'y.npy'))).data)).toEqual(Array.from(y.data));
    // An intermediate written with --out, exact too.
    expect(Array.from(readNpy(readFileSync(join(dir, 'h.npy'))).data)).toEqual(Array.from(h.data));
  });

  it('refuses missing feeds, unknown outputs and malformed pairs, writing nothing', () => {
    const out = join(dir, 'never.npy');
    const base = ['run', '--graph', join(dir, 'g.json'), '--backend', 'cpu'];
    expect(convroute([...base, '--out', `y=${out}`]).stderr).toMatch(/feeds\.x.*was not given/);
    expect(convroute([...base, '--feed', `x=${join(dir, 'x.npy')}`, '--out', `q=${out}`]).stderr).toMatch(
      /--out = "q": is not a value of the graph \(x, w1, w2, h, y\)/,
    );
    expect(convroute([...base, '--feed', 'x']).stderr).toMatch(/--feed = "x": must be NAME=path/);
    expect(existsSync(out)).toBe(false);
  });
});
