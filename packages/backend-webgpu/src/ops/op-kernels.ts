import type { Activation, Method, OpName, OpSpec, Precision } from '@convroute/core';
import type { GpuArray, GpuRuntime } from '../runtime.ts';
import type { ConvPlan } from './conv-plans.ts';
import type { KernelTuning } from './tuning.ts';

/** What a kernel builder gets: device operands in the op's input order, its output, options. */
export interface KernelContext {
  rt: GpuRuntime;
  inputs: readonly GpuArray[];
  /** Input `i`'s data in a kernel's own layout (`pack` runs on the host data, once per layout
   * per value); 'raw' is the input itself. */
  packed(i: number, layout: string, pack?: (data: Float32Array) => Float32Array): GpuArray;
  output: GpuArray;
  /** Added to the output in the kernel's epilogue when `fusesResidual` said yes, then
   * `residualActivation` (a relu/clip node after the add; absent: none). */
  residual?: GpuArray;
  residualActivation?: Activation;
  tuning?: KernelTuning;
  /** Byte budget of im2col-gemm's scratch before it tiles by output rows. */
  im2colBudgetBytes: number;
  /** f16 precisions: input 0 and the packed weights are binary16 arrays; absent: f32. */
  precision?: Precision;
}

/**
 * The WebGPU kernels of one op: which methods it runs, and building a plan (dispatches + scratch)
 * for one node. The per-node backend (`run`, `prepare`) and the device-resident graph run both
 * dispatch through this table, so an op gains WebGPU support by registering here, with no change
 * to either executor.
 */
export interface OpKernel {
  methods(op: OpSpec): Method[];
  plan(op: OpSpec, method: Method, ctx: KernelContext): Promise<ConvPlan>;
  /** Whether `plan` honours `ctx.residual` and `ctx.residualActivation` for this method
   * (epilogue fusion). Absent: never. */
  fusesResidual?(op: OpSpec, method: Method): boolean;
  /** Whether the output is input 0's data unchanged (reshape, flatten, squeeze, unsqueeze,
   * identity: same float32 elements in the same row-major order). A graph run then gives the
   * output input 0's buffer and dispatches nothing; `plan` is not called there. Absent: never. */
  aliasesInput?(op: OpSpec): boolean;
  /** Inputs whose host data `plan` needs (`packed` with a pack function). A graph run reads a
   * device-only value back once for them. Absent: none. */
  packedInputs?(op: OpSpec, method: Method): readonly number[];
}

const table = new Map<OpName, OpKernel>();

/** Registers (or replaces) the kernels of an op. */
export function registerOpKernel(op: OpName, kernel: OpKernel): void {
  table.set(op, kernel);
}

/** The op's kernels, or undefined when WebGPU has none (its methodsFor is then empty). */
export function opKernel(op: OpName): OpKernel | undefined {
  return table.get(op);
}
