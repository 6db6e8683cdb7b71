import { CONV_METHOD_DESCRIPTORS, type Conv2dSpec, conv2dReductionLength, type Precision, type Tensor } from '@convroute/core';
import { type CompareOptions, type ComparisonReport, compareWithBound } from './compare.ts';
import { conv2dBounds } from './conv2d-bounds.ts';
import { ERROR_MODELS, REORDERING } from './error-model.ts';
import { f16ErrorModel, f16Operands } from './f16-error-model.ts';
import type { Referenced } from './reference.ts';

/**
 * A conv output of `method` against the exact reference under the error model the method's
 * descriptor names (the reordering bound for a name no descriptor has), with the per-element
 * bounds a model such as Winograd's computes from the inputs: what the bench and `convroute
 * suite` verify by. At an f16 `precision` the fp16 model (f16-error-model.ts) judges every method.
 */
export function compareConvMethod(
  method: string,
  spec: Conv2dSpec,
  inputs: readonly Tensor[],
  actual: Float32Array | Tensor,
  ref: Referenced,
  options: CompareOptions & { precision?: Precision } = {},
): ComparisonReport {
  const { precision = 'f32', ...rest } = options;
  if (precision !== 'f32') {
    const model = f16ErrorModel(precision, f16Operands(inputs));
    return compareWithBound(actual, ref.y, ref.abs, conv2dReductionLength(spec), { ...rest, model });
  }
  const d = CONV_METHOD_DESCRIPTORS.find((x) => x.name === method);
  const model = d ? ERROR_MODELS[d.errorModel] : REORDERING;
  const n = conv2dReductionLength(spec);
  const bounds = model.bitwise || rest.bitwise ? undefined : conv2dBounds(model, method, spec, inputs, ref.y, ref.abs, n);
  return compareWithBound(actual, ref.y, ref.abs, n, { ...rest, model, bounds });
}
