import type { Activation } from './attrs.ts';
import type { Decision } from './backend.ts';
import type { Graph, GraphNode } from './graph.ts';
import type { Method, OpSpec } from './ops.ts';
import type { Reason } from './reason.ts';
import { shapesEqual } from './tensor.ts';

/** One unit of a device-resident run: a node, or a conv with the residual `add` that follows it
 * (and the relu or clip after that add) computed in its epilogue; `output` is then the last
 * fused node's output. */
export interface GraphStep {
  /** Index of the node in graph.nodes (and in the decisions). */
  index: number;
  node: GraphNode;
  inputs: string[];
  output: string;
  /** The value added in the epilogue. */
  residual?: string;
  /** Applied after the residual add (a fused relu or clip node). */
  activation?: Activation;
  /** The nodes folded into this step (the add, then the activation), with their indices. */
  fused?: { node: GraphNode; index: number }[];
}

/** Asks the backend whether a conv's kernels take this epilogue for this method. */
export type CanFuseEpilogue = (op: OpSpec, method: Method, epilogue: 'residual' | 'activation') => boolean;

export const isAddNode = (n: GraphNode): boolean => n.op.op === 'add';

/** A relu or clip node as the activation the conv kernels apply (same select-based function). */
export function nodeActivation(n: GraphNode): Activation | null {
  if (n.op.op === 'relu') return { kind: 'relu' };
  if (n.op.op === 'clip') return { kind: 'clamp', min: n.op.spec.min, max: n.op.spec.max };
  return null;
}

/** Nodes the planner may fold (their methods are decided after it). */
export const isFusionCandidate = (n: GraphNode): boolean => isAddNode(n) || nodeActivation(n) !== null;

/**
 * Which conv nodes compute the `add` that follows them: a conv whose output has one use, not a
 * graph output, by an add of two same-shape operands (no broadcasting) whose other operand is
 * ready before the conv runs; then, where the add's output has one use, not a graph output, by a
 * relu or clip, that activation too. The fused step is the same function as the nodes: the conv's
 * output as its kernel rounds it (bias, activation), plus the residual, rounded once, then the
 * activation. Returns fused node index -> conv node index.
 */
export function planResidualFusion(graph: Graph, decisions: ReadonlyMap<number, Decision>, canFuse: CanFuseEpilogue): Map<number, number> {
  const consumers = new Map<string, number[]>();
  for (const [i, n] of graph.nodes.entries()) for (const v of n.inputs) consumers.set(v, [...(consumers.get(v) ?? []), i]);
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
      if (!d || !canFuse(graph.nodes[c].op, d.method, 'residual')) continue;
      fusedInto.set(i, c);
      convTaken.add(c);
      const next = consumers.get(n.output) ?? [];
      if (next.length === 1 && !outputs.has(n.output) && nodeActivation(graph.nodes[next[0]]) && canFuse(graph.nodes[c].op, d.method, 'activation')) {
        fusedInto.set(next[0], c);
      }
      break;
    }
  }
  return fusedInto;
}

/** The steps of a device-resident run, in the graph's order, with fused nodes folded. */
export function graphSteps(graph: Graph, fusedInto: ReadonlyMap<number, number>): GraphStep[] {
  const foldedBy = new Map<number, number[]>();
  for (const [f, c] of fusedInto)
    foldedBy.set(
      c,
      [...(foldedBy.get(c) ?? []), f].sort((x, y) => x - y),
    );
  const steps: GraphStep[] = [];
  for (const [i, node] of graph.nodes.entries()) {
    if (fusedInto.has(i)) continue;
    const folded = foldedBy.get(i);
    if (!folded) {
      steps.push({ index: i, node, inputs: node.inputs, output: node.output });
      continue;
    }
    const fused = folded.map((index) => ({ node: graph.nodes[index], index }));
    const add = fused.find((f) => isAddNode(f.node))!.node;
    const act = fused.find((f) => !isAddNode(f.node));
    const residual = add.inputs[0] === node.output ? add.inputs[1] : add.inputs[0];
    const step: GraphStep = { index: i, node, inputs: node.inputs, output: (act ?? fused[0]).node.output, residual, fused };
    if (act) step.activation = nodeActivation(act.node)!;
    steps.push(step);
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

/** The decision recorded for a node computed in a conv's epilogue. */
export function fusedDecision(node: GraphNode, conv: GraphNode): Decision {
  const what = isAddNode(node) ? 'residual' : 'activation';
  const reason: Reason = {
    rule: `fusion.${what}`,
    holds: true,
    detail: `computed in the epilogue of conv node ${conv.id} (${what === 'residual' ? "its output's only use" : "the residual add's only use"})`,
    values: { into: conv.id },
  };
  return { method: node.op.op as Method, reasons: [reason] };
}
