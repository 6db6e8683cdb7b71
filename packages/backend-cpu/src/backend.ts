import {
  type Backend,
  type ConvMethod,
  ConvrouteError,
  checkRunRequest,
  type Method,
  type OpSpec,
  opOutputShape,
  type PreparedRun,
  preparedRun,
  Tensor,
} from '@convroute/core';
import { isCpuArithOp, runArithOp } from './arith-ops.ts';
import { conv2dExact, conv2dFast, cpuConvMethodsFor } from './conv2d.ts';
import { gemmExact, gemmFast } from './gemm-op.ts';
import { im2colExact } from './im2col-op.ts';
import { checkBudgetOption, checkMemoryBudget, DEFAULT_MEMORY_BUDGET } from './memory.ts';
import { isPoolShapeResizeOp, runPoolShapeResize } from './ops/run-ops.ts';

export type CpuMode = 'exact' | 'fast';

export interface CpuBackendOptions {
  /** 'exact' (default): correctly rounded float32 results; 'fast': float32 accumulation. */
  mode?: CpuMode;
  /** Bytes one node may allocate (output + scratch; default DEFAULT_MEMORY_BUDGET, 2 GiB); a node
   * over it is refused with TOO_LARGE before any node of its graph runs. */
  memoryBudget?: number;
}

/** The CPU backend: every op and every conv method but implicit-gemm, in exact or fast mode. */
export function createCpuBackend(options: CpuBackendOptions = {}): Backend {
  const mode = options.mode ?? 'exact';
  if (mode !== 'exact' && mode !== 'fast') {
    throw new ConvrouteError('INVALID_ARGUMENT', 'mode', mode, "must be 'exact' or 'fast'");
  }
  const budget = options.memoryBudget === undefined ? DEFAULT_MEMORY_BUDGET : checkBudgetOption('memoryBudget', options.memoryBudget);
  const methodsFor = (op: OpSpec): readonly Method[] => {
    if (isPoolShapeResizeOp(op)) return [op.op];
    switch (op.op) {
      case 'conv2d':
        return cpuConvMethodsFor(op.spec);
      case 'im2col':
        return ['im2col'];
      case 'gemm':
        return ['gemm'];
      default:
        // An op without a kernel here has no method: run refuses it with UNSUPPORTED_METHOD.
        return isCpuArithOp(op) ? [op.op] : [];
    }
  };
  let disposed = false;
  const checkOpen = () => {
    if (disposed) throw new ConvrouteError('CLOSED', 'backend', 'disposed', 'this cpu backend was disposed');
  };
  const compute = (op: OpSpec, method: Method, inputs: readonly Tensor[]): Tensor => {
    if (isPoolShapeResizeOp(op)) return runPoolShapeResize(op, inputs, mode);
    switch (op.op) {
      case 'conv2d': {
        const run = mode === 'exact' ? conv2dExact : conv2dFast;
        return run(op.spec, inputs[0], inputs[1], inputs[2], method as ConvMethod, budget);
      }
      case 'im2col':
        return im2colExact(op.spec, inputs[0]);
      case 'gemm':
        return (mode === 'exact' ? gemmExact : gemmFast)(op.spec, inputs[0], inputs[1], inputs[2]);
      default:
        if (isCpuArithOp(op)) return runArithOp(op, inputs, mode);
        throw new ConvrouteError('UNSUPPORTED_METHOD', 'method', method, `the cpu backend has no kernel for ${op.op}`);
    }
  };
  const backend: Backend = {
    name: 'cpu',
    description: `cpu (${mode})`,
    methodsFor,
    checkRun(op: OpSpec, method: Method): void {
      checkMemoryBudget(op, method, mode, budget);
    },
    async run(op: OpSpec, method: Method, inputs: readonly Tensor[]): Promise<Tensor> {
      checkOpen();
      checkRunRequest(backend, op, method, inputs);
      return compute(op, method, inputs);
    },
    /** Validation once; `execute` computes on copies of the inputs taken here, so a later change to
     * a tensor's data does not reach a prepared run (as on the GPU, where they are uploaded). */
    async prepare(op: OpSpec, method: Method, inputs: readonly Tensor[]): Promise<PreparedRun> {
      checkOpen();
      checkRunRequest(backend, op, method, inputs);
      const own = inputs.map((t) => Tensor.fromData(t.data.slice(), t.shape));
      let out: Tensor | undefined;
      return preparedRun('cpu', {
        outputShape: opOutputShape(op),
        clock: 'wall',
        execute: async () => {
          checkOpen();
          out = compute(op, method, own);
          return null;
        },
        read: async () => out as Tensor,
        release: () => {
          out = undefined;
        },
      });
    },
    dispose() {
      disposed = true;
    },
  };
  return backend;
}
