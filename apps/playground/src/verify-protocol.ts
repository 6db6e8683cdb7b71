import type { Conv2dSpec } from '@convroute/core';

/** Messages between the page and the verification worker (verify-worker.ts). Float32Arrays are
 * transferred, not copied. */
export interface VerifyRequest {
  id: number;
  spec: Conv2dSpec;
  /** x, w and (when spec.bias) b, row-major */
  inputs: Float32Array[];
  /** The WebGPU output to judge. */
  actual: Float32Array;
  label: string;
  /** The conv method that computed `actual`: its descriptor's error model judges it (Winograd's
   * own bound; absent: the reordering bound of docs/error-model.md). */
  method?: string;
  /** Require bitwise equality (small-integer data, where every summation order is exact). */
  bitwise?: boolean;
}

export interface VerifyVerdict {
  ok: boolean;
  /** 'bound' (docs/error-model.md) */
  mode: 'bound' | 'bitwise';
  elements: number;
  failures: number;
  /** Largest |error| / bound among elements within the bound. */
  maxRatio: number;
  /** Largest |actual - reference| over all elements. */
  maxError: number;
  /** The worst element's bound, for the table. */
  worstBound: number;
  message: string;
  /** Time the exact CPU reference took, ms. */
  referenceMs: number;
}

export type VerifyResponse = { id: number; verdict: VerifyVerdict } | { id: number; error: string };
