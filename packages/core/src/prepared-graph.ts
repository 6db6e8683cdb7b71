import type { Backend } from './backend.ts';
import { stepOperands, stepRecords, uploadHostValues } from './device-graph.ts';
import { ConvrouteError } from './errors.ts';
import type { Graph, GraphValue } from './graph.ts';
import type { DeviceValue, GraphRun } from './graph-run.ts';
import { graphSteps, lastUses } from './graph-steps.ts';
import { booleanOption, decideGraph, graphHostValues, type NodeRecord, type RouteFn, runGraph } from './interpreter.ts';
import { Tensor } from './tensor.ts';

export interface PrepareOptions {
  route?: RouteFn;
  /** Fold a conv's residual add into its kernels where the backend can (default true). */
  fuse?: boolean;
}

export interface PreparedGraphResult {
  outputs: Record<string, Tensor>;
  /** Wall time of the run: writing the feeds, the kernels, reading the outputs back. */
  timeMs: number;
}

/**
 * A graph prepared once (prepareGraph) and run many times. The constants' data is taken at prepare
 * time: changing a constant tensor afterwards does not change what `run` computes (prepare again),
 * as with a PreparedRun. `release` frees everything; `run` throws CLOSED afterwards.
 */
export interface PreparedGraph {
  /** Per node, as prepared: method, reasons, fusion; compileMs is the compile time at prepare,
   * runMs 0 (per-node times need a node-by-node run: runGraph). */
  readonly records: readonly NodeRecord[];
  run(feeds: Record<string, Tensor>): Promise<PreparedGraphResult>;
  release(): void;
}

const copyOf = (t: Tensor) => Tensor.fromData(t.data.slice(), t.shape);

/**
 * Prepares a graph on a backend. With Backend.openGraphRun: constants uploaded once, every node's
 * kernels compiled (and warmed up) and its buffers allocated, so `run(feeds)` writes the feeds,
 * repeats the dispatches and reads back the outputs. Without it (the CPU): the constants are
 * copied and each `run` interprets the graph node by node.
 */
export async function prepareGraph(graph: Graph, backend: Backend, options: PrepareOptions = {}): Promise<PreparedGraph> {
  booleanOption('fuse', options.fuse, true);
  const constants = new Map<string, Tensor>();
  for (const v of graph.values.values()) {
    if (v.kind !== 'constant') continue;
    if (!v.tensor)
      throw new ConvrouteError('INVALID_GRAPH', `constants.${v.name}`, undefined, 'was loaded for its shape only; load the graph with its weights to run it');
    constants.set(v.name, copyOf(v.tensor));
  }
  if (!backend.openGraphRun) return hostPrepared(graph, backend, constants, options);
  const run = backend.openGraphRun();
  try {
    return await devicePrepared(graph, backend, constants, run, options);
  } catch (e) {
    run.close();
    throw e;
  }
}

function hostPrepared(graph: Graph, backend: Backend, constants: Map<string, Tensor>, options: PrepareOptions): PreparedGraph {
  const { decisions } = decideGraph(graph, backend, options.route);
  const values = new Map<string, GraphValue>([...graph.values].map(([k, v]) => [k, v.kind === 'constant' ? { ...v, tensor: constants.get(k) } : v]));
  const snapshot: Graph = { values, nodes: graph.nodes, inputs: graph.inputs, outputs: graph.outputs };
  const records = graph.nodes.map((n, i) => ({
    node: n.id,
    op: n.op.op,
    ...decisions[i],
    backend: backend.name,
    precision: backend.precision ?? 'f32',
    outputShape: [...graph.values.get(n.output)!.shape],
    timeMs: 0,
    compileMs: 0,
    runMs: 0,
  }));
  let released = false;
  return {
    records,
    async run(feeds) {
      if (released) throw closed();
      const t0 = performance.now();
      const { outputs } = await runGraph(snapshot, backend, feeds, { route: options.route });
      return { outputs, timeMs: performance.now() - t0 };
    },
    release() {
      released = true;
    },
  };
}

async function devicePrepared(graph: Graph, backend: Backend, constants: Map<string, Tensor>, run: GraphRun, options: PrepareOptions): Promise<PreparedGraph> {
  const { decisions, fusedInto } = decideGraph(graph, backend, options.route, options.fuse === false ? undefined : run);
  const steps = graphSteps(graph, fusedInto);
  // Inputs get buffers now (zeros) that every run overwrites; constants are uploaded once.
  const host = new Map(constants);
  for (const name of graph.inputs) host.set(name, Tensor.zeros(graph.values.get(name)!.shape));
  const held = uploadHostValues(steps, host, run);
  const dead = lastUses(steps);
  const keep = new Set(graph.outputs);
  const records: NodeRecord[] = [];
  for (const [k, s] of steps.entries()) {
    const c0 = backend.compileTimeMs?.() ?? 0;
    const [inputs, epilogue] = stepOperands(s, held);
    const out = await run.add(s.node.op, decisions[s.index].method, inputs, epilogue);
    held.set(s.output, out);
    const compileMs = Math.max(0, (backend.compileTimeMs?.() ?? 0) - c0);
    records.push(...stepRecords(s, decisions, backend, [...out.shape], compileMs, 0));
    // Only node values give their memory to later nodes: inputs are rewritten and constants
    // read again by every run.
    for (const v of dead[k]) {
      if (graph.values.get(v)?.kind !== 'node' || keep.has(v)) continue;
      run.free(held.get(v)!);
      held.delete(v);
    }
  }
  await run.warmUp?.();
  let released = false;
  let queue: Promise<unknown> = Promise.resolve();
  const once = async (feeds: Record<string, Tensor>): Promise<PreparedGraphResult> => {
    if (released) throw closed();
    const given = graphHostValues(graph, feeds);
    const t0 = performance.now();
    for (const name of graph.inputs) {
      const v = held.get(name);
      if (v) run.write(v, given.get(name)!);
    }
    await run.execute('all');
    const outputs: Record<string, Tensor> = Object.create(null);
    for (const o of graph.outputs) outputs[o] = (graph.inputs.includes(o) ? given.get(o) : constants.get(o)) ?? (await run.read(held.get(o) as DeviceValue));
    return { outputs, timeMs: performance.now() - t0 };
  };
  return {
    records,
    run(feeds) {
      // One run at a time: every run writes the same input buffers.
      const p = queue.then(() => once(feeds));
      queue = p.catch(() => {});
      return p;
    },
    release() {
      if (released) return;
      released = true;
      run.close();
    },
  };
}

function closed(): ConvrouteError {
  return new ConvrouteError('CLOSED', 'preparedGraph', 'released', 'this prepared graph was released; prepare the graph again');
}
