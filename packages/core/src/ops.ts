import type { ConvMethod } from './conv-methods.ts';
import type { Conv2dSpec } from './conv2d.ts';
import { conv2dBiasShape, conv2dOutputShape } from './conv2d.ts';
import { ConvrouteError } from './errors.ts';
import type { GemmSpec } from './gemm.ts';
import { gemmOutputShape } from './gemm.ts';
import type { Im2colSpec } from './im2col.ts';
import { im2colOutputShape } from './im2col.ts';
import type { BinarySpec, ClipSpec, HardsigmoidSpec, LeakyreluSpec, UnarySpec } from './ops-elementwise.ts';
import type { MatmulSpec } from './ops-matmul.ts';
import { type BatchnormalizationSpec, batchnormalizationParamShape, type SoftmaxSpec } from './ops-norm.ts';
import type { AveragepoolSpec, GlobalaveragepoolSpec, MaxpoolSpec, ReducemeanSpec } from './ops-pool.ts';
import type { ResizeSpec } from './ops-resize.ts';
import type { ConcatSpec, FlattenSpec, PadSpec, ReshapeSpec, SqueezeSpec, TransposeSpec, UnsqueezeSpec } from './ops-shape.ts';
import { type Shape, shapesEqual } from './tensor.ts';

/** One op with its validated spec. IR op names are ONNX's in lower case. Inputs, in order:
 * conv2d [x, w, bias?]; im2col [x]; gemm [a, b, bias?]; add/sub/mul/div/matmul [a, b];
 * batchnormalization [x, scale, bias, mean, var]; concat [x0, x1, ...]; every other op [x]. */
export type OpSpec =
  | { op: 'conv2d'; spec: Conv2dSpec }
  | { op: 'im2col'; spec: Im2colSpec }
  | { op: 'gemm'; spec: GemmSpec }
  | { op: 'add' | 'sub' | 'mul' | 'div'; spec: BinarySpec }
  | { op: 'relu' | 'sigmoid' | 'hardswish' | 'identity'; spec: UnarySpec }
  | { op: 'hardsigmoid'; spec: HardsigmoidSpec }
  | { op: 'leakyrelu'; spec: LeakyreluSpec }
  | { op: 'clip'; spec: ClipSpec }
  | { op: 'batchnormalization'; spec: BatchnormalizationSpec }
  | { op: 'softmax'; spec: SoftmaxSpec }
  | { op: 'matmul'; spec: MatmulSpec }
  | { op: 'maxpool'; spec: MaxpoolSpec }
  | { op: 'averagepool'; spec: AveragepoolSpec }
  | { op: 'globalaveragepool'; spec: GlobalaveragepoolSpec }
  | { op: 'reducemean'; spec: ReducemeanSpec }
  | { op: 'concat'; spec: ConcatSpec }
  | { op: 'reshape'; spec: ReshapeSpec }
  | { op: 'flatten'; spec: FlattenSpec }
  | { op: 'transpose'; spec: TransposeSpec }
  | { op: 'squeeze'; spec: SqueezeSpec }
  | { op: 'unsqueeze'; spec: UnsqueezeSpec }
  | { op: 'pad'; spec: PadSpec }
  | { op: 'resize'; spec: ResizeSpec };
export type OpName = OpSpec['op'];
export const OP_NAMES: readonly OpName[] = [
  'conv2d',
  'im2col',
  'gemm',
  'add',
  'sub',
  'mul',
  'div',
  'relu',
  'sigmoid',
  'hardsigmoid',
  'hardswish',
  'leakyrelu',
  'clip',
  'identity',
  'batchnormalization',
  'softmax',
  'matmul',
  'maxpool',
  'averagepool',
  'globalaveragepool',
  'reducemean',
  'concat',
  'reshape',
  'flatten',
  'transpose',
  'squeeze',
  'unsqueeze',
  'pad',
  'resize',
];

/** A method names the kernel that computes an op: a conv method, or the op's single kernel
 * (named after the op). */
export type Method = ConvMethod | Exclude<OpName, 'conv2d'>;

function opInputShapes(op: OpSpec): { name: string; shape: Shape }[] {
  switch (op.op) {
    case 'conv2d': {
      const s = [
        { name: 'input', shape: op.spec.input },
        { name: 'weight', shape: op.spec.weight },
      ];
      return op.spec.bias ? [...s, { name: 'bias', shape: conv2dBiasShape(op.spec) }] : s;
    }
    case 'gemm': {
      const s = [
        { name: 'a', shape: op.spec.a },
        { name: 'b', shape: op.spec.b },
      ];
      return op.spec.biasShape ? [...s, { name: 'bias', shape: op.spec.biasShape }] : s;
    }
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
    case 'matmul':
      return [
        { name: 'a', shape: op.spec.a },
        { name: 'b', shape: op.spec.b },
      ];
    case 'batchnormalization': {
      const c = batchnormalizationParamShape(op.spec);
      return [{ name: 'input', shape: op.spec.input }, ...['scale', 'bias', 'mean', 'var'].map((name) => ({ name, shape: c }))];
    }
    case 'concat':
      return op.spec.inputs.map((shape, i) => ({ name: `inputs[${i}]`, shape }));
    default:
      return [{ name: 'input', shape: op.spec.input }];
  }
}

export function opOutputShape(op: OpSpec): number[] {
  switch (op.op) {
    case 'conv2d':
      return conv2dOutputShape(op.spec);
    case 'im2col':
      return im2colOutputShape(op.spec);
    case 'gemm':
      return gemmOutputShape(op.spec);
    case 'relu':
    case 'sigmoid':
    case 'hardswish':
    case 'identity':
    case 'hardsigmoid':
    case 'leakyrelu':
    case 'clip':
    case 'batchnormalization':
    case 'softmax':
      return [...op.spec.input];
    default:
      return [...op.spec.output];
  }
}

/** Backends call this at their boundary: the tensors (or device values) must match the spec exactly. */
export function checkOpInputs(op: OpSpec, inputs: readonly { readonly shape: Shape }[]): void {
  const want = opInputShapes(op);
  if (inputs.length !== want.length) {
    throw new ConvrouteError('SHAPE_MISMATCH', `${op.op}.inputs`, inputs.length, `expected ${want.length} tensors (${want.map((w) => w.name).join(', ')})`);
  }
  want.forEach((w, i) => {
    if (!shapesEqual(inputs[i].shape, w.shape)) {
      throw new ConvrouteError('SHAPE_MISMATCH', `${op.op}.${w.name}`, inputs[i].shape, `must have shape [${w.shape.join(', ')}]`);
    }
  });
}
