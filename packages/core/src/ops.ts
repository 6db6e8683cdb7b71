import type { ConvMethod } from './conv-methods.ts';
import type { Conv2dSpec } from './conv2d.ts';
import { conv2dBiasShape, conv2dOutputShape } from './conv2d.ts';
import { ConvrouteError } from './errors.ts';
import type { GemmSpec } from './gemm.ts';
import { gemmOutputShape } from './gemm.ts';
import type { Im2colSpec } from './im2col.ts';
import { im2colOutputShape } from './im2col.ts';
import { type Shape, shapesEqual } from './tensor.ts';

/** One op with its validated spec. Inputs, in order: conv2d [x, w, bias?]; im2col [x];
 * gemm [a, b, bias?]. */
export type OpSpec = { op: 'conv2d'; spec: Conv2dSpec } | { op: 'im2col'; spec: Im2colSpec } | { op: 'gemm'; spec: GemmSpec };
export type OpName = OpSpec['op'];
export const OP_NAMES: readonly OpName[] = ['conv2d', 'im2col', 'gemm'];

/** A method names the kernel that computes an op: a conv method, or the op's single kernel. */
export type Method = ConvMethod | 'im2col' | 'gemm';

function opInputShapes(op: OpSpec): { name: string; shape: Shape }[] {
  switch (op.op) {
    case 'conv2d': {
      const s = [
        { name: 'input', shape: op.spec.input },
        { name: 'weight', shape: op.spec.weight },
      ];
      return op.spec.bias ? [...s, { name: 'bias', shape: conv2dBiasShape(op.spec) }] : s;
    }
    case 'im2col':
      return [{ name: 'input', shape: op.spec.input }];
    case 'gemm': {
      const s = [
        { name: 'a', shape: op.spec.a },
        { name: 'b', shape: op.spec.b },
      ];
      return op.spec.bias ? [...s, { name: 'bias', shape: [op.spec.n] }] : s;
    }
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
