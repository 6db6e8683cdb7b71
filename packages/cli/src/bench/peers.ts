import type { Backend, Conv2dSpec, PreparedRun, Tensor } from '@convroute/core';

/**
 * A peer library timed beside convroute's methods on the same layers and inputs (the private bench
 * package plugs in tfjs and onnxruntime). A bench child is started with its peers (runBenchChild);
 * the parent names which to run (BenchOptions.peers). The harness times `prepare`'s run as it
 * times a method's, and verifies its `read()` against the exact reference when asked.
 */
export interface BenchPeer {
  /** e.g. 'tfjs-webgpu': unique among a child's peers. */
  readonly name: string;
  /** Once per child, after convroute's backend is open (a GPU peer shares its adapter). */
  open(ctx: { backend: Backend; gpu: GPU | null }): Promise<void>;
  /** null when the peer has an op for this conv, else why not (recorded as 'unsupported'). */
  rejection(spec: Conv2dSpec): string | null;
  /** Builds the conv outside the timed region; `execute` must wait until the work is done. */
  prepare(spec: Conv2dSpec, inputs: readonly Tensor[]): Promise<PreparedRun>;
  close?(): void | Promise<void>;
}
