import { ConvrouteError } from '@convroute/core';
import { type ConstValue, intValues } from './const-value.ts';
import { axisOf } from './fold-ops.ts';
import type { NodeAttrs } from './node-attrs.ts';

/** What an op importer sees of one ONNX node. */
export interface OpContext {
  attrs: NodeAttrs;
  opset: number;
  field: string;
  /** The node's input count ('' inputs included). */
  arity: number;
  /** Input i as a constant, or undefined when omitted ('' or absent); refused when it is not constant. */
  constInput(i: number, what: string): ConstValue | undefined;
  /** The shape of input i. */
  shape(i: number): number[];
}

/** One IR node: its op (THE CONTRACT's lower-case ONNX names), which ONNX inputs it takes, its attrs. */
export interface IrOp {
  op: string;
  inputs: number[];
  attrs: Record<string, unknown>;
}

type Importer = (ctx: OpContext) => IrOp;

const POOL_ATTRS = ['auto_pad', 'kernel_shape', 'pads', 'strides', 'dilations', 'ceil_mode'];
const RESIZE_ATTRS = [
  'mode',
  'coordinate_transformation_mode',
  'nearest_mode',
  'cubic_coeff_a',
  'exclude_outside',
  'extrapolation_value',
  'antialias',
  'axes',
  'keep_aspect_ratio_policy',
];

/** The ONNX ops imported as IR nodes: their attribute names and their importer. */
export const IMPORTERS: Record<string, { attrs: readonly string[]; run: Importer }> = {
  Conv: { attrs: ['auto_pad', 'kernel_shape', 'pads', 'strides', 'dilations', 'group'], run: conv },
  Gemm: { attrs: ['alpha', 'beta', 'transA', 'transB'], run: gemm },
  MatMul: { attrs: [], run: () => ({ op: 'matmul', inputs: [0, 1], attrs: {} }) },
  Add: { attrs: [], run: () => ({ op: 'add', inputs: [0, 1], attrs: {} }) },
  Sub: { attrs: [], run: () => ({ op: 'sub', inputs: [0, 1], attrs: {} }) },
  Mul: { attrs: [], run: () => ({ op: 'mul', inputs: [0, 1], attrs: {} }) },
  Div: { attrs: [], run: () => ({ op: 'div', inputs: [0, 1], attrs: {} }) },
  Relu: { attrs: [], run: () => unary('relu') },
  Sigmoid: { attrs: [], run: () => unary('sigmoid') },
  HardSwish: { attrs: [], run: () => unary('hardswish') },
  HardSigmoid: {
    attrs: ['alpha', 'beta'],
    run: (c) => unary('hardsigmoid', { alpha: c.attrs.float('alpha', 0.2), beta: c.attrs.float('beta', 0.5) }),
  },
  LeakyRelu: { attrs: ['alpha'], run: (c) => unary('leakyrelu', { alpha: c.attrs.float('alpha', 0.01) }) },
  Clip: { attrs: [], run: clip },
  Identity: { attrs: [], run: () => unary('identity') },
  Dropout: { attrs: ['seed'], run: dropout },
  BatchNormalization: { attrs: ['epsilon', 'momentum', 'training_mode'], run: batchNorm },
  Softmax: { attrs: ['axis'], run: softmax },
  MaxPool: { attrs: [...POOL_ATTRS, 'storage_order'], run: (c) => pool('maxpool', c) },
  AveragePool: { attrs: [...POOL_ATTRS, 'count_include_pad'], run: (c) => pool('averagepool', c) },
  GlobalAveragePool: { attrs: [], run: () => unary('globalaveragepool') },
  ReduceMean: { attrs: ['axes', 'keepdims', 'noop_with_empty_axes'], run: reduceMean },
  Concat: { attrs: ['axis'], run: (c) => ({ op: 'concat', inputs: range(c.arity), attrs: { axis: c.attrs.int('axis', Number.NaN) } }) },
  Reshape: { attrs: ['allowzero'], run: reshape },
  Flatten: { attrs: ['axis'], run: (c) => unary('flatten', { axis: c.attrs.int('axis', 1) }) },
  Transpose: { attrs: ['perm'], run: (c) => unary('transpose', withDefined({ perm: c.attrs.ints('perm') })) },
  Squeeze: { attrs: ['axes'], run: (c) => unary('squeeze', withDefined({ axes: axesOf(c, 'axes', 13) })) },
  Unsqueeze: { attrs: ['axes'], run: unsqueeze },
  Pad: { attrs: ['mode'], run: pad },
  Resize: { attrs: RESIZE_ATTRS, run: resize },
};

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const unary = (op: string, attrs: Record<string, unknown> = {}): IrOp => ({ op, inputs: [0], attrs });
const withDefined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** Axes from the attribute (opsets before `inputFrom`) or from input 1 (a constant). */
function axesOf(c: OpContext, what: string, inputFrom: number): number[] | undefined {
  if (c.opset < inputFrom) return c.attrs.ints('axes');
  if (c.attrs.has('axes')) c.attrs.unsupported('axes', c.attrs.ints('axes'), `from opset ${inputFrom} axes is an input, not an attribute`);
  const v = c.constInput(1, what);
  return v ? intValues(v, `${c.field}.${what}`) : undefined;
}

function unsqueeze(c: OpContext): IrOp {
  const axes = axesOf(c, 'axes', 13);
  if (!axes) throw new ConvrouteError('ONNX_FORMAT', `${c.field}.axes`, undefined, 'Unsqueeze needs axes');
  return unary('unsqueeze', { axes });
}

function pair(c: OpContext, name: string, fallback: number): [number, number] {
  const v = c.attrs.ints(name);
  if (!v) return [fallback, fallback];
  if (v.length !== 2) c.attrs.unsupported(name, v, 'only 2-D spatial ops (NCHW) are supported: give 2 values');
  return [v[0], v[1]];
}

function spatial2d(c: OpContext, what: string): number[] {
  const x = c.shape(0);
  if (x.length !== 4) throw new ConvrouteError('UNSUPPORTED_OP', `${c.field}.inputs[0]`, x, `only 2-D ${what} on NCHW (rank 4) inputs is supported`);
  return x;
}

/** ONNX pads [h_begin, w_begin, h_end, w_end] are the IR's [top, left, bottom, right]; auto_pad
 * SAME_UPPER/SAME_LOWER become explicit pads (out = ceil(in / stride)). */
function padsOf(c: OpContext, x: number[], kernel: [number, number], stride: [number, number], dilation: [number, number]): number[] {
  const auto = c.attrs.string('auto_pad', 'NOTSET');
  if (auto === 'NOTSET') {
    const p = c.attrs.ints('pads') ?? [0, 0, 0, 0];
    if (p.length !== 4) c.attrs.unsupported('pads', p, 'a 2-D op takes 4 pads');
    return p;
  }
  if (c.attrs.has('pads')) c.attrs.unsupported('pads', c.attrs.ints('pads'), `pads cannot be given with auto_pad=${auto}`);
  if (auto === 'VALID') return [0, 0, 0, 0];
  if (auto !== 'SAME_UPPER' && auto !== 'SAME_LOWER') return c.attrs.unsupported('auto_pad', auto, 'must be NOTSET, VALID, SAME_UPPER or SAME_LOWER');
  const begin: number[] = [];
  const end: number[] = [];
  for (const a of [0, 1]) {
    const n = x[2 + a];
    const out = Math.ceil(n / stride[a]);
    const total = Math.max(0, (out - 1) * stride[a] + dilation[a] * (kernel[a] - 1) + 1 - n);
    const small = Math.floor(total / 2);
    begin.push(auto === 'SAME_UPPER' ? small : total - small);
    end.push(auto === 'SAME_UPPER' ? total - small : small);
  }
  return [...begin, ...end];
}

function conv(c: OpContext): IrOp {
  const x = spatial2d(c, 'convolution');
  const w = c.shape(1);
  const kernel = pair(c, 'kernel_shape', Number.NaN);
  if (c.attrs.has('kernel_shape') && (kernel[0] !== w[2] || kernel[1] !== w[3]))
    c.attrs.unsupported('kernel_shape', kernel, `must equal the weight's spatial dims [${w[2]}, ${w[3]}]`);
  const stride = pair(c, 'strides', 1);
  const dilation = pair(c, 'dilations', 1);
  const padding = padsOf(c, x, [w[2], w[3]], stride, dilation);
  const attrs = { stride, dilation, padding, groups: c.attrs.int('group', 1) };
  return { op: 'conv2d', inputs: range(Math.min(c.arity, 3)), attrs };
}

function gemm(c: OpContext): IrOp {
  const attrs: Record<string, unknown> = { transA: c.attrs.int('transA', 0) === 1, transB: c.attrs.int('transB', 0) === 1 };
  // alpha/beta only when not 1, the IR's default.
  const alpha = c.attrs.float('alpha', 1);
  const beta = c.attrs.float('beta', 1);
  if (alpha !== 1) attrs.alpha = alpha;
  if (beta !== 1) attrs.beta = beta;
  return { op: 'gemm', inputs: range(Math.min(c.arity, 3)), attrs };
}

function clip(c: OpContext): IrOp {
  const scalar = (i: number, what: string) => {
    const v = c.constInput(i, what);
    if (!v) return undefined;
    if (v.dtype !== 'float32' || v.data.length !== 1) throw new ConvrouteError('UNSUPPORTED_ATTRIBUTE', `${c.field}.${what}`, v.dims, 'must be a float scalar');
    return v.data[0];
  };
  return unary('clip', withDefined({ min: scalar(1, 'min'), max: scalar(2, 'max') }));
}

function dropout(c: OpContext): IrOp {
  const training = c.arity > 2 ? c.constInput(2, 'training_mode') : undefined;
  if (training?.data.some((v) => v !== 0))
    throw new ConvrouteError('UNSUPPORTED_ATTRIBUTE', `${c.field}.training_mode`, true, 'only inference (training_mode false) is supported');
  return unary('identity');
}

function batchNorm(c: OpContext): IrOp {
  if (c.attrs.int('training_mode', 0) !== 0) c.attrs.unsupported('training_mode', 1, 'only inference (training_mode 0) is supported');
  c.attrs.float('momentum', 0.9); // training-only: no effect on inference
  return { op: 'batchnormalization', inputs: [0, 1, 2, 3, 4], attrs: { epsilon: c.attrs.float('epsilon', 1e-5) } };
}

function softmax(c: OpContext): IrOp {
  const rank = c.shape(0).length;
  if (c.opset >= 13) return unary('softmax', { axis: c.attrs.int('axis', -1) });
  // Before opset 13 Softmax flattens to 2-D at `axis`: one-axis softmax only when that is the last.
  const axis = axisOf(`${c.field}.axis`, c.attrs.int('axis', 1), rank);
  if (axis !== rank - 1) c.attrs.unsupported('axis', axis, `before opset 13 Softmax coerces to 2-D at axis; supported only for the last axis (${rank - 1})`);
  return unary('softmax', { axis: -1 });
}

function pool(op: 'maxpool' | 'averagepool', c: OpContext): IrOp {
  const x = spatial2d(c, op);
  if (!c.attrs.has('kernel_shape')) throw new ConvrouteError('ONNX_FORMAT', `${c.field}.kernel_shape`, undefined, 'is required');
  const kernel = pair(c, 'kernel_shape', 1);
  const stride = pair(c, 'strides', 1);
  const dilation = pair(c, 'dilations', 1);
  const attrs: Record<string, unknown> = {
    kernel,
    stride,
    dilation,
    padding: padsOf(c, x, kernel, stride, dilation),
    ceilMode: c.attrs.int('ceil_mode', 0) === 1,
  };
  if (op === 'maxpool' && c.attrs.int('storage_order', 0) !== 0) c.attrs.unsupported('storage_order', 1, 'only row-major storage_order 0 is supported');
  if (op === 'averagepool') attrs.countIncludePad = c.attrs.int('count_include_pad', 0) === 1;
  return unary(op, attrs);
}

function reduceMean(c: OpContext): IrOp {
  const keepdims = c.attrs.int('keepdims', 1) === 1;
  let axes = axesOf(c, 'axes', 18);
  if (!axes || axes.length === 0) {
    if (c.attrs.int('noop_with_empty_axes', 0) === 1) return unary('identity');
    axes = range(c.shape(0).length);
  }
  return unary('reducemean', { axes, keepdims });
}

function reshape(c: OpContext): IrOp {
  const shape = c.constInput(1, 'shape');
  if (!shape) throw new ConvrouteError('ONNX_FORMAT', `${c.field}.shape`, undefined, 'Reshape needs its shape input');
  return unary('reshape', { shape: intValues(shape, `${c.field}.shape`), allowzero: c.attrs.int('allowzero', 0) === 1 });
}

function pad(c: OpContext): IrOp {
  const mode = c.attrs.string('mode', 'constant');
  if (mode !== 'constant') c.attrs.unsupported('mode', mode, "only mode 'constant' is supported");
  const given = c.constInput(1, 'pads');
  if (!given) throw new ConvrouteError('ONNX_FORMAT', `${c.field}.pads`, undefined, 'Pad needs its pads input');
  let pads = intValues(given, `${c.field}.pads`);
  const value = c.arity > 2 ? c.constInput(2, 'constant_value') : undefined;
  if (value && (value.dtype !== 'float32' || value.data.length !== 1))
    throw new ConvrouteError('UNSUPPORTED_ATTRIBUTE', `${c.field}.constant_value`, value.dims, 'must be a float scalar');
  const axesInput = c.arity > 3 ? c.constInput(3, 'axes') : undefined;
  if (axesInput) {
    // Opset 18's axes: pads name only these axes; the others get 0.
    const rank = c.shape(0).length;
    const axes = intValues(axesInput, `${c.field}.axes`).map((a) => axisOf(`${c.field}.axes`, a, rank));
    const full = new Array<number>(2 * rank).fill(0);
    axes.forEach((a, i) => {
      full[a] = pads[i];
      full[rank + a] = pads[axes.length + i];
    });
    pads = full;
  }
  if (pads.some((p) => p < 0)) throw new ConvrouteError('UNSUPPORTED_ATTRIBUTE', `${c.field}.pads`, pads, 'negative pads (cropping) are not supported');
  return unary('pad', withDefined({ pads, value: value?.data[0] }));
}

function resize(c: OpContext): IrOp {
  const a = c.attrs;
  const mode = a.string('mode', 'nearest');
  if (mode !== 'nearest' && mode !== 'linear') a.unsupported('mode', mode, "only 'nearest' and 'linear' are supported");
  const ctm = a.string('coordinate_transformation_mode', 'half_pixel');
  if (!['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric'].includes(ctm))
    a.unsupported('coordinate_transformation_mode', ctm, 'must be half_pixel, pytorch_half_pixel, align_corners or asymmetric');
  const nearestMode = a.string('nearest_mode', 'round_prefer_floor');
  if (a.float('cubic_coeff_a', -0.75) !== -0.75) a.unsupported('cubic_coeff_a', a.float('cubic_coeff_a', 0), 'cubic interpolation is not supported');
  if (a.int('exclude_outside', 0) !== 0) a.unsupported('exclude_outside', 1, 'is not supported');
  if (a.float('extrapolation_value', 0) !== 0)
    a.unsupported('extrapolation_value', a.float('extrapolation_value', 0), 'is not supported (tf_crop_and_resize only)');
  if (a.int('antialias', 0) !== 0) a.unsupported('antialias', 1, 'antialiasing is not supported');
  if (a.has('axes')) a.unsupported('axes', a.ints('axes'), 'give scales or sizes for every axis');
  if (a.string('keep_aspect_ratio_policy', 'stretch') !== 'stretch')
    a.unsupported('keep_aspect_ratio_policy', a.string('keep_aspect_ratio_policy', ''), "only 'stretch' is supported");
  // Inputs: X, roi (used by tf_crop_and_resize only), scales, sizes; an empty tensor means absent.
  const present = (i: number, what: string) => {
    const v = c.arity > i ? c.constInput(i, what) : undefined;
    return v && v.data.length > 0 ? Array.from(v.data) : undefined;
  };
  const scales = present(2, 'scales');
  const sizes = present(3, 'sizes');
  return unary('resize', withDefined({ mode, coordinateTransformationMode: ctm, nearestMode, scales, sizes }));
}
