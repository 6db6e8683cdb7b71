import type { Method, OpSpec } from './ops.ts';
import type { Reason } from './reason.ts';
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
  /** Optional: a scope for one graph run, inside which the backend may keep what it derived from
   * an input tensor (a GPU upload of the weights) for that tensor's later uses; `close` frees it.
   * Nothing may be kept past `close`: a caller may change a tensor's data between runs. */
  openRunScope?(): RunScope;
  /** Optional: refuses (throws) a node before any node of its graph runs, e.g. TOO_LARGE for
   * one that would exceed the backend's memory budget. */
  checkRun?(op: OpSpec, method: Method): void;
  /** Milliseconds spent so far compiling (shader modules, pipelines), in total since creation.
   * The interpreter reads it around each node to report compile time apart from run time: a
   * first call that builds pipelines is not the kernel's speed. Absent: the backend compiles nothing. */
  compileTimeMs?(): number;
  dispose?(): void | Promise<void>;
}

/** A backend's run scope (Backend.openRunScope): `run` as the backend's, then `close` once. */
export interface RunScope {
  run(op: OpSpec, method: Method, inputs: readonly Tensor[]): Promise<Tensor>;
  close(): void;
}

export interface Decision {
  method: Method;
  reasons: Reason[];
}
