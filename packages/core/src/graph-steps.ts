import type { Decision } from './backend.ts';
import type { Graph, GraphNode } from './graph.ts';
import type { Method, OpSpec } from './ops.ts';
import type { Reason } from './reason.ts';
import { shapesEqual } from './tensor.ts';

/** One unit of a device-resident run: a node, or a conv with the residual `add` that follows it
 * computed in its epilogue (then `output` is the add's output). */
export interface GraphStep {
  /** Index of the node in graph.nodes (and in the decisions). */
  index: number;
  node: GraphNode;
  inputs: string[];
  output: string;
  /** The value added in the epilogue. */
  residual?: string;
  /** The add node folded into this step, and its index in graph.nodes. */
  fused?: GraphNode;
  fusedIndex?: number;
}

/** Asks the backend whether a conv's kernels take a residual epilogue for this method. */
export type CanFuseResidual = (op: OpSpec, method: Method) => boolean;

export const isAddNode = (n: GraphNode): boolean => n.op.op === 'add';

/**
 * Which conv nodes compute the `add` that follows them: a conv whose output has one use, not a
 * graph output, by an add of two same-shape operands (no broadcasting) whose other operand is
 * ready before the conv runs. The fused step is the same function as the two nodes: the conv's
 * output as its kernel rounds it (bias, activation), plus the residual, rounded once.
 */
export function planResidualFusion(graph: Graph, decisions: ReadonlyMap<number, Decision>, canFuse: CanFuseResidual): Map<number, number> {
  const producer = new Map<string, number>();
  const uses = new Map<string, number>();
  for (const [i, n] of graph.nodes.entries()) {
    producer.set(n.output, i);
    for (const v of n.inputs) uses.set(v, (uses.get(v) ?? 0) + 1);
  }
  const outputs = new Set(graph.outputs);
  const shapeOf = (v: string) => graph.values.get(v)!.shape;
  /** add node index -> conv node index */
  const fusedInto = new Map<number, number>();
  const convTaken = new Set<number>();
  for (const [i, n] of graph.nodes.entries()) {
    if (!isAddNode(n) || n.inputs.length !== 2 || n.inputs[0] === n.inputs[1]) continue;
    if (!n.inputs.every((v) => shapesEqual(shapeOf(v), shapeOf(n.output)))) continue;
    for (const [k, v] of n.inputs.entries()) {
      const c = producer.get(v);
      if (c === undefined || convTaken.has(c) || graph.nodes[c].op.op !== 'conv2d') continue;
      if (uses.get(v) !== 1 || outputs.has(v)) continue;
      const other = n.inputs[1 - k];
      const ready = producer.get(other);
      if (ready !== undefined && ready >= c) continue;
      const d = decisions.get(c);
      if (!d || !canFuse(graph.nodes[c].op, d.method)) continue;
      fusedInto.set(i, c);
      convTaken.add(c);
      break;
    }
  }
  return fusedInto;
}

/** The steps of a device-resident run, in the graph's order, with residual adds folded. */
export function graphSteps(graph: Graph, fusedInto: ReadonlyMap<number, number>): GraphStep[] {
  const addOf = new Map<number, number>();
  for (const [a, c] of fusedInto) addOf.set(c, a);
  const steps: GraphStep[] = [];
  for (const [i, node] of graph.nodes.entries()) {
    if (fusedInto.has(i)) continue;
    const a = addOf.get(i);
    if (a === undefined) {
      steps.push({ index: i, node, inputs: node.inputs, output: node.output });
      continue;
    }
    const add = graph.nodes[a];
    const residual = add.inputs[0] === node.output ? add.inputs[1] : add.inputs[0];
    steps.push({ index: i, node, inputs: node.inputs, output: add.output, residual, fused: add, fusedIndex: a });
  }
  return steps;
}

/** For each step, the values whose last read it is (a residual counts as read); a step's own
 * output that no later step reads is listed at that step. */
export function lastUses(steps: readonly GraphStep[]): string[][] {
  const last = new Map<string, number>();
  for (const [i, s] of steps.entries()) {
    last.set(s.output, i);
    for (const v of s.inputs) last.set(v, i);
    if (s.residual) last.set(s.residual, i);
  }
  const out: string[][] = steps.map(() => []);
  for (const [v, i] of last) out[i].push(v);
  return out;
}

/** The decision recorded for an add computed in a conv's epilogue. */
export function fusedDecision(_add: GraphNode, conv: GraphNode): Decision {
  const reason: Reason = {
    rule: 'fusion.residual',
    holds: true,
    detail: `computed in the epilogue of conv node ${conv.id} (its output's only use)`,
    values: { into: conv.id },
  };
  return { method: 'add', reasons: [reason] };
}
