import type { Backend, Decision } from './backend.ts';
import type { Graph } from './graph.ts';
import type { DeviceValue, GraphRun, NodeEpilogue } from './graph-run.ts';
import { type GraphStep, lastUses } from './graph-steps.ts';
import type { NodeRecord, RunResult } from './node-record.ts';
import type { Tensor } from './tensor.ts';

/** Uploads, once each, the host values (inputs, constants) that the steps read. */
export function uploadHostValues(steps: readonly GraphStep[], host: ReadonlyMap<string, Tensor>, run: GraphRun): Map<string, DeviceValue> {
  const held = new Map<string, DeviceValue>();
  for (const s of steps) {
    for (const v of s.residual ? [...s.inputs, s.residual] : s.inputs) {
      const t = host.get(v);
      if (t && !held.has(v)) held.set(v, run.upload(t));
    }
  }
  return held;
}

/** The device values a step reads, in the node's input order, and its epilogue. */
export function stepOperands(s: GraphStep, held: ReadonlyMap<string, DeviceValue>): [DeviceValue[], NodeEpilogue | undefined] {
  const epilogue: NodeEpilogue | undefined = s.residual ? { residual: held.get(s.residual)! } : undefined;
  if (epilogue && s.activation) epilogue.activation = s.activation;
  return [s.inputs.map((v) => held.get(v)!), epilogue];
}

/** The records of one step: its node's, then each fused node's (times 0). */
export function stepRecords(
  s: GraphStep,
  decisions: readonly Decision[],
  backend: Pick<Backend, 'name' | 'precision'>,
  outputShape: number[],
  compileMs: number,
  runMs: number,
): NodeRecord[] {
  const d = decisions[s.index];
  const rec: NodeRecord = {
    node: s.node.id,
    op: s.node.op.op,
    method: d.method,
    reasons: d.reasons,
    backend: backend.name,
    precision: backend.precision ?? 'f32',
    outputShape,
    timeMs: compileMs + runMs,
    compileMs,
    runMs,
  };
  if (!s.fused) return [rec];
  const fusedRecs = s.fused.map(({ node, index }): NodeRecord => {
    const fd = decisions[index];
    return {
      node: node.id,
      op: node.op.op,
      method: fd.method,
      reasons: fd.reasons,
      backend: backend.name,
      precision: backend.precision ?? 'f32',
      outputShape,
      timeMs: 0,
      compileMs: 0,
      runMs: 0,
      fusedInto: s.node.id,
    };
  });
  return [{ ...rec, fused: s.fused.map((f) => f.node.id) }, ...fusedRecs];
}

/**
 * Runs the steps on a backend's graph run: host values uploaded once, each step's kernels added
 * and executed (per step, so each record has its own queue time), every value freed after its
 * last use, and only the graph's outputs read back (an output that is an input or a constant is
 * returned as given).
 */
export async function runOnDevice(
  graph: Graph,
  host: ReadonlyMap<string, Tensor>,
  decisions: readonly Decision[],
  steps: readonly GraphStep[],
  run: GraphRun,
  backend: Backend,
  onNode?: (r: NodeRecord) => void,
): Promise<RunResult> {
  const keep = new Set(graph.outputs);
  const held = uploadHostValues(steps, host, run);
  const dead = lastUses(steps);
  const records: NodeRecord[] = [];
  for (const [k, s] of steps.entries()) {
    const c0 = backend.compileTimeMs?.() ?? 0;
    const t0 = performance.now();
    const [inputs, epilogue] = stepOperands(s, held);
    const out = await run.add(s.node.op, decisions[s.index].method, inputs, epilogue);
    held.set(s.output, out);
    await run.execute('pending');
    const timeMs = performance.now() - t0;
    const compileMs = Math.min(timeMs, Math.max(0, (backend.compileTimeMs?.() ?? 0) - c0));
    for (const r of stepRecords(s, decisions, backend, [...out.shape], compileMs, timeMs - compileMs)) {
      records.push(r);
      onNode?.(r);
    }
    for (const v of dead[k]) freeUnlessKept(v, held, keep, run);
  }
  const outputs: Record<string, Tensor> = Object.create(null);
  for (const o of graph.outputs) outputs[o] = host.get(o) ?? (await run.read(held.get(o)!));
  return { outputs, records };
}

function freeUnlessKept(v: string, held: Map<string, DeviceValue>, keep: ReadonlySet<string>, run: GraphRun): void {
  const d = held.get(v);
  if (!d || keep.has(v)) return;
  run.free(d);
  held.delete(v);
}
