import type { Method, OpSpec } from './ops.ts';
import type { Tensor } from './tensor.ts';

/**
 * What the interpreter needs of a backend: which methods it can run for an op, and running one.
 * A backend must throw ConvrouteError('UNSUPPORTED_METHOD') for a method it cannot run, never
 * substitute another. Inputs are validated by the backend with `checkOpInputs`.
 */
export interface Backend {
  /** e.g. 'cpu' or 'webgpu' */
  readonly name: string;
  /** A short description of the variant (mode, adapter) for reports. */
  readonly description: string;
  methodsFor(op: OpSpec): readonly Method[];
  run(op: OpSpec, method: Method, inputs: readonly Tensor[]): Promise<Tensor>;
  /** Milliseconds spent so far compiling (shader modules, pipelines), in total since creation.
   * The interpreter reads it around each node to report compile time apart from run time: a
   * first call that builds pipelines is not the kernel's speed. Absent: the backend compiles nothing. */
  compileTimeMs?(): number;
  dispose?(): void | Promise<void>;
}

/** One reason a routing decision was taken: the rule, whether it held, and what it compared. */
export interface Reason {
  rule: string;
  holds: boolean;
  detail: string;
  values?: Record<string, unknown>;
}

export interface Decision {
  method: Method;
  reasons: Reason[];
}
