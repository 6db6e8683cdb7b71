import { describe, expect, it } from 'vitest';
import { type GraphDecl, loadGraphJson, validateGraph } from '../src/index.ts';

/** 100k nodes that all read one value (fan-out 99,999): validation was quadratic in the fan-out
 * (issue 12: 20k nodes took 10-21 s, 100k over 300 s). Linear now: about 1 s here. */
function fanOutGraph(n: number): GraphDecl {
  const nodes: GraphDecl['nodes'] = [{ id: 'hub', op: 'conv2d', inputs: ['x', 'w'], output: 'hub' }];
  for (let i = 1; i < n; i++) nodes.push({ id: `n${i}`, op: 'conv2d', inputs: ['hub', 'w'], output: `y${i}` });
  return { inputs: [{ name: 'x', shape: [1, 2, 4, 4] }], constants: [{ name: 'w', shape: [2, 2, 1, 1] }], nodes, outputs: ['y1', `y${n - 1}`] };
}

/** CPU milliseconds (user + system) of `f`: on a loaded machine wall time measures the load, CPU
 * time the work (vitest runs each file in its own process). */
async function cpuMs<T>(label: string, f: () => T | Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await f();
  const c = process.cpuUsage(c0);
  const ms = (c.user + c.system) / 1000;
  console.log(`${label}: ${ms.toFixed(0)} ms CPU, ${(performance.now() - t0).toFixed(0)} ms wall`);
  return [r, ms];
}

describe('graph validation scales linearly', () => {
  it('validates a 100k-node graph with a 100k fan-out in well under 5 s', async () => {
    const decl = fanOutGraph(100_000);
    const [g, ms] = await cpuMs('validateGraph, 100k nodes, fan-out 99,999', () => validateGraph(decl));
    expect(g.nodes.length).toBe(100_000);
    expect(g.nodes[0].id).toBe('hub');
    expect(g.values.get('y99999')!.shape).toEqual([1, 2, 4, 4]);
    expect(ms).toBeLessThan(5000);
  }, 60_000);

  it('loads the same graph as JSON for its shapes (what route does) in well under 5 s', async () => {
    const decl = fanOutGraph(100_000);
    const json = JSON.stringify({
      format: 'convroute-graph',
      version: 1,
      inputs: decl.inputs,
      constants: [{ name: 'w', shape: [2, 2, 1, 1], fill: { kind: 'constant', value: 1 } }],
      nodes: decl.nodes,
      outputs: decl.outputs,
    });
    const [g, ms] = await cpuMs('loadGraphJson (shapes only), 100k nodes', () => loadGraphJson(json, { shapesOnly: true }));
    expect(g.nodes.length).toBe(100_000);
    expect(ms).toBeLessThan(5000);
  }, 60_000);

  it('still orders a deep chain and names a cycle', () => {
    const nodes: GraphDecl['nodes'] = [];
    // Declared last-first so the order must come from the dependencies, not the declaration.
    for (let i = 999; i >= 0; i--) nodes.push({ id: `c${i}`, op: 'conv2d', inputs: [i === 0 ? 'x' : `v${i - 1}`, 'w'], output: `v${i}` });
    const g = validateGraph({ inputs: [{ name: 'x', shape: [1, 2, 4, 4] }], constants: [{ name: 'w', shape: [2, 2, 1, 1] }], nodes, outputs: ['v999'] });
    expect(g.nodes.map((n) => n.id).slice(0, 3)).toEqual(['c0', 'c1', 'c2']);
    nodes[nodes.length - 1] = { id: 'c0', op: 'conv2d', inputs: ['v999', 'w'], output: 'v0' };
    expect(() =>
      validateGraph({ inputs: [{ name: 'x', shape: [1, 2, 4, 4] }], constants: [{ name: 'w', shape: [2, 2, 1, 1] }], nodes, outputs: ['v999'] }),
    ).toThrow(/INVALID_GRAPH: nodes = .*cycle/);
  });
});
