import { createCpuBackend } from '@convroute/backend-cpu';
import {
  type Backend,
  conv2dReductionLength,
  type GemmSpec,
  type Graph,
  type Method,
  type OpSpec,
  opOutputShape,
  shapesEqual,
  type Tensor,
} from '@convroute/core';
import { type ComparisonReport, compareWithBound } from './compare.ts';
import { errorBound } from './error-model.ts';
import { isArithOp, opBounds } from './op-error-model.ts';
import { referenceConv2d, referenceGemm } from './reference.ts';

const exactCpu = createCpuBackend({ mode: 'exact' });

/** An op's exact result and the per-element bound any float32 implementation stays within,
 * from the op's own inputs (docs/error-model.md): conv2d and gemm by the reordering bound, the
 * issue-13 arithmetic ops by op-error-model.ts. */
export interface OpReference {
  y: Tensor;
  bitwise: boolean;
  bound: Float64Array;
}

export async function opReference(op: OpSpec, inputs: readonly Tensor[]): Promise<OpReference> {
  if (op.op === 'conv2d' || op.op === 'gemm') {
    const r = op.op === 'conv2d' ? await referenceConv2d(op.spec, inputs) : await referenceGemm(op.spec, inputs);
    const n = op.op === 'conv2d' ? conv2dReductionLength(op.spec) : gemmTerms(op.spec);
    const bound = Float64Array.from(r.abs.data, (a, i) => errorBound(n, a, r.y.data[i]));
    return { y: r.y, bitwise: false, bound };
  }
  if (!isArithOp(op)) throw new Error(`opReference: no error model for ${op.op} yet`);
  const y = await exactCpu.run(op, op.op as Method, inputs);
  const b = opBounds(op, inputs, y)!;
  return { y, bitwise: b.bitwise, bound: b.bound };
}

/** gemm's terms: K, the bias, and with alpha or beta two more roundings (alpha * sum, beta * c). */
export function gemmTerms(spec: GemmSpec): number {
  return spec.k + (spec.bias ? 1 : 0) + (spec.alpha !== 1 || spec.beta !== 1 ? 2 : 0);
}

/** Compares `actual` with the reference element by element: bitwise for copies, else within the
 * bound; a NaN or infinite reference must be reproduced where the bound is finite. */
export function compareWithOpBounds(actual: Tensor, ref: OpReference, inputs: readonly Tensor[], label: string): ComparisonReport {
  // compareWithBound with a model whose bound is the given one, passed as float32 rounded up
  const bound = Float32Array.from(ref.bound, (b) => (Math.fround(b) < b ? Math.fround(b * (1 + 2 ** -23)) : Math.fround(b)));
  return compareWithBound(actual, ref.y, bound, 1, {
    shape: ref.y.shape,
    bitwise: ref.bitwise,
    label,
    inputsFinite: inputs.every((t) => t.data.every(Number.isFinite)),
    model: { name: 'reordering', bitwise: false, bound: (_n, b) => b },
  });
}

/** Runs every method the backend declares for `op` and judges each against the op's bound.
 * Returns the reports; throws nothing (the caller asserts). */
export async function checkOp(backend: Backend, op: OpSpec, inputs: readonly Tensor[]): Promise<ComparisonReport[]> {
  const methods = backend.methodsFor(op);
  if (methods.length === 0) return [];
  const ref = await opReference(op, inputs);
  const out: ComparisonReport[] = [];
  for (const m of methods) {
    const y = await backend.run(op, m, inputs);
    if (!shapesEqual(y.shape, opOutputShape(op))) throw new Error(`${backend.name} ${op.op} ${m}: shape [${y.shape}]`);
    out.push(compareWithOpBounds(y, ref, inputs, `${backend.name} ${op.op} ${m}`));
  }
  return out;
}

/**
 * A chain of ops checked node by node: each node runs on the backend with the inputs the backend
 * itself produced upstream, and is judged against the exact result of THOSE inputs under its own
 * op's bound, so errors do not compound into an unjudgeable end-to-end difference.
 */
export async function checkGraphPerNode(graph: Graph, backend: Backend, feeds: Record<string, Tensor>): Promise<{ node: string; report: ComparisonReport }[]> {
  const env = new Map<string, Tensor>(Object.entries(feeds));
  for (const v of graph.values.values()) if (v.kind === 'constant' && v.tensor) env.set(v.name, v.tensor);
  const reports: { node: string; report: ComparisonReport }[] = [];
  for (const node of graph.nodes) {
    const inputs = node.inputs.map((n) => env.get(n)!);
    const methods = backend.methodsFor(node.op);
    const method = node.method !== 'auto' ? node.method : methods[0];
    if (method === undefined) throw new Error(`${backend.name} has no method for node ${node.id} (${node.op.op})`);
    const y = await backend.run(node.op, method, inputs);
    const ref = await opReference(node.op, inputs);
    reports.push({ node: node.id, report: compareWithOpBounds(y, ref, inputs, `${backend.name} node ${node.id} (${node.op.op} ${method})`) });
    env.set(node.output, y);
  }
  return reports;
}
