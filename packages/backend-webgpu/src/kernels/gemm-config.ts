import type { Activation, Conv2dGeometry, Precision } from '@convroute/core';

// GEMM code generation's inputs, apart from the generators (gemm.ts and its variant files) so
// that each variant file reads the config without importing gemm.ts back.

/** Where GEMM's B operand comes from: a [K, N] buffer, or a conv input read through the im2col
 * index map (implicit GEMM: B[k, l] = x[c, oh*sH - top + p*dH, ow*sW - left + q*dW], k = (c, p, q),
 * l = (oh, ow) - nothing materialised). */
export type GemmBSource =
  | { kind: 'buffer' }
  | ({ kind: 'im2col' } & Pick<Conv2dGeometry, 'cInG' | 'h' | 'w' | 'kH' | 'kW' | 'sH' | 'sW' | 'top' | 'left' | 'dH' | 'dW' | 'wOut'>);

/** Every input to GEMM code generation; `gemmKey` serialises all of it for the pipeline cache. */
export interface GemmConfig {
  /** Outputs per invocation: tm rows x tn columns (tn a multiple of 4, vec4 accumulators). */
  tm: number;
  tn: number;
  wgX: number;
  wgY: number;
  /** 'register': each invocation reads its operands straight from storage (fast on llvmpipe,
   * where barriers are expensive: docs/webgpu-on-linux.md); 'shared': tiles staged in workgroup memory;
   * 'tiled': the real-GPU kernel (gemm-tiled.ts): vec4 workgroup-memory tiles, strided register
   * blocks, optional double buffering. */
  variant: 'register' | 'shared' | 'tiled';
  /** Shared and tiled variants: depth of a K tile. */
  bk: number;
  /** Tiled variant: two halves of workgroup memory, next tile fetched while this one is used. */
  doubleBuffer?: boolean;
  transA: boolean;
  transB: boolean;
  /** Read B as vec4 along N: needs a buffer source, !transB, and N, strides, offsets % 4 == 0. */
  vecB: boolean;
  /** Register variant: read A as vec4 along K, four k per iteration (needs !transA, and K,
   * strideA, aBase % 4 == 0). */
  vecA?: boolean;
  /** Register variant: accumulate in scalar f32 variables instead of vec4s. llvmpipe maps
   * invocations to SIMD lanes; there scalar FMA chains ran faster than vec4 ones
   * (bench/results/lavapipe-kernel-tuning.md, "FMA chains under llvmpipe"). */
  scalarAcc?: boolean;
  /** Register variant, buffer B, !transA, !vecA: one workgroup is one subgroup of this size
   * (wgX = size, wgY = 1). Each lane loads A[row, k0 + lane] for its block's rows and the values
   * reach every lane by subgroupBroadcast: one load per `size` k-steps instead of one per step.
   * On llvmpipe every load is a bounds-checked loop over lanes, uniform addresses too, costing
   * 11-17 FMAs' time (README, "Why loads decide everything on llvmpipe"): loads bound the GEMM. */
  subgroupA?: number;
  /** Register variant, vec4 A, B as vec4 from a buffer or through the im2col map, no transposes:
   * one workgroup is one subgroup of this size whose lanes own tm rows each (size * tm rows) and
   * share tn columns; each lane loads B[k0 + lane, cols] once per `size` k-steps and the rows reach
   * every lane by subgroupBroadcast, while A is read as vec4 along K (kernels/gemm-subgroup-b.ts). */
  subgroupB?: number;
  /** The grid is wider than maxComputeWorkgroupsPerDimension: the runtime splits x into chunks
   * and the kernel adds the chunk's `xBase` uniform to wid.x. Set by the launch only then. */
  splitX?: boolean;
  /** Bias indexed by output row (conv: channel) or column (gemm op). */
  bias: 'none' | 'row' | 'col';
  activation: Activation;
  /** Epilogue fusion: add R (binding after the bias, C's layout) to each activated output, then
   * this activation. */
  residual?: Activation;
  bSource: GemmBSource;
  /** f16 storage (A, B, bias) and, for 'f16', f16 products and sums (f16.ts); absent: f32. Only
   * the register kernel with scalar accumulators, scalar loads and no subgroups has f16 forms. */
  precision?: Precision;
}
