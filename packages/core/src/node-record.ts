import type { Method, OpName } from './ops.ts';
import type { Precision } from './precision.ts';
import type { Reason } from './reason.ts';
import type { Tensor } from './tensor.ts';

// What a graph run reports, apart from the interpreter so the device-resident executor
// (device-graph.ts) can build records without importing the interpreter back.

export interface NodeRecord {
  node: string;
  op: OpName;
  method: Method;
  reasons: Reason[];
  backend: string;
  /** The arithmetic the node ran in (the backend's `precision`; 'f32' when it has none). */
  precision: Precision;
  outputShape: number[];
  /** Wall time of the node: compileMs + runMs. */
  timeMs: number;
  /** Of timeMs, the time the backend spent compiling (shaders, pipelines; 0 once cached). */
  compileMs: number;
  /** Of timeMs, everything else. Node by node: uploads, kernels, read-back. Device-resident
   * (Backend.openGraphRun): building the node's dispatches and the queue time of its kernels,
   * from submit to the device reporting them done; no upload or read-back. Rates use this. */
  runMs: number;
  /** Nodes this node's kernels computed too (epilogue fusion); their records say `fusedInto`. */
  fused?: string[];
  /** The node whose kernels computed this one (its times are 0). */
  fusedInto?: string;
}

export interface RunResult {
  outputs: Record<string, Tensor>;
  records: NodeRecord[];
}
