import type { Activation } from './attrs.ts';
import type { Method, OpSpec } from './ops.ts';
import type { Tensor } from './tensor.ts';

/** A value a backend's graph run holds on its device (a GPU buffer); opaque to the interpreter. */
export interface DeviceValue {
  readonly shape: readonly number[];
}

/** Work a node's kernels may fold in after computing the op (epilogue fusion). */
export interface NodeEpilogue {
  /** Added elementwise to the op's output (already rounded, bias and activation applied), the
   * sum rounded once: exactly a conv node followed by an `add` node of the same shape. */
  residual?: DeviceValue;
  /** Applied after the residual add (a relu or clip node after the add): needs `residual`. */
  activation?: Activation;
}

/**
 * One graph run on a device (Backend.openGraphRun): an allocator plus a program, in the manner of
 * tinygrad's and jax-js's device runtimes. Values stay on the device between nodes; only `read`
 * copies one back. `add` appends a node's kernels to the program (validated as `Backend.run`
 * validates, compiled, its output allocated) without running them; `execute` runs them in order.
 * A value freed with `free` may give its memory to a later node's output or scratch: the program
 * runs in order, so this is safe as long as the freed value is not used by a node added later.
 */
export interface GraphRun {
  /** Copies a host tensor to the device; its data is read at this call only. */
  upload(t: Tensor): DeviceValue;
  /** Overwrites an uploaded value's data with a tensor of its shape (a prepared graph's feeds). */
  write(v: DeviceValue, t: Tensor): void;
  /** Whether `add` can fold this epilogue into the kernels of `method` for `op`. */
  canFuse(op: OpSpec, method: Method, epilogue: keyof NodeEpilogue): boolean;
  /** Appends one node: the same validation and errors as `Backend.run` (on the inputs' shapes),
   * its kernels compiled, its output allocated. Computes nothing until `execute`. */
  add(op: OpSpec, method: Method, inputs: readonly DeviceValue[], epilogue?: NodeEpilogue): Promise<DeviceValue>;
  /** Runs the nodes added since the last `execute` ('pending'), or every node again ('all': a
   * prepared graph's replay). Resolves when the device has finished them. */
  execute(which: 'pending' | 'all'): Promise<void>;
  /** Optional: finishes compiling every kernel added so far (drivers that compile at the first
   * dispatch), so a prepared graph's first `execute` is not a compile. */
  warmUp?(): Promise<void>;
  /** No node added later reads `v`: its memory may serve later nodes. */
  free(v: DeviceValue): void;
  /** Copies a value back to the host. */
  read(v: DeviceValue): Promise<Tensor>;
  /** Frees everything the run holds; idempotent. Any later call throws CLOSED. */
  close(): void;
}
