import { ConvrouteError } from './errors.ts';
import { checkAxis, checkRankedShape } from './op-attrs.ts';
import type { Shape } from './tensor.ts';

/** ONNX BatchNormalization in inference: y = scale * (x - mean) / sqrt(var + epsilon) + bias per
 * channel; inputs [x, scale, bias, mean, var], x of rank >= 2 with C = x's axis 1, the other four
 * of shape [C]. Exact mode's rounding: docs/semantics.md. */
export interface BatchnormalizationSpec {
  readonly input: readonly number[];
  /** float32, >= 0 (ONNX default 1e-5) */
  readonly epsilon: number;
  /** derived: C = input[1] */
  readonly channels: number;
}
export interface BatchnormalizationSpecInit {
  input: Shape;
  epsilon?: number;
}
export const BATCHNORMALIZATION_ATTR_KEYS = ['epsilon'] as const;

export function batchnormalizationSpec(init: BatchnormalizationSpecInit): BatchnormalizationSpec {
  const input = checkRankedShape('input', init.input, 2);
  const e = init.epsilon ?? 1e-5;
  if (typeof e !== 'number' || !Number.isFinite(e) || e < 0) throw new ConvrouteError('INVALID_ATTRIBUTE', 'epsilon', e, 'must be a finite number >= 0');
  return { input, epsilon: Math.fround(e), channels: input[1] };
}

/** The shape of each of batchnormalization's scale, bias, mean and var inputs. */
export function batchnormalizationParamShape(spec: BatchnormalizationSpec): [number] {
  return [spec.channels];
}

/** Softmax along one axis (opset 13 semantics): y = exp(x - max) / sum(exp(x - max)) over `axis`. */
export interface SoftmaxSpec {
  readonly input: readonly number[];
  /** normalised to [0, rank) */
  readonly axis: number;
}
export interface SoftmaxSpecInit {
  input: Shape;
  axis?: number;
}
export const SOFTMAX_ATTR_KEYS = ['axis'] as const;

export function softmaxSpec(init: SoftmaxSpecInit): SoftmaxSpec {
  const input = checkRankedShape('input', init.input, 1);
  return { input, axis: checkAxis('axis', init.axis ?? -1, input.length) };
}
