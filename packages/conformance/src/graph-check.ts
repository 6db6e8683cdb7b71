import { type Backend, CONV_METHOD_DESCRIPTORS, type Graph, type Method, type OpName, type OpSpec, shapesEqual, type Tensor } from '@convroute/core';
import { compareWithOpBounds, gemmTerms, opReference } from './check-ops.ts';
import { type ComparisonReport, compareWithBound } from './compare.ts';
import { ERROR_MODELS, type ErrorModel, REORDERING } from './error-model.ts';
import { compareConvMethod } from './method-compare.ts';
import { isArithOp } from './op-error-model.ts';
import { comparePoolShapeResize } from './pool-shape-resize-check.ts';
import { referenceConv2d, referenceGemm, referencePoolShapeResize } from './reference.ts';

/** One node of a graph judged on its own: the backend's output from the exact inputs of the node
 * against the exact output, within the error model of the node's method. */
export interface NodeCheck {
  node: string;
  op: OpName;
  method: Method;
  report: ComparisonReport;
}

export interface GraphCheck {
  ok: boolean;
  nodes: NodeCheck[];
  /** The exact (CPU exact mode) value of every graph output. */
  exactOutputs: Record<string, Tensor>;
}

/** The exact output of one node and the comparison of a candidate output with it. */
interface NodeReference {
  y: Tensor;
  compare(actual: Tensor, label: string): ComparisonReport;
}

const inputsFinite = (inputs: readonly Tensor[]) => inputs.every((t) => t.data.every((v) => Number.isFinite(v)));

function convModel(method: Method): ErrorModel {
  const d = CONV_METHOD_DESCRIPTORS.find((x) => x.name === method);
  if (!d) throw new Error(`checkGraphNodes: conv method ${method} has no descriptor, so no error model`);
  return ERROR_MODELS[d.errorModel];
}

/** The exact reference of a node and its bound, per op (docs/error-model.md). An op whose
 * reference and bound conformance does not have is judged failed, never passed unchecked. */
async function referenceNode(op: OpSpec, method: Method, inputs: readonly Tensor[]): Promise<NodeReference> {
  const finite = inputsFinite(inputs);
  switch (op.op) {
    case 'conv2d': {
      const ref = await referenceConv2d(op.spec, inputs);
      convModel(method); // a method without a descriptor has no model: refused, not judged
      // compareConvMethod: the method's model, with the per-element bounds Winograd's needs.
      return { y: ref.y, compare: (a, label) => compareConvMethod(method, op.spec, inputs, a, ref, { shape: ref.y.shape, inputsFinite: finite, label }) };
    }
    case 'gemm': {
      const ref = await referenceGemm(op.spec, inputs);
      const n = gemmTerms(op.spec);
      return {
        y: ref.y,
        compare: (a, label) => compareWithBound(a, ref.y, ref.abs, n, { shape: ref.y.shape, model: REORDERING, inputsFinite: finite, label }),
      };
    }
    case 'maxpool':
    case 'averagepool':
    case 'globalaveragepool':
    case 'reducemean':
    case 'concat':
    case 'reshape':
    case 'flatten':
    case 'transpose':
    case 'squeeze':
    case 'unsqueeze':
    case 'pad':
    case 'resize': {
      const y = referencePoolShapeResize(op, inputs);
      return { y, compare: (a, label) => comparePoolShapeResize(op, inputs, a, label) };
    }
    default: {
      // The arithmetic ops (add, clip, batchnormalization, softmax, ...): op-error-model.ts's bounds.
      if (!isArithOp(op)) throw new Error(`checkGraphNodes: conformance has no exact reference and bound for ${op.op} yet`);
      const ref = await opReference(op, inputs);
      return { y: ref.y, compare: (a, label) => compareWithOpBounds(a, ref, inputs, label) };
    }
  }
}

function failed(label: string, message: string): ComparisonReport {
  return {
    ok: false,
    mode: 'bound',
    elements: 0,
    failures: 1,
    unbounded: 0,
    overflow: 0,
    overflowInfinite: 0,
    maxRatio: Infinity,
    message: `${label}: ${message}`,
  };
}

/**
 * Judges every node of a graph on `backend` from the exact inputs of that node: walks the graph
 * in order computing each node's exact output (CPU exact mode), runs the node alone on the backend
 * with the exact inputs and the method `methods` names for it, and compares within the method's
 * error model. Judging from exact inputs keeps each bound a one-op bound (errors of earlier nodes
 * do not enter it). Values are freed after their last use.
 */
export async function checkGraphNodes(
  graph: Graph,
  feeds: Record<string, Tensor>,
  backend: Backend,
  methods: ReadonlyMap<string, Method>,
  onNode?: (check: NodeCheck) => void,
): Promise<GraphCheck> {
  const env = new Map<string, Tensor>();
  for (const name of graph.inputs) env.set(name, feeds[name]);
  for (const v of graph.values.values()) if (v.kind === 'constant' && v.tensor) env.set(v.name, v.tensor);
  const lastUse = new Map<string, number>();
  for (const [i, n] of graph.nodes.entries()) for (const v of n.inputs) lastUse.set(v, i);
  const keep = new Set(graph.outputs);
  const nodes: NodeCheck[] = [];
  for (const [i, node] of graph.nodes.entries()) {
    const method = methods.get(node.id);
    if (method === undefined) throw new Error(`checkGraphNodes: no method given for node ${node.id}`);
    const inputs = node.inputs.map((v) => env.get(v)!);
    const label = `${backend.name} ${node.id} (${node.op.op} ${method})`;
    let report: ComparisonReport;
    let y: Tensor | undefined;
    try {
      const ref = await referenceNode(node.op, method, inputs);
      y = ref.y;
      const actual = await backend.run(node.op, method, inputs);
      report = shapesEqual(actual.shape, ref.y.shape)
        ? ref.compare(actual, label)
        : failed(label, `shape [${actual.shape.join(', ')}], expected [${ref.y.shape.join(', ')}]`);
    } catch (e) {
      report = failed(label, e instanceof Error ? e.message : String(e));
    }
    const check: NodeCheck = { node: node.id, op: node.op.op, method, report };
    nodes.push(check);
    onNode?.(check);
    // Without an exact value the rest of the graph cannot be judged from exact inputs.
    if (y === undefined) return { ok: false, nodes, exactOutputs: {} };
    env.set(node.output, y);
    for (const v of node.inputs) if (lastUse.get(v) === i && !keep.has(v) && graph.values.get(v)!.kind === 'node') env.delete(v);
  }
  const exactOutputs: Record<string, Tensor> = Object.create(null);
  for (const o of graph.outputs) exactOutputs[o] = env.get(o)!;
  return { ok: nodes.every((n) => n.report.ok), nodes, exactOutputs };
}

/** max |actual - exact| / max |exact| over a whole output: how far a run's final output is from
 * the exact run after errors of every node compounded (reported, as issue 13 asks). */
export function relativeDifference(actual: Tensor, exact: Tensor): number {
  let diff = 0;
  let scale = 0;
  const a = actual.data;
  const e = exact.data;
  for (let i = 0; i < e.length; i++) {
    const d = Math.abs(a[i] - e[i]);
    diff = Number.isNaN(d) ? Number.POSITIVE_INFINITY : Math.max(diff, d);
    scale = Math.max(scale, Math.abs(e[i]));
  }
  return scale === 0 ? diff : diff / scale;
}
