import type { Conv2dSpec, ConvMethod, Precision } from '@convroute/core';
import type { BenchResult, Ceilings, PeerResult } from './format.ts';

/** What the parent sends a bench child (one message, over the IPC channel of `fork`). */
export type ChildJob =
  | {
      kind: 'cases';
      backend: 'cpu' | 'webgpu';
      cpuMode: 'exact' | 'fast';
      /** WebGPU's arithmetic (absent: f32). */
      precision?: Precision;
      warmup: number;
      reps: number;
      /** Stop repeating once the samples add up to this (but take at least 3). */
      budgetMs: number;
      /** Check every timed output against the exact reference (conformance's bound). */
      verify: boolean;
      /** Also time convroute's methods by queue completion when GPU timestamps resolve them (a
       * comparison with peers, which have no timestamps). */
      queueToo: boolean;
      cases: JobCase[];
    }
  | { kind: 'ceilings'; reps: number; gemmSizes: number[] };

/** One case: a convroute method, or a peer library (a contender the child was started with). */
export type JobCase = { layer: string; spec: Conv2dSpec } & ({ method: ConvMethod; peer?: undefined } | { peer: string; method?: undefined });

/** The key of a case in messages and retries. */
export const caseKey = (c: { layer: string; method?: string; peer?: string }): string => `${c.layer}|${c.peer === undefined ? c.method : `peer:${c.peer}`}`;

export interface BackendEnv {
  backend: { name: string; description: string; note: string };
  adapter: { info: Record<string, string>; features: string[]; limits: Record<string, number>; profile: string } | null;
}

type Measured<R> = Omit<R, 'attempts' | 'stats' | 'gflops' | 'gbps'>;

/** What a child sends back: its environment once, one message per finished case, then done. */
export type ChildMessage =
  | { type: 'env'; env: BackendEnv }
  | { type: 'result'; result: Measured<BenchResult> }
  | { type: 'peer-result'; result: Measured<PeerResult> }
  | { type: 'ceilings'; ceilings: Ceilings }
  | { type: 'done' };
