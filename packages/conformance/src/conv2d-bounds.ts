import { type Conv2dSpec, isWinogradMethod, type Tensor } from '@convroute/core';
import type { ErrorModel } from './error-model.ts';
import { winogradBounds } from './winograd-bound.ts';

/**
 * Every element's bound of a conv method's output under a model whose bound needs the inputs
 * (`perElement`: Winograd's, docs/winograd-bound.md), from the inputs, the reference, its A and n;
 * undefined for the models `bound(n, A, reference)` computes.
 */
export function conv2dBounds(
  model: ErrorModel,
  method: string,
  spec: Conv2dSpec,
  inputs: readonly Tensor[],
  reference: Tensor,
  abs: Tensor,
  n: number,
): Float64Array | undefined {
  if (!model.perElement) return undefined;
  if (model.name === 'winograd' && isWinogradMethod(method)) return winogradBounds(method, spec, inputs, reference, abs, n);
  throw new Error(`error model ${model.name} has no per-element bound for method ${method}`);
}
