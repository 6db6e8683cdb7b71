import { describe, expect, it } from 'vitest';
import type { Decision } from '../src/backend.ts';
import type { Graph } from '../src/graph.ts';
import { GraphBuilder } from '../src/graph-builder.ts';
import { type CanFuseEpilogue, graphSteps, lastUses, planResidualFusion } from '../src/graph-steps.ts';

// Which conv + add pairs a device-resident run fuses (issue 13, "Execution"): only where the fused
// step is the same function as the two nodes and the residual is ready before the conv runs.

function withAdds(base: GraphBuilder, adds: [id: string, a: string, b: string][], outputs: string[]): Graph {
  for (const [id, a, b] of adds) base.add(id, a, b);
  return { ...base.build(), outputs };
}

function convs(): GraphBuilder {
  const g = new GraphBuilder();
  g.input('x', [1, 4, 6, 6]);
  g.input('r', [1, 4, 6, 6]);
  g.input('rb', [1, 4, 1, 1]);
  g.input('w', [4, 4, 3, 3]);
  g.conv2d('c1', 'x', 'w', undefined, { padding: 1 });
  g.conv2d('c2', 'c1', 'w', undefined, { padding: 1 });
  return g.output('c2');
}

const direct: Decision = { method: 'direct', reasons: [] };
const decided = (g: Graph) => new Map(g.nodes.map((_n, i) => [i, direct] as const).filter(([i]) => g.nodes[i].op.op === 'conv2d'));
const plan = (g: Graph, canFuse: CanFuseEpilogue = () => true) =>
  Object.fromEntries([...planResidualFusion(g, decided(g), canFuse)].map(([a, c]) => [g.nodes[a].id, g.nodes[c].id]));

describe('residual fusion planning', () => {
  it('fuses a conv into the add that is its only use, the residual ready before it', () => {
    const g = withAdds(convs(), [['y', 'c2', 'r']], ['y']);
    expect(plan(g)).toEqual({ y: 'c2' });
    const steps = graphSteps(
      g,
      planResidualFusion(g, decided(g), () => true),
    );
    expect(steps.map((s) => [s.node.id, s.output, s.residual, s.fused?.map((f) => f.node.id)])).toEqual([
      ['c1', 'c1', undefined, undefined],
      ['c2', 'y', 'r', ['y']],
    ]);
    // x is last read by c1; c1, w and r by the fused step, whose output y no step reads.
    expect(lastUses(steps).map((vs) => vs.sort())).toEqual([['x'], ['c1', 'r', 'w', 'y']]);
  });

  it('fuses with the residual first, or computed by an earlier node', () => {
    expect(plan(withAdds(convs(), [['y', 'r', 'c2']], ['y']))).toEqual({ y: 'c2' });
    const b = convs();
    b.conv2d('c3', 'c1', 'w', undefined, { padding: 1 });
    // add(c2, c3): c3 runs after c2, so only c3 can take the add (c2 is its residual).
    expect(plan(withAdds(b, [['y', 'c2', 'c3']], ['y']))).toEqual({ y: 'c3' });
  });

  it('does not fuse when the conv output has another use, is a graph output, or the shapes broadcast', () => {
    expect(plan(withAdds(convs(), [['y', 'c1', 'r']], ['y', 'c2']))).toEqual({}); // c1 also feeds c2
    expect(plan(withAdds(convs(), [['y', 'c2', 'r']], ['y', 'c2']))).toEqual({}); // c2 is an output
    expect(plan(withAdds(convs(), [['y', 'c2', 'rb']], ['y']))).toEqual({}); // broadcasting add
    expect(plan(withAdds(convs(), [['y', 'c2', 'c2']], ['y']))).toEqual({}); // add(c, c)
    expect(plan(withAdds(convs(), [['y', 'c2', 'r']], ['y']), () => false)).toEqual({}); // kernel cannot
  });

  it('never fuses a conv whose residual is computed after it', () => {
    const b = convs();
    b.conv2d('c3', 'c2', 'w', undefined, { padding: 1 });
    // z = add(c3, r) fuses c3, even though c2 feeding it was fusable on its own.
    const g = withAdds(b, [['z', 'c3', 'r']], ['z']);
    expect(plan(g)).toEqual({ z: 'c3' });
    const late = new GraphBuilder();
    late.input('x', [1, 4, 6, 6]);
    late.input('w', [4, 4, 3, 3]);
    late.conv2d('c1', 'x', 'w', undefined, { padding: 1 });
    late.conv2d('c2', 'x', 'w', undefined, { padding: 1 });
    late.conv2d('c3', 'c2', 'w', undefined, { padding: 1 });
    late.output('c3');
    // add(c1, c3): c1's residual c3 comes after c1; c3's residual c1 is ready: c3 takes it.
    expect(plan(withAdds(late, [['y', 'c1', 'c3']], ['y']))).toEqual({ y: 'c3' });
  });

  it("folds a relu or clip that is the add's only use, not one after a shared or output add", () => {
    const relu = convs();
    relu.add('s', 'c2', 'r');
    relu.unary('relu', 'y', 's');
    const g = { ...relu.build(), outputs: ['y'] };
    expect(plan(g)).toEqual({ s: 'c2', y: 'c2' });
    const steps = graphSteps(
      g,
      planResidualFusion(g, decided(g), () => true),
    );
    expect(steps[1]).toMatchObject({ output: 'y', residual: 'r', activation: { kind: 'relu' } });
    expect(steps[1].fused?.map((f) => f.node.id)).toEqual(['s', 'y']);

    const clip = convs();
    clip.add('s', 'c2', 'r');
    clip.clip('y', 's', { min: 0, max: 6 });
    const gc = { ...clip.build(), outputs: ['y'] };
    expect(
      graphSteps(
        gc,
        planResidualFusion(gc, decided(gc), () => true),
      )[1].activation,
    ).toEqual({ kind: 'clamp', min: 0, max: 6 });
    // The backend may take the residual but not the activation.
    expect(plan(gc, (_op, _m, e) => e === 'residual')).toEqual({ s: 'c2' });

    const shared = convs();
    shared.add('s', 'c2', 'r');
    shared.unary('relu', 'y', 's');
    shared.add('z', 's', 'r');
    expect(plan({ ...shared.build(), outputs: ['y', 'z'] })).toEqual({ s: 'c2' }); // s has two uses
    expect(plan({ ...relu.build(), outputs: ['y', 's'] })).toEqual({ s: 'c2' }); // s is an output

    const other = convs();
    other.add('s', 'c2', 'r');
    other.unary('sigmoid', 'y', 's');
    expect(plan({ ...other.build(), outputs: ['y'] })).toEqual({ s: 'c2' }); // not a kernel activation
  });
});
