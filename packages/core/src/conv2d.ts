import { type Activation, checkActivation, checkInt, checkPadding, checkPair } from './attrs.ts';
import { ConvrouteError } from './errors.ts';
import { checkShape, MAX_ELEMENTS, type Shape } from './tensor.ts';

export type Shape4 = [number, number, number, number];

/** A fully validated, normalised conv2d (or conv-transpose2d) with its tensor shapes.
 * Semantics: docs/semantics.md. */
export interface Conv2dSpec {
  /** x: [N, C_in, H, W] */
  readonly input: Shape4;
  /** forward: [C_out, C_in/g, kH, kW]; transposed: [C_in, C_out/g, kH, kW] */
  readonly weight: Shape4;
  readonly bias: boolean;
  readonly stride: [number, number];
  /** [top, left, bottom, right] */
  readonly padding: [number, number, number, number];
  readonly dilation: [number, number];
  readonly groups: number;
  readonly transposed: boolean;
  /** Only non-zero for transposed convs; each < max(stride, dilation) on its axis. */
  readonly outputPadding: [number, number];
  readonly activation: Activation;
}

/** What a caller may pass: shapes plus attributes, with the usual shorthands and defaults
 * (stride 1, padding 0, dilation 1, groups 1, not transposed, no bias, no activation). */
export interface Conv2dSpecInit {
  input: Shape;
  weight: Shape;
  bias?: boolean;
  stride?: number | readonly number[];
  /** An integer, [ph, pw], [top, left, bottom, right], 'valid' or 'same' (SAME_UPPER). */
  padding?: number | readonly number[] | 'same' | 'valid';
  dilation?: number | readonly number[];
  groups?: number;
  transposed?: boolean;
  outputPadding?: number | readonly number[];
  activation?: Activation | 'none' | 'relu';
}

/** Validates every field and returns the normalised spec, or throws a ConvrouteError naming
 * the field, the value and the rule. The output shape is checked too (non-empty, indexable). */
export function conv2dSpec(init: Conv2dSpecInit): Conv2dSpec {
  if (init === null || typeof init !== 'object') {
    throw new ConvrouteError('INVALID_ARGUMENT', 'conv2d', init, 'must be an object');
  }
  const input = shape4('input', init.input);
  const weight = shape4('weight', init.weight);
  const stride = checkPair('stride', init.stride ?? 1, 1, 'stride must be >= 1');
  const dilation = checkPair('dilation', init.dilation ?? 1, 1, 'dilation must be >= 1');
  const groups = checkInt('groups', init.groups ?? 1, 1, 'groups must be >= 1');
  const transposed = init.transposed ?? false;
  if (typeof transposed !== 'boolean') throw new ConvrouteError('INVALID_ATTRIBUTE', 'transposed', transposed, 'must be a boolean');
  // 'same' padding depends on the shapes, so it is resolved here to explicit sides.
  const padding = checkPadding('padding', init.padding ?? 0, { extent: [input[2], input[3]], kernel: [weight[2], weight[3]], stride, dilation, transposed });
  const bias = init.bias ?? false;
  if (typeof bias !== 'boolean') throw new ConvrouteError('INVALID_ATTRIBUTE', 'bias', bias, 'must be a boolean');
  const outputPadding = checkPair('outputPadding', init.outputPadding ?? 0, 0, 'output padding must be >= 0');
  const activation = checkActivation('activation', init.activation);

  const cIn = input[1];
  if (cIn % groups !== 0) {
    throw new ConvrouteError('INVALID_ATTRIBUTE', 'groups', groups, `must divide C_in = ${cIn}`);
  }
  if (transposed) {
    if (weight[0] !== cIn) {
      throw new ConvrouteError('SHAPE_MISMATCH', 'weight[0]', weight[0], `transposed weight is [C_in, C_out/g, kH, kW]; must equal C_in = ${cIn}`);
    }
    for (const a of [0, 1] as const) {
      const limit = Math.max(stride[a], dilation[a]);
      if (outputPadding[a] >= limit) {
        throw new ConvrouteError('INVALID_ATTRIBUTE', `outputPadding[${a}]`, outputPadding[a], `must be < max(stride, dilation) = ${limit}`);
      }
    }
  } else {
    if (weight[0] % groups !== 0) {
      throw new ConvrouteError('INVALID_ATTRIBUTE', 'groups', groups, `must divide C_out = weight[0] = ${weight[0]}`);
    }
    if (weight[1] !== cIn / groups) {
      throw new ConvrouteError('SHAPE_MISMATCH', 'weight[1]', weight[1], `must equal C_in / groups = ${cIn} / ${groups} = ${cIn / groups}`);
    }
    if (outputPadding[0] !== 0 || outputPadding[1] !== 0) {
      throw new ConvrouteError('INVALID_ATTRIBUTE', 'outputPadding', outputPadding, 'must be 0 unless transposed');
    }
  }
  const spec: Conv2dSpec = { input, weight, bias, stride, padding, dilation, groups, transposed, outputPadding, activation };
  const out = conv2dOutputShape(spec);
  const axes = ['H', 'W'];
  for (const a of [0, 1] as const) {
    if (out[2 + a] < 1) {
      throw new ConvrouteError('EMPTY_OUTPUT', `output ${axes[a]}`, out[2 + a], `the output would be empty: ${describeExtent(spec, a)}`);
    }
  }
  if (out[0] * out[1] * out[2] * out[3] > MAX_ELEMENTS) {
    throw new ConvrouteError('TOO_LARGE', 'output', out, `at most ${MAX_ELEMENTS} (2^31 - 1) elements can be indexed`);
  }
  return spec;
}

function shape4(field: string, s: unknown): Shape4 {
  if (!Array.isArray(s) || s.length !== 4) {
    throw new ConvrouteError('SHAPE_MISMATCH', field, s, 'must be a 4-D shape [N, C, H, W] / [O, I, kH, kW]');
  }
  checkShape(s, field);
  return [s[0], s[1], s[2], s[3]];
}

function describeExtent(spec: Conv2dSpec, a: 0 | 1): string {
  const ext = spec.input[2 + a];
  const k = spec.weight[2 + a];
  const [p0, p1] = a === 0 ? [spec.padding[0], spec.padding[2]] : [spec.padding[1], spec.padding[3]];
  const eff = spec.dilation[a] * (k - 1) + 1;
  return spec.transposed
    ? `(in - 1) * stride - pads + dilation * (k - 1) + output_padding + 1 with in = ${ext}, pads = ${p0 + p1}, effective kernel ${eff}`
    : `padded input ${ext + p0 + p1} is smaller than the effective kernel ${eff} (dilation ${spec.dilation[a]} * (k - 1) + 1)`;
}

/** [N, C_out, H_out, W_out], by docs/semantics.md's formulas (may be <= 0 for an invalid spec). */
export function conv2dOutputShape(spec: Conv2dSpec): Shape4 {
  const { input, weight, stride, padding, dilation, groups, transposed, outputPadding } = spec;
  const [n, , h, w] = input;
  const [, , kH, kW] = weight;
  if (transposed) {
    const cOut = weight[1] * groups;
    const hOut = (h - 1) * stride[0] - padding[0] - padding[2] + dilation[0] * (kH - 1) + outputPadding[0] + 1;
    const wOut = (w - 1) * stride[1] - padding[1] - padding[3] + dilation[1] * (kW - 1) + outputPadding[1] + 1;
    return [n, cOut, hOut, wOut];
  }
  const hOut = Math.floor((h + padding[0] + padding[2] - dilation[0] * (kH - 1) - 1) / stride[0]) + 1;
  const wOut = Math.floor((w + padding[1] + padding[3] - dilation[1] * (kW - 1) - 1) / stride[1]) + 1;
  return [n, weight[0], hOut, wOut];
}

/** Channel bookkeeping both directions share. */
export function conv2dChannels(spec: Conv2dSpec): { cIn: number; cOut: number; cInPerGroup: number; cOutPerGroup: number } {
  const cIn = spec.input[1];
  const cOut = spec.transposed ? spec.weight[1] * spec.groups : spec.weight[0];
  return { cIn, cOut, cInPerGroup: cIn / spec.groups, cOutPerGroup: cOut / spec.groups };
}

/** Multiply-adds times two, counting every (output, tap) pair inside the padded window. */
export function conv2dFlops(spec: Conv2dSpec): number {
  const [n, cOut, hOut, wOut] = conv2dOutputShape(spec);
  const [, , kH, kW] = spec.weight;
  if (spec.transposed) {
    const [, cIn, h, w] = spec.input;
    return 2 * n * cIn * h * w * (cOut / spec.groups) * kH * kW;
  }
  return 2 * n * cOut * hOut * wOut * (spec.input[1] / spec.groups) * kH * kW;
}

/** Number of product terms summed (plus one for bias) per output element, an upper bound used
 * by the error model; transposed convs sum at most this many. */
export function conv2dReductionLength(spec: Conv2dSpec): number {
  const { cInPerGroup } = conv2dChannels(spec);
  const [, , kH, kW] = spec.weight;
  const taps = spec.transposed ? spec.input[1] / spec.groups : cInPerGroup;
  return taps * kH * kW + (spec.bias ? 1 : 0);
}

/** Expected bias shape for a spec with bias. */
export function conv2dBiasShape(spec: Conv2dSpec): [number] {
  return [conv2dChannels(spec).cOut];
}
