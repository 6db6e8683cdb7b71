import type { OpSpec, Tensor } from '@convroute/core';
import { binaryOp, unaryOp } from './elementwise-op.ts';
import { matmul } from './matmul-op.ts';
import { batchnormalization, softmax } from './norm-op.ts';

/** The issue-13 arithmetic ops the CPU backend runs, in exact and fast mode (one kernel each,
 * named after the op). Pooling, shape and resize ops are added beside them. */
const ARITH_OPS = new Set<OpSpec['op']>([
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
]);

export function isCpuArithOp(op: OpSpec): boolean {
  return ARITH_OPS.has(op.op);
}

export function runArithOp(op: OpSpec, inputs: readonly Tensor[], mode: 'exact' | 'fast'): Tensor {
  switch (op.op) {
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
      return binaryOp(op.op, op.spec, inputs[0], inputs[1]);
    case 'relu':
    case 'sigmoid':
    case 'hardswish':
    case 'identity':
    case 'hardsigmoid':
    case 'leakyrelu':
    case 'clip':
      return unaryOp(op.op, op.spec, inputs[0], mode);
    case 'batchnormalization':
      return batchnormalization(op.spec, inputs[0], inputs[1], inputs[2], inputs[3], inputs[4]);
    case 'softmax':
      return softmax(op.spec, inputs[0], mode);
    case 'matmul':
      return matmul(op.spec, inputs[0], inputs[1], mode);
    default:
      throw new Error(`runArithOp: ${op.op} is not an arithmetic op`);
  }
}
