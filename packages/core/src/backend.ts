import type { GraphRun } from './graph-run.ts';
import type { Method, OpSpec } from './ops.ts';
import type { Precision } from './precision.ts';
import type { Reason } from './reason.ts';
import type { Tensor } from './tensor.ts';

/**
 * What the interpreter needs of a backend: which methods it can run for an op, and running one.
 * A backend must throw ConvrouteError('UNSUPPORTED_METHOD') for a method it cannot run, never
 * substitute another. `run` and `prepare` validate their request with `checkRunRequest`
 * (run-request.ts): inputs, method, then `checkRun`.
 */
export interface Backend {
  /** e.g. 'cpu' or 'webgpu' */
  readonly name: string;
  /** A short description of the variant (mode, adapter) for reports. */
  readonly description: string;
  /** Optional: the arithmetic its convs run in (a WebGPU backend's f16 precisions); absent: f32. */
  readonly precision?: Precision;
  methodsFor(op: OpSpec): readonly Method[];
  run(op: OpSpec, method: Method, inputs: readonly Tensor[]): Promise<Tensor>;
  /** Optional: does once what every run of this request repeats (validation, uploads, pipelines,
   * scratch), so `execute` can be repeated and timed alone (benchmarks). The same validation and
   * errors as `run`; `read()` after `execute()` is `run`'s result. */
  prepare?(op: OpSpec, method: Method, inputs: readonly Tensor[]): Promise<PreparedRun>;
  /** Optional: a scope for one graph run, inside which the backend may keep what it derived from
   * an input tensor (a GPU upload of the weights) for that tensor's later uses; `close` frees it.
   * Nothing may be kept past `close`: a caller may change a tensor's data between runs. */
  openRunScope?(): RunScope;
  /** Optional: a device-resident graph run (graph-run.ts). With it the interpreter uploads the
   * graph's inputs and constants once, keeps intermediates on the device, frees each after its
   * last use and reads back only the requested outputs. Nothing may outlive `close`. */
  openGraphRun?(): GraphRun;
  /** Optional: refuses (throws) a node before any node of its graph runs, e.g. TOO_LARGE for
   * one that would exceed the backend's memory budget. */
  checkRun?(op: OpSpec, method: Method): void;
  /** Milliseconds spent so far compiling (shader modules, pipelines), in total since creation.
   * The interpreter reads it around each node to report compile time apart from run time: a
   * first call that builds pipelines is not the kernel's speed. Absent: the backend compiles nothing. */
  compileTimeMs?(): number;
  dispose?(): void | Promise<void>;
}

/**
 * One request prepared by Backend.prepare. The inputs' data is taken at prepare time: changing a
 * tensor afterwards does not change what `execute` computes (prepare again for new data).
 */
export interface PreparedRun {
  readonly outputShape: number[];
  /** What the wall clock around `execute` measures: 'queue' = until the device's queue reports the
   * work done (a GPU: dispatch and kernels, no upload or read-back); 'wall' = the call itself (a
   * CPU computes inside it). */
  readonly clock: 'queue' | 'wall';
  /** Computes the output. With `timestamps`, resolves to the device's own time of the work in ms
   * where the device measures it (GPU timestamp queries), else to null. */
  execute(opts?: { timestamps?: boolean }): Promise<number | null>;
  /** The output of the last `execute` (ConvrouteError NOT_EXECUTED before the first, CLOSED after
   * `release`). */
  read(): Promise<Tensor>;
  /** Frees what prepare holds; idempotent. `execute` and `read` throw CLOSED afterwards. */
  release(): void;
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
