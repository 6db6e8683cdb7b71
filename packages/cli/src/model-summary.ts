import type { Graph, GraphNode } from '@convroute/core';

/** What `convroute inspect` reports of a model: its ops, each value's shape, parameters, FLOPs. */
export interface ModelSummary {
  inputs: { name: string; shape: number[] }[];
  outputs: { name: string; shape: number[] }[];
  /** Op name -> node count, in first-seen order. */
  ops: Record<string, number>;
  values: { name: string; kind: string; shape: number[] }[];
  /** Elements of all constants (weights, biases, BatchNormalization statistics). */
  parameters: number;
  /** 2 x the multiply-adds of conv2d, gemm and matmul nodes (other ops are not counted). */
  flops: number;
}

const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);

/** 2 x MACs of a node: conv2d (forward: output x C_in/g x kH x kW; transposed: input x C_out/g x
 * kH x kW), gemm (batch x M x N x K), matmul (output x K); 0 for other ops. */
export function nodeFlops(graph: Graph, node: GraphNode): number {
  const op = node.op;
  if (op.op === 'conv2d') {
    const [, perGroup, kh, kw] = op.spec.weight;
    const positions = op.spec.transposed ? size(op.spec.input) : size(graph.values.get(node.output)!.shape);
    return 2 * positions * perGroup * kh * kw;
  }
  if (op.op === 'gemm') return 2 * op.spec.batch * op.spec.m * op.spec.n * op.spec.k;
  if ((op.op as string) === 'matmul') {
    const a = graph.values.get(node.inputs[0])!.shape;
    return 2 * size(graph.values.get(node.output)!.shape) * a[a.length - 1];
  }
  return 0;
}

export function summarizeModel(graph: Graph): ModelSummary {
  const ops: Record<string, number> = {};
  for (const n of graph.nodes) ops[n.op.op] = (ops[n.op.op] ?? 0) + 1;
  const values = [...graph.values.values()].map((v) => ({ name: v.name, kind: v.kind, shape: [...v.shape] }));
  const shape = (name: string) => [...graph.values.get(name)!.shape];
  return {
    inputs: graph.inputs.map((name) => ({ name, shape: shape(name) })),
    outputs: graph.outputs.map((name) => ({ name, shape: shape(name) })),
    ops,
    values,
    parameters: values.filter((v) => v.kind === 'constant').reduce((s, v) => s + size(v.shape), 0),
    flops: graph.nodes.reduce((s, n) => s + nodeFlops(graph, n), 0),
  };
}
