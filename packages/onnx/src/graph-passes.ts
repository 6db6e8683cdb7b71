import { type GraphDecl, Tensor } from '@convroute/core';

type DeclNode = GraphDecl['nodes'][number];
type Attrs = Record<string, unknown>;

export interface GraphPassOptions {
  /** BatchNormalization into the conv before it: a different function (weights rounded once). */
  foldBatchNorm: boolean;
  /** conv2d/gemm + relu/clip into the producer's activation: the same function. */
  fuseActivations: boolean;
  /** A transpose followed by its inverse: removed (the same function: both are exact copies). */
  cancelTransposes: boolean;
  /** Identity nodes (ONNX Identity, inference Dropout) whose output is no graph output: removed,
   * their readers reading the input (the same function: an identity is an exact copy). */
  removeIdentities: boolean;
}

/** Rewrites an imported graph declaration; each pass only touches a value with one consumer that
 * is not a graph output, so no other reader sees a different tensor. */
export function runGraphPasses(decl: GraphDecl, options: GraphPassOptions): GraphDecl {
  let d = decl;
  if (options.removeIdentities) d = removeIdentities(d);
  if (options.cancelTransposes) d = cancelTransposes(d);
  if (options.foldBatchNorm) d = foldBatchNorm(d);
  if (options.fuseActivations) d = fuseActivations(d);
  return pruneConstants(d);
}

function consumerCounts(d: GraphDecl): Map<string, number> {
  const count = new Map<string, number>();
  for (const n of d.nodes) for (const i of n.inputs) count.set(i, (count.get(i) ?? 0) + 1);
  for (const o of d.outputs) count.set(o, (count.get(o) ?? 0) + 1);
  return count;
}

/** The node producing each node output. */
function producers(d: GraphDecl): Map<string, DeclNode> {
  return new Map(d.nodes.map((n) => [n.output, n]));
}

/** The producer of `value` when `value` feeds only one node (and is no graph output). */
function soleProducer(value: string, counts: Map<string, number>, byOutput: Map<string, DeclNode>): DeclNode | undefined {
  return counts.get(value) === 1 ? byOutput.get(value) : undefined;
}

function fuseActivations(d: GraphDecl): GraphDecl {
  const counts = consumerCounts(d);
  const byOutput = producers(d);
  const removed = new Set<DeclNode>();
  const nodes = d.nodes.map((n) => ({ ...n, attrs: { ...(n.attrs ?? {}) } as DeclNode['attrs'] }));
  const fresh = new Map(d.nodes.map((n, i) => [n, nodes[i]]));
  for (const [i, n] of nodes.entries()) {
    if (n.op !== ('relu' as string) && n.op !== ('clip' as string)) continue;
    const p0 = soleProducer(n.inputs[0], counts, byOutput);
    const p = p0 && fresh.get(p0);
    if (!p || (p.op !== 'conv2d' && p.op !== 'gemm') || removed.has(p)) continue;
    const pa = p.attrs as Attrs;
    if (pa.activation !== undefined && pa.activation !== 'none') continue;
    const a = (n.attrs ?? {}) as Attrs;
    pa.activation = n.op === ('relu' as string) ? 'relu' : { kind: 'clamp', min: a.min ?? -Infinity, max: a.max ?? Infinity };
    p.output = n.output;
    removed.add(nodes[i]);
  }
  return { ...d, nodes: nodes.filter((n) => !removed.has(n)) };
}

/** BN(conv(x, W, b)) = conv(x, W * s, (b - mean) * s + beta) with s = gamma / sqrt(var + eps) per
 * output channel, computed in double and rounded to float32 once per folded value. */
function foldBatchNorm(d: GraphDecl): GraphDecl {
  const counts = consumerCounts(d);
  const byOutput = producers(d);
  const constants = new Map(d.constants.map((c) => [c.name, c]));
  const newConstants = [...d.constants];
  const used = new Set([...d.inputs.map((i) => i.name), ...d.constants.map((c) => c.name), ...d.nodes.map((n) => n.output)]);
  const freshName = (base: string) => {
    let name = `${base.slice(0, 110)}_bnfold`;
    for (let k = 1; used.has(name); k++) name = `${base.slice(0, 110)}_bnfold${k}`;
    used.add(name);
    return name;
  };
  const replaced = new Map<DeclNode, DeclNode>();
  const removed = new Set<DeclNode>();
  for (const bn of d.nodes) {
    if (bn.op !== ('batchnormalization' as string)) continue;
    const conv = soleProducer(bn.inputs[0], counts, byOutput);
    if (conv?.op !== 'conv2d' || replaced.has(conv)) continue;
    const ca = (conv.attrs ?? {}) as Attrs;
    if (ca.transposed || (ca.activation !== undefined && ca.activation !== 'none')) continue;
    const [gamma, beta, mean, variance] = bn.inputs.slice(1).map((name) => constants.get(name)?.tensor?.data);
    const w = constants.get(conv.inputs[1])?.tensor;
    const b = conv.inputs[2] === undefined ? undefined : constants.get(conv.inputs[2])?.tensor;
    if (!gamma || !beta || !mean || !variance || !w || (conv.inputs[2] !== undefined && !b)) continue;
    const eps = Math.fround((((bn.attrs ?? {}) as Attrs).epsilon as number) ?? 1e-5);
    const cOut = w.shape[0];
    const per = w.data.length / cOut;
    const wf = new Float32Array(w.data.length);
    const bf = new Float32Array(cOut);
    for (let c = 0; c < cOut; c++) {
      const s = gamma[c] / Math.sqrt(variance[c] + eps);
      for (let k = 0; k < per; k++) wf[c * per + k] = w.data[c * per + k] * s;
      bf[c] = ((b ? b.data[c] : 0) - mean[c]) * s + beta[c];
    }
    const wName = freshName(conv.inputs[1]);
    const bName = freshName(conv.inputs[2] ?? `${conv.id}_bias`);
    newConstants.push(
      { name: wName, shape: w.shape, tensor: Tensor.fromData(wf, w.shape) },
      { name: bName, shape: [cOut], tensor: Tensor.fromData(bf, [cOut]) },
    );
    replaced.set(conv, { ...conv, inputs: [conv.inputs[0], wName, bName], output: bn.output });
    removed.add(bn);
  }
  return { ...d, constants: newConstants, nodes: d.nodes.filter((n) => !removed.has(n)).map((n) => replaced.get(n) ?? n) };
}

function removeIdentities(d: GraphDecl): GraphDecl {
  const rename = new Map<string, string>();
  const resolve = (v: string) => rename.get(v) ?? v;
  const kept: DeclNode[] = [];
  for (const n of d.nodes) {
    // Nodes are in ONNX's topological order, so an identity's input is already resolved here.
    if (n.op === ('identity' as string) && !d.outputs.includes(n.output)) rename.set(n.output, resolve(n.inputs[0]));
    else kept.push(n);
  }
  if (!rename.size) return d;
  return { ...d, nodes: kept.map((n) => ({ ...n, inputs: n.inputs.map(resolve) })) };
}

function cancelTransposes(d: GraphDecl): GraphDecl {
  const counts = consumerCounts(d);
  const byOutput = producers(d);
  const rename = new Map<string, string>();
  const removed = new Set<DeclNode>();
  for (const t2 of d.nodes) {
    if (t2.op !== ('transpose' as string) || d.outputs.includes(t2.output)) continue;
    const t1 = soleProducer(t2.inputs[0], counts, byOutput);
    if (t1?.op !== ('transpose' as string) || removed.has(t1)) continue;
    const p = ((t1.attrs ?? {}) as Attrs).perm as number[] | undefined;
    const q = ((t2.attrs ?? {}) as Attrs).perm as number[] | undefined;
    if (!p || !q || p.length !== q.length || !q.every((qi, i) => p[qi] === i)) continue;
    rename.set(t2.output, rename.get(t1.inputs[0]) ?? t1.inputs[0]);
    removed.add(t1).add(t2);
  }
  if (!removed.size) return d;
  const resolve = (v: string) => rename.get(v) ?? v;
  return { ...d, nodes: d.nodes.filter((n) => !removed.has(n)).map((n) => ({ ...n, inputs: n.inputs.map(resolve) })) };
}

/** Constants no node reads and no output names (e.g. weights replaced by folding) are dropped. */
function pruneConstants(d: GraphDecl): GraphDecl {
  const read = new Set([...d.nodes.flatMap((n) => n.inputs), ...d.outputs]);
  return { ...d, constants: d.constants.filter((c) => read.has(c.name)) };
}
