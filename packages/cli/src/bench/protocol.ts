import type { Conv2dSpec, ConvMethod } from '@convroute/core';
import type { BenchResult, Ceilings, Clock } from './format.ts';

/** What the parent sends a bench child (one message, over the IPC channel of `fork`). */
export type ChildJob =
  | {
      kind: 'cases';
      backend: 'cpu' | 'webgpu';
      cpuMode: 'exact' | 'fast';
      warmup: number;
      reps: number;
      /** Stop repeating once the samples add up to this (but take at least 3). */
      budgetMs: number;
      cases: JobCase[];
    }
  | { kind: 'ceilings'; reps: number };

export interface JobCase {
  layer: string;
  method: ConvMethod;
  spec: Conv2dSpec;
}

export interface BackendEnv {
  backend: { name: string; description: string; note: string };
  adapter: { info: Record<string, string>; features: string[]; limits: Record<string, number>; profile: string } | null;
}

/** What a child sends back: its environment once, one message per finished case, then done. */
export type ChildMessage =
  | { type: 'env'; env: BackendEnv }
  | { type: 'result'; result: Omit<BenchResult, 'attempts' | 'stats' | 'gflops' | 'gbps'> & { clock?: Clock } }
  | { type: 'ceilings'; ceilings: Ceilings }
  | { type: 'done' };
