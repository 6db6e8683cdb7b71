import { isPoolShapeResizeOp, poolShapeResizeAbs, poolShapeResizeExact } from '@convroute/backend-cpu';
import type { Backend, Method, OpSpec, Tensor } from '@convroute/core';
import { type ComparisonReport, compareWithBound } from './compare.ts';

/**
 * Judges an output of maxpool, averagepool, globalaveragepool, reducemean, a shape op or resize
 * against CPU exact (docs/error-model.md, "Pooling, reductions and resize"): the copies bitwise,
 * the means and linear resize within gamma(n) * A + u * |y| + n * 2^-126 with the op's n and A.
 */
export function comparePoolShapeResize(op: OpSpec, inputs: readonly Tensor[], actual: Tensor, label: string = op.op): ComparisonReport {
  if (!isPoolShapeResizeOp(op)) throw new Error(`comparePoolShapeResize: ${op.op} is not a pooling, reduction, shape or resize op`);
  const reference = poolShapeResizeExact(op, inputs);
  const terms = poolShapeResizeAbs(op, inputs);
  const inputsFinite = inputs.every((t) => t.data.every((v) => Number.isFinite(v)));
  return compareWithBound(actual, reference, terms?.abs, terms?.n ?? 1, { shape: reference.shape, bitwise: terms === undefined, inputsFinite, label });
}

/** Runs the op on a backend with its single method (the op's name) and compares. */
export async function checkPoolShapeResizeOnBackend(backend: Backend, op: OpSpec, inputs: readonly Tensor[]): Promise<ComparisonReport> {
  const actual = await backend.run(op, op.op as Method, inputs);
  return comparePoolShapeResize(op, inputs, actual, `${backend.name} (${backend.description}) ${op.op}`);
}
