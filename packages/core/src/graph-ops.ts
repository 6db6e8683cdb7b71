import { CONV2D_ATTR_KEYS, GEMM_ATTR_KEYS, IM2COL_ATTR_KEYS } from './attrs.ts';
import type { Conv2dSpecInit } from './conv2d.ts';
import { conv2dSpec } from './conv2d.ts';
import { ConvrouteError } from './errors.ts';
import { type GemmSpecInit, gemmSpec } from './gemm.ts';
import { type Im2colSpecInit, im2colSpec } from './im2col.ts';
import type { OpName, OpSpec } from './ops.ts';
import {
  addSpec,
  CLIP_ATTR_KEYS,
  type ClipSpecInit,
  clipSpec,
  divSpec,
  HARDSIGMOID_ATTR_KEYS,
  type HardsigmoidSpecInit,
  hardsigmoidSpec,
  hardswishSpec,
  identitySpec,
  LEAKYRELU_ATTR_KEYS,
  type LeakyreluSpecInit,
  leakyreluSpec,
  mulSpec,
  reluSpec,
  sigmoidSpec,
  subSpec,
} from './ops-elementwise.ts';
import { matmulSpec } from './ops-matmul.ts';
import {
  BATCHNORMALIZATION_ATTR_KEYS,
  type BatchnormalizationSpecInit,
  batchnormalizationSpec,
  SOFTMAX_ATTR_KEYS,
  type SoftmaxSpecInit,
  softmaxSpec,
} from './ops-norm.ts';
import {
  AVERAGEPOOL_ATTR_KEYS,
  type AveragepoolSpecInit,
  averagepoolSpec,
  globalaveragepoolSpec,
  MAXPOOL_ATTR_KEYS,
  maxpoolSpec,
  type PoolSpecInit,
  REDUCEMEAN_ATTR_KEYS,
  type ReducemeanSpecInit,
  reducemeanSpec,
} from './ops-pool.ts';
import { RESIZE_ATTR_KEYS, type ResizeSpecInit, resizeSpec } from './ops-resize.ts';
import {
  CONCAT_ATTR_KEYS,
  concatSpec,
  FLATTEN_ATTR_KEYS,
  flattenSpec,
  PAD_ATTR_KEYS,
  type PadSpecInit,
  padSpec,
  RESHAPE_ATTR_KEYS,
  type ReshapeSpecInit,
  reshapeSpec,
  SQUEEZE_ATTR_KEYS,
  squeezeSpec,
  TRANSPOSE_ATTR_KEYS,
  transposeSpec,
  UNSQUEEZE_ATTR_KEYS,
  unsqueezeSpec,
} from './ops-shape.ts';
import { shapesEqual } from './tensor.ts';

/** The attributes a graph node of each op takes (its spec's init without the input shapes). */
export type Conv2dAttrs = Omit<Conv2dSpecInit, 'input' | 'weight' | 'bias'>;
export type Im2colAttrs = Omit<Im2colSpecInit, 'input'>;
export type GemmAttrs = Omit<GemmSpecInit, 'a' | 'b' | 'bias' | 'biasShape'>;
export type HardsigmoidAttrs = Omit<HardsigmoidSpecInit, 'input'>;
export type LeakyreluAttrs = Omit<LeakyreluSpecInit, 'input'>;
export type ClipAttrs = Omit<ClipSpecInit, 'input'>;
export type BatchnormalizationAttrs = Omit<BatchnormalizationSpecInit, 'input'>;
export type SoftmaxAttrs = Omit<SoftmaxSpecInit, 'input'>;
export type MaxpoolAttrs = Omit<PoolSpecInit, 'input'>;
export type AveragepoolAttrs = Omit<AveragepoolSpecInit, 'input'>;
export type ReducemeanAttrs = Omit<ReducemeanSpecInit, 'input'>;
export type ConcatAttrs = { axis: number };
export type ReshapeAttrs = Omit<ReshapeSpecInit, 'input'>;
export type FlattenAttrs = { axis?: number };
export type TransposeAttrs = { perm?: readonly number[] };
export type SqueezeAttrs = { axes?: readonly number[] };
export type UnsqueezeAttrs = { axes: readonly number[] };
export type PadAttrs = Omit<PadSpecInit, 'input'>;
export type ResizeAttrs = Omit<ResizeSpecInit, 'input'>;
export type OpAttrs = object;

/** How a graph node of one op is checked and its spec built from its input shapes and attrs. */
interface OpInference {
  /** attribute keys the node may have */
  keys: readonly string[];
  /** [min, max] inputs */
  arity: readonly [number, number];
  // biome-ignore lint/suspicious/noExplicitAny: attrs are checked by each spec constructor
  spec(shapes: number[][], attrs: any, field: string): OpSpec;
}

const NONE: readonly string[] = [];
const unary = (op: 'relu' | 'sigmoid' | 'hardswish' | 'identity', make: typeof reluSpec): OpInference => ({
  keys: NONE,
  arity: [1, 1],
  spec: (s) => ({ op, spec: make({ input: s[0] }) }),
});
const binary = (op: 'add' | 'sub' | 'mul' | 'div', make: typeof addSpec): OpInference => ({
  keys: NONE,
  arity: [2, 2],
  spec: (s) => ({ op, spec: make({ a: s[0], b: s[1] }) }),
});

export const OP_INFERENCE: Record<OpName, OpInference> = {
  conv2d: {
    keys: CONV2D_ATTR_KEYS,
    arity: [2, 3],
    spec: (s, attrs: Conv2dAttrs, field) => {
      const spec = conv2dSpec({ ...attrs, input: s[0], weight: s[1], bias: s.length === 3 });
      const cOut = spec.transposed ? spec.weight[1] * spec.groups : spec.weight[0];
      if (s.length === 3 && !shapesEqual(s[2], [cOut])) throw new ConvrouteError('INVALID_GRAPH', `${field}.inputs[2]`, s[2], `bias must have shape [${cOut}]`);
      return { op: 'conv2d', spec };
    },
  },
  im2col: { keys: IM2COL_ATTR_KEYS, arity: [1, 1], spec: (s, attrs: Im2colAttrs) => ({ op: 'im2col', spec: im2colSpec({ ...attrs, input: s[0] }) }) },
  gemm: {
    keys: GEMM_ATTR_KEYS,
    arity: [2, 3],
    spec: (s, attrs: GemmAttrs) => ({ op: 'gemm', spec: gemmSpec({ ...attrs, a: s[0], b: s[1], biasShape: s[2] }) }),
  },
  add: binary('add', addSpec),
  sub: binary('sub', subSpec),
  mul: binary('mul', mulSpec),
  div: binary('div', divSpec),
  relu: unary('relu', reluSpec),
  sigmoid: unary('sigmoid', sigmoidSpec),
  hardswish: unary('hardswish', hardswishSpec),
  identity: unary('identity', identitySpec),
  hardsigmoid: {
    keys: HARDSIGMOID_ATTR_KEYS,
    arity: [1, 1],
    spec: (s, a: HardsigmoidAttrs) => ({ op: 'hardsigmoid', spec: hardsigmoidSpec({ ...a, input: s[0] }) }),
  },
  leakyrelu: { keys: LEAKYRELU_ATTR_KEYS, arity: [1, 1], spec: (s, a: LeakyreluAttrs) => ({ op: 'leakyrelu', spec: leakyreluSpec({ ...a, input: s[0] }) }) },
  clip: { keys: CLIP_ATTR_KEYS, arity: [1, 1], spec: (s, a: ClipAttrs) => ({ op: 'clip', spec: clipSpec({ ...a, input: s[0] }) }) },
  batchnormalization: {
    keys: BATCHNORMALIZATION_ATTR_KEYS,
    arity: [5, 5],
    spec: (s, a: BatchnormalizationAttrs, field) => {
      const spec = batchnormalizationSpec({ ...a, input: s[0] });
      ['scale', 'bias', 'mean', 'var'].forEach((name, i) => {
        if (!shapesEqual(s[i + 1], [spec.channels]))
          throw new ConvrouteError(
            'SHAPE_MISMATCH',
            `${field}.inputs[${i + 1}]`,
            s[i + 1],
            `batchnormalization's ${name} must have shape [C] = [${spec.channels}]`,
          );
      });
      return { op: 'batchnormalization', spec };
    },
  },
  softmax: { keys: SOFTMAX_ATTR_KEYS, arity: [1, 1], spec: (s, a: SoftmaxAttrs) => ({ op: 'softmax', spec: softmaxSpec({ ...a, input: s[0] }) }) },
  matmul: { keys: NONE, arity: [2, 2], spec: (s) => ({ op: 'matmul', spec: matmulSpec({ a: s[0], b: s[1] }) }) },
  maxpool: { keys: MAXPOOL_ATTR_KEYS, arity: [1, 1], spec: (s, a: MaxpoolAttrs) => ({ op: 'maxpool', spec: maxpoolSpec({ ...a, input: s[0] }) }) },
  averagepool: {
    keys: AVERAGEPOOL_ATTR_KEYS,
    arity: [1, 1],
    spec: (s, a: AveragepoolAttrs) => ({ op: 'averagepool', spec: averagepoolSpec({ ...a, input: s[0] }) }),
  },
  globalaveragepool: { keys: NONE, arity: [1, 1], spec: (s) => ({ op: 'globalaveragepool', spec: globalaveragepoolSpec({ input: s[0] }) }) },
  reducemean: {
    keys: REDUCEMEAN_ATTR_KEYS,
    arity: [1, 1],
    spec: (s, a: ReducemeanAttrs) => ({ op: 'reducemean', spec: reducemeanSpec({ ...a, input: s[0] }) }),
  },
  concat: { keys: CONCAT_ATTR_KEYS, arity: [1, 4096], spec: (s, a: ConcatAttrs) => ({ op: 'concat', spec: concatSpec({ ...a, inputs: s }) }) },
  reshape: { keys: RESHAPE_ATTR_KEYS, arity: [1, 1], spec: (s, a: ReshapeAttrs) => ({ op: 'reshape', spec: reshapeSpec({ ...a, input: s[0] }) }) },
  flatten: { keys: FLATTEN_ATTR_KEYS, arity: [1, 1], spec: (s, a: FlattenAttrs) => ({ op: 'flatten', spec: flattenSpec({ ...a, input: s[0] }) }) },
  transpose: { keys: TRANSPOSE_ATTR_KEYS, arity: [1, 1], spec: (s, a: TransposeAttrs) => ({ op: 'transpose', spec: transposeSpec({ ...a, input: s[0] }) }) },
  squeeze: { keys: SQUEEZE_ATTR_KEYS, arity: [1, 1], spec: (s, a: SqueezeAttrs) => ({ op: 'squeeze', spec: squeezeSpec({ ...a, input: s[0] }) }) },
  unsqueeze: { keys: UNSQUEEZE_ATTR_KEYS, arity: [1, 1], spec: (s, a: UnsqueezeAttrs) => ({ op: 'unsqueeze', spec: unsqueezeSpec({ ...a, input: s[0] }) }) },
  pad: { keys: PAD_ATTR_KEYS, arity: [1, 1], spec: (s, a: PadAttrs) => ({ op: 'pad', spec: padSpec({ ...a, input: s[0] }) }) },
  resize: { keys: RESIZE_ATTR_KEYS, arity: [1, 1], spec: (s, a: ResizeAttrs) => ({ op: 'resize', spec: resizeSpec({ ...a, input: s[0] }) }) },
};
