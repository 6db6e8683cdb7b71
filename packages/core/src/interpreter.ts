import type { Backend, Decision } from './backend.ts';
import { type ConvMethod, convMethodRejection, isConvMethod } from './conv-methods.ts';
import type { Conv2dSpec } from './conv2d.ts';
import { runOnDevice } from './device-graph.ts';
import { ConvrouteError } from './errors.ts';
import type { Graph, GraphNode } from './graph.ts';
import type { GraphRun } from './graph-run.ts';
import { fusedDecision, graphSteps, isFusionCandidate, planResidualFusion } from './graph-steps.ts';
import type { NodeRecord, RunResult } from './node-record.ts';
import type { Method, OpSpec } from './ops.ts';
import type { Precision } from './precision.ts';
import { shapesEqual, type Tensor } from './tensor.ts';

export interface RouteContext {
  nodeId: string;
  /** Conv methods the backend can run for this spec; a route must pick one of them. */
  available: readonly ConvMethod[];
  /** The backend's arithmetic (Backend.precision; absent: f32): rule tables may match on it. */
  precision?: Precision;
}

/** Chooses the method of a conv node whose method is 'auto'. Core defines the shape of the
 * callback; `@convroute/router` implements it, `convroute` wires the two together. */
export type RouteFn = (spec: Conv2dSpec, ctx: RouteContext) => Decision;

export type { NodeRecord, RunResult } from './node-record.ts';

export interface RunOptions {
  route?: RouteFn;
  /** Called after each node, e.g. for progress display. */
  onNode?: (record: NodeRecord) => void;
  /** Where the backend has openGraphRun (WebGPU), keep values on the device between nodes
   * (default true); false runs node by node through Backend.run, each output read back. */
  deviceResident?: boolean;
  /** Device-resident runs: compute a conv's residual `add` in the conv's kernels where the
   * backend can (default true). The same function as the two nodes; records name the fusion. */
  fuse?: boolean;
}

/** A graph's methods, decided before anything runs; `fusedInto` maps a fused add's node index
 * to its conv's (empty without `canFuse`). */
export interface GraphDecisions {
  decisions: Decision[];
  fusedInto: Map<number, number>;
}

/**
 * A per-node override (a graph node's `method`): binding, with the reason `override.node`. A conv
 * method that cannot compute the node's conv is UNSUPPORTED_METHOD naming the node, never a
 * silent substitute. The one implementation: the interpreter and the router's reports use it.
 */
export function nodeOverride(op: OpSpec, method: Method, nodeId: string): Decision {
  const field = `nodes.${nodeId}.method`;
  if (op.op === 'conv2d') {
    if (!isConvMethod(method)) throw new ConvrouteError('INVALID_ARGUMENT', field, method, 'must be a conv method');
    const rejection = convMethodRejection(method, op.spec);
    if (rejection !== null) throw new ConvrouteError('UNSUPPORTED_METHOD', field, method, rejection);
  } else if (method !== op.op) throw new ConvrouteError('INVALID_ARGUMENT', field, method, `${op.op} has only the method '${op.op}'`);
  return { method, reasons: [{ rule: 'override.node', holds: true, detail: `node ${nodeId} asks for ${method}`, values: { nodeId, method } }] };
}

/** Decides the method for one node: a per-node override, the op's only kernel, or the route. */
function decideMethod(node: GraphNode, backend: Backend, route?: RouteFn): Decision {
  const available = backend.methodsFor(node.op);
  let decision: Decision;
  if (node.method !== 'auto') {
    decision = nodeOverride(node.op, node.method, node.id);
  } else if (node.op.op !== 'conv2d') {
    decision = { method: node.op.op, reasons: [{ rule: 'single-kernel', holds: true, detail: `${node.op.op} has one kernel` }] };
  } else {
    if (!route)
      throw new ConvrouteError(
        'ROUTE_REQUIRED',
        `nodes.${node.id}.method`,
        'auto',
        'a conv with method auto needs a routing function (use convroute.run, or pass route)',
      );
    decision = route(node.op.spec, { nodeId: node.id, available: available.filter(isConvMethod), precision: backend.precision ?? 'f32' });
  }
  if (!available.includes(decision.method)) {
    throw new ConvrouteError(
      'UNSUPPORTED_METHOD',
      `nodes.${node.id}.method`,
      decision.method,
      `backend ${backend.name} cannot run it for this ${node.op.op}${backend.precision && backend.precision !== 'f32' ? ` at precision ${backend.precision}` : ''}; it can run: ${available.join(', ') || 'nothing'}`,
    );
  }
  return decision;
}

/** A boolean run option: its default when absent, INVALID_ARGUMENT when not a boolean. */
export function booleanOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ConvrouteError('INVALID_ARGUMENT', `options.${name}`, value, 'must be true or false');
  return value;
}

/** Checks the feeds against the graph's inputs and returns every host value: inputs, constants. */
export function graphHostValues(graph: Graph, feeds: Record<string, Tensor>): Map<string, Tensor> {
  const env = new Map<string, Tensor>();
  for (const name of graph.inputs) {
    const t = Object.hasOwn(feeds, name) ? feeds[name] : undefined;
    const want = graph.values.get(name)!.shape;
    if (!t) throw new ConvrouteError('INVALID_ARGUMENT', `feeds.${name}`, undefined, `graph input ${name} [${want.join(', ')}] was not given`);
    if (!shapesEqual(t.shape, want)) throw new ConvrouteError('SHAPE_MISMATCH', `feeds.${name}`, t.shape, `must have shape [${want.join(', ')}]`);
    env.set(name, t);
  }
  for (const name of Object.keys(feeds)) {
    if (!graph.inputs.includes(name)) throw new ConvrouteError('INVALID_ARGUMENT', `feeds.${name}`, name, `is not a graph input (${graph.inputs.join(', ')})`);
  }
  for (const v of graph.values.values()) {
    if (v.kind !== 'constant') continue;
    if (!v.tensor)
      throw new ConvrouteError('INVALID_GRAPH', `constants.${v.name}`, undefined, 'was loaded for its shape only; load the graph with its weights to run it');
    env.set(v.name, v.tensor);
  }
  return env;
}

/** Decides every node's method before anything runs, so an unsupported choice fails fast; with
 * `run`, plans which residual adds its convs compute (graph-steps.ts), then lets the backend
 * refuse any node (checkRun). */
export function decideGraph(graph: Graph, backend: Backend, route?: RouteFn, run?: Pick<GraphRun, 'canFuse'>): GraphDecisions {
  const decided = new Map<number, Decision>();
  // Fusion candidates (add, relu, clip) last: a fused node needs no kernel of its own.
  for (const [i, n] of graph.nodes.entries()) if (!isFusionCandidate(n)) decided.set(i, decideMethod(n, backend, route));
  const fusedInto = run ? planResidualFusion(graph, decided, (op, m, e) => run.canFuse(op, m, e)) : new Map<number, number>();
  for (const [i, n] of graph.nodes.entries()) {
    if (!isFusionCandidate(n)) continue;
    const into = fusedInto.get(i);
    decided.set(i, into === undefined ? decideMethod(n, backend, route) : fusedDecision(n, graph.nodes[into]));
  }
  const decisions = graph.nodes.map((_, i) => decided.get(i)!);
  if (backend.checkRun) for (const [i, n] of graph.nodes.entries()) if (!fusedInto.has(i)) backend.checkRun(n.op, decisions[i].method);
  return { decisions, fusedInto };
}

/** Runs every node in topological order on one backend. Intermediates are dropped after their
 * last use. Each node's method, reasons and wall time (split into compile and run) are recorded.
 * A backend with openGraphRun keeps values on its device (device-graph.ts) unless
 * `deviceResident` is false. */
export async function runGraph(graph: Graph, backend: Backend, feeds: Record<string, Tensor>, options: RunOptions = {}): Promise<RunResult> {
  const resident = booleanOption('deviceResident', options.deviceResident, true);
  const fuse = booleanOption('fuse', options.fuse, true);
  const env = graphHostValues(graph, feeds);
  if (backend.openGraphRun && resident) {
    const run = backend.openGraphRun();
    try {
      const { decisions, fusedInto } = decideGraph(graph, backend, options.route, fuse ? run : undefined);
      return await runOnDevice(graph, env, decisions, graphSteps(graph, fusedInto), run, backend, options.onNode);
    } finally {
      run.close();
    }
  }
  const { decisions } = decideGraph(graph, backend, options.route);
  const scope = backend.openRunScope?.();
  try {
    return await runNodes(graph, env, decisions, scope ?? backend, backend, options);
  } finally {
    scope?.close();
  }
}

async function runNodes(
  graph: Graph,
  env: Map<string, Tensor>,
  decisions: readonly Decision[],
  runner: Pick<Backend, 'run'>,
  backend: Backend,
  options: RunOptions,
): Promise<RunResult> {
  const lastUse = new Map<string, number>();
  for (const [i, n] of graph.nodes.entries()) for (const v of n.inputs) lastUse.set(v, i);
  const keep = new Set(graph.outputs);
  const records: NodeRecord[] = [];
  for (const [i, node] of graph.nodes.entries()) {
    const inputs = node.inputs.map((v) => env.get(v)!);
    const c0 = backend.compileTimeMs?.() ?? 0;
    const t0 = performance.now();
    const out = await runner.run(node.op, decisions[i].method, inputs);
    const timeMs = performance.now() - t0;
    const compileMs = Math.min(timeMs, Math.max(0, (backend.compileTimeMs?.() ?? 0) - c0));
    env.set(node.output, out);
    const record: NodeRecord = {
      node: node.id,
      op: node.op.op,
      method: decisions[i].method,
      reasons: decisions[i].reasons,
      backend: backend.name,
      precision: backend.precision ?? 'f32',
      outputShape: out.shape,
      timeMs,
      compileMs,
      runMs: timeMs - compileMs,
    };
    records.push(record);
    options.onNode?.(record);
    for (const v of node.inputs) {
      if (lastUse.get(v) === i && !keep.has(v) && graph.values.get(v)!.kind === 'node') env.delete(v);
    }
  }
  const outputs: Record<string, Tensor> = Object.create(null);
  for (const o of graph.outputs) outputs[o] = env.get(o)!;
  return { outputs, records };
}
