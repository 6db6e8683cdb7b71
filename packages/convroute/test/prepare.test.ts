import { type Graph, GraphBuilder, Tensor, uniformData } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { Session } from '../src/index.ts';

process.env.VK_ICD_FILENAMES ??= '/usr/share/vulkan/icd.d/lvp_icd.json';
process.env.LP_NUM_THREADS ??= '1';

// Issue 13, "Execution": session.prepare(graph) takes the constants at prepare time, compiles once,
// and its run(feeds) gives what session.run gives for the same data.
const t = (shape: number[], seed: number) =>
  Tensor.fromData(
    uniformData(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );

function twoConvs(): Graph {
  const g = new GraphBuilder();
  g.input('x', [1, 4, 8, 8]);
  g.constant('w1', t([8, 4, 3, 3], 1));
  g.constant('b1', t([8], 2));
  g.constant('w2', t([4, 8, 1, 1], 3));
  g.conv2d('h', 'x', 'w1', 'b1', { padding: 1, activation: 'relu' });
  g.conv2d('y', 'h', 'w2', undefined);
  return g.output('y').build();
}

const bits = (x: Tensor) => Array.from(new Uint32Array(x.data.slice().buffer));

describe.each(['cpu', 'webgpu'] as const)('Session.prepare on %s', (backend) => {
  it('runs with different feeds as session.run does; a constant changed later needs a new prepare', async () => {
    let s: Session;
    try {
      s = await Session.open({ backend });
    } catch (e) {
      if (backend === 'webgpu' && process.env.CI !== 'true') return console.warn(`webgpu SKIPPED: ${(e as Error).message}`);
      throw e;
    }
    try {
      const graph = twoConvs();
      const prepared = await s.prepare(graph);
      expect(prepared.records.map((r) => r.node)).toEqual(['h', 'y']);
      for (const seed of [5, 6]) {
        const x = t([1, 4, 8, 8], seed);
        const want = (await s.run(graph, { x })).outputs.y;
        expect(bits((await prepared.run({ x })).outputs.y)).toEqual(bits(want));
      }
      const x = t([1, 4, 8, 8], 7);
      const before = (await s.run(graph, { x })).outputs.y;
      graph.values.get('w2')!.tensor!.data.fill(1);
      const after = (await s.run(graph, { x })).outputs.y;
      expect(bits(after)).not.toEqual(bits(before));
      expect(bits((await prepared.run({ x })).outputs.y)).toEqual(bits(before));
      await expect(prepared.run({ x: t([1, 4, 8, 7], 1) })).rejects.toMatchObject({ code: 'SHAPE_MISMATCH', field: 'feeds.x' });
      await expect(s.prepare(graph, { colour: 1 } as object)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(s.prepare(graph, { fuse: 'yes' as unknown as boolean })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'options.fuse' });
      await expect(s.run(graph, { x }, { deviceResident: 0 as unknown as boolean })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        field: 'options.deviceResident',
      });
      // node by node and without fusion: the same bits on both backends.
      const nodeByNode = (await s.run(graph, { x }, { deviceResident: false, fuse: false })).outputs.y;
      expect(bits(nodeByNode)).toEqual(bits(after));
      prepared.release();
      await expect(prepared.run({ x })).rejects.toMatchObject({ code: 'CLOSED' });
      const kept = await s.prepare(graph);
      await s.close();
      await expect(kept.run({ x })).rejects.toMatchObject({ code: 'CLOSED' });
    } finally {
      await s.close();
    }
  });
});
