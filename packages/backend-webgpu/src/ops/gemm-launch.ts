import { ConvrouteError, type Precision } from '@convroute/core';
import type { AdapterFamily } from '../adapter-family.ts';
import { GEMM_PARAMS, GEMM_PARAMS_SPLIT_X, type GemmConfig, gemmKey, gemmWgsl } from '../kernels/gemm.ts';
import type { Dispatch, GpuArray, GpuRuntime } from '../runtime.ts';
import { ceilDiv, packParams } from '../wgsl.ts';

/** Sizes and operands of one (batched) GEMM launch; see GEMM_PARAMS for the addressing. */
export interface GemmLaunch {
  m: number;
  n: number;
  k: number;
  batch: number;
  ldc?: number;
  aPeriod?: number;
  strideA: number;
  strideB: number;
  strideC: number;
  aBase?: number;
  bBase?: number;
  cBase?: number;
  biasBase?: number;
  a: GpuArray;
  b: GpuArray;
  c: GpuArray;
  bias?: GpuArray;
  /** With GemmConfig.residual: added to C at C's index in the epilogue. */
  residual?: GpuArray;
}

export type GemmTuning = Pick<GemmConfig, 'tm' | 'tn' | 'wgX' | 'wgY' | 'variant' | 'bk' | 'scalarAcc' | 'subgroupA' | 'subgroupB' | 'vecA' | 'doubleBuffer'>;

/** Shortest reduction that gets the subgroup tiles by default: below it the 8x8 block won on
 * lavapipe, from it on the subgroup blocks mostly did (bench/results/lavapipe-kernel-tuning.md,
 * "Shortest reduction"). */
export const SUBGROUP_MIN_K = 32;

/**
 * Rows per lane of the subgroup block: 12 (48 accumulators spill less than 16's 64), unless that
 * pads M by more than 5%, then 8 when it divides M; 12 led on every conv-shaped GEMM measured on
 * lavapipe, 8 where 12 padded (bench/results/lavapipe-kernel-tuning.md, "Rows per lane").
 */
export function subgroupRows(m: number): number {
  const pad12 = Math.ceil(m / 12) * 12 - m;
  return pad12 <= 0.05 * m || m % 8 !== 0 ? 12 : 8;
}

/**
 * The default register block: 8x8 outputs per invocation read straight from storage, 4x4
 * invocations per workgroup, scalar accumulators: the fastest measured on lavapipe, where
 * workgroup-memory staging pays for expensive barriers (bench/results/lavapipe-kernel-tuning.md,
 * "Register block"). Narrow problems get smaller blocks so fewer lanes idle.
 *
 * With subgroups and a long enough reduction (SUBGROUP_MIN_K), one subgroup per workgroup: when
 * the broadcast-B kernel can run (`sharedB`: A read as vec4, so K a multiple of 4 and A not
 * transposed; B as vec4 from a buffer, so N a multiple of 4, or through the im2col map),
 * B shared by broadcast with 4 rows x 16 columns per lane (subgroupB, faster than subgroupA on
 * every GEMM measured: same file, "Broadcast-B block"), 2 rows when M < 32; otherwise A shared by
 * broadcast with 12x4 (or 8x4) outputs per lane (subgroupA).
 */
function defaultGemmTuning(m: number, n: number, subgroupSize: number | null = null, k = Number.POSITIVE_INFINITY, sharedB = false): GemmTuning {
  if (subgroupSize !== null && m >= 16 && k >= SUBGROUP_MIN_K) {
    if (sharedB && subgroupSize % 4 === 0)
      return { tm: m >= 32 ? 4 : 2, tn: 16, wgX: subgroupSize, wgY: 1, variant: 'register', bk: 8, scalarAcc: true, subgroupB: subgroupSize, vecA: true };
    return { tm: subgroupRows(m), tn: 4, wgX: subgroupSize, wgY: 1, variant: 'register', bk: 8, scalarAcc: true, subgroupA: subgroupSize };
  }
  const tm = m >= 8 ? 8 : m >= 4 ? 4 : m >= 2 ? 2 : 1;
  const tn = n >= 8 ? 8 : 4;
  return { tm, tn, wgX: 4, wgY: 4, variant: 'register', bk: 8, scalarAcc: true };
}

/** What a GEMM launch's operands allow, for choosing its variant. */
export interface GemmOperandsShape {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  /** B can be read as vec4 (a buffer, not transposed, N and its offsets multiples of 4). */
  vecB: boolean;
  source: GemmConfig['bSource']['kind'];
  /** Independent GEMMs in the launch (batch, image-groups): more tiles to fill the GPU. */
  batch?: number;
}

/** What the defaults depend on about the adapter (GpuRuntime has both). */
export interface GemmTarget {
  subgroupSize: number | null;
  family: AdapterFamily;
}

/**
 * The tiled workgroup-memory GEMM's tile for a real GPU (kernels/gemm-tiled.ts): the largest
 * block tile that still gives at least 132 workgroups (an H200's SM count). On an H200
 * (bench/src/gpu-tune.ts; bench/results/h200-gemm-tune.md) 128x128 with 8x8 per invocation, K
 * tiles of 8, double-buffered led on the large GEMMs; below that, 64x64 (4x4 per invocation, 256
 * invocations) and 32x32 (4x4, 64 invocations) tie or lead on the conv-shaped ones.
 */
export function tiledGemmTuning(m: number, n: number, batch: number, k: number): GemmTuning {
  const vecA = k % 4 === 0;
  const tiles = (bm: number, bn: number) => Math.ceil(m / bm) * Math.ceil(n / bn) * batch;
  if (tiles(128, 128) >= 132) return { tm: 8, tn: 8, wgX: 16, wgY: 16, variant: 'tiled', bk: 8, doubleBuffer: true, vecA };
  if (tiles(64, 64) >= 132) return { tm: 4, tn: 4, wgX: 16, wgY: 16, variant: 'tiled', bk: 8, doubleBuffer: true, vecA };
  return { tm: 4, tn: 4, wgX: 8, wgY: 8, variant: 'tiled', bk: 8, doubleBuffer: true, vecA };
}

/**
 * The tuning one GEMM launch gets: the defaults for its shape and the adapter, then the caller's
 * overrides; vec4 A only where A can be read so. The conv plans and the gemm op both ask here.
 * NVIDIA adapters get the tiled kernel; software ones (and other GPUs, unmeasured) the kernels
 * measured on lavapipe.
 */
export function gemmTuningFor(target: GemmTarget, s: GemmOperandsShape, override?: Partial<GemmTuning>, precision: Precision = 'f32'): GemmTuning {
  const { subgroupSize } = target;
  if (precision !== 'f32') {
    // The f16 precisions have one GEMM form (gemm.ts): the scalar register block; tile sizes may
    // be tuned, any other override would be dropped, so it is refused.
    const other = Object.keys(override ?? {}).filter((k) => !['tm', 'tn', 'wgX', 'wgY'].includes(k));
    if (other.length > 0)
      throw new ConvrouteError(
        'INVALID_ARGUMENT',
        'tuning.gemm',
        other,
        `precision ${precision} runs the scalar register GEMM: only tm, tn, wgX, wgY can be tuned`,
      );
    return { ...defaultGemmTuning(s.m, s.n), ...override, vecA: false };
  }
  const buffer = s.source === 'buffer';
  // A tiled override (tests on lavapipe force it) starts from the same tiles as on NVIDIA.
  // On NVIDIA a buffer B that cannot be read as vec4 (N % 4 != 0) keeps the subgroup-A kernel. Not
  // settled: the tune run's timestamps were too coarse to rank the kernels at such shapes
  // (bench/results/h200-gemm-tune.md, 512x49x4608); the H200 bench ran with this.
  const nvidiaTiled = target.family === 'nvidia' && !(buffer && !s.vecB && !s.transA && subgroupSize !== null && s.k >= SUBGROUP_MIN_K);
  if ((override?.variant ?? (nvidiaTiled ? 'tiled' : undefined)) === 'tiled') {
    const t = { ...tiledGemmTuning(s.m, s.n, s.batch ?? 1, s.k), ...override };
    return { ...t, vecA: !s.transA && s.k % 4 === 0 && (t.vecA ?? false) };
  }
  const a4 = !s.transA && s.k % 4 === 0 && (buffer ? s.vecB : true);
  // The broadcast-B kernel reads A as vec4 and B as vec4 from a buffer or through the im2col map;
  // the broadcast-A kernel only from a buffer. Through the im2col map only on 8-wide subgroups,
  // where it was measured (lavapipe): on SwiftShader (4-wide) the implicit broadcast-B kernel did
  // not finish (dawn.node timed out; Chromium lost the device), which is not understood yet.
  const sharedB = a4 && (buffer || subgroupSize === 8);
  const defaults = defaultGemmTuning(s.m, s.n, !s.transA && (buffer || sharedB) ? subgroupSize : null, s.k, sharedB);
  const t = { ...defaults, ...override };
  // The shared variant has no vec4 A path.
  return { ...t, vecA: a4 && t.variant === 'register' && (override?.vecA ?? defaults.vecA ?? false) };
}

/** The subgroup paths only where their preconditions hold (tuning overrides may break them). */
function checkSubgroup(cfg: GemmConfig): GemmConfig {
  const okA =
    cfg.subgroupA && cfg.variant === 'register' && cfg.wgX === cfg.subgroupA && cfg.wgY === 1 && !cfg.transA && !cfg.vecA && cfg.bSource.kind === 'buffer';
  const okB =
    cfg.subgroupB &&
    cfg.subgroupB % 4 === 0 &&
    cfg.variant === 'register' &&
    cfg.wgX === cfg.subgroupB &&
    cfg.wgY === 1 &&
    !cfg.transA &&
    !cfg.transB &&
    cfg.vecA &&
    cfg.vecB === (cfg.bSource.kind === 'buffer');
  // vec4 A through the im2col source exists only in the broadcast-B and tiled kernels.
  const vecA = cfg.vecA && (cfg.bSource.kind === 'buffer' || Boolean(okB) || cfg.variant === 'tiled');
  return { ...cfg, vecA, subgroupA: okA ? cfg.subgroupA : undefined, subgroupB: okB ? cfg.subgroupB : undefined };
}

export async function gemmDispatch(rt: GpuRuntime, config: GemmConfig, l: GemmLaunch): Promise<Dispatch> {
  const checked = checkSubgroup(config);
  // subgroupB: the lanes of the one-subgroup workgroup own rows, and share the tn columns.
  const perWgX = checked.subgroupB ? checked.tn : checked.tn * checked.wgX;
  const perWgY = checked.subgroupB ? checked.tm * checked.wgX : checked.tm * checked.wgY;
  const gridX = ceilDiv(l.n, perWgX);
  // A grid wider than the device allows (a 2048x2048 pointwise: 131,072 column blocks) is split
  // into x chunks by the runtime; only then does the kernel carry the xBase uniform.
  const cfg = gridX > rt.maxWorkgroupsPerDimension ? { ...checked, splitX: true } : checked;
  if (cfg.vecB && (l.n % 4 !== 0 || (l.bBase ?? 0) % 4 !== 0 || l.strideB % 4 !== 0 || cfg.transB || cfg.bSource.kind !== 'buffer')) {
    throw new Error(`internal: vec4 B loads need aligned operands (${gemmKey(cfg)})`);
  }
  if (cfg.vecA && (cfg.transA || l.k % 4 !== 0 || (l.aBase ?? 0) % 4 !== 0 || l.strideA % 4 !== 0 || cfg.variant === 'shared')) {
    throw new Error(`internal: vec4 A loads need aligned operands (${gemmKey(cfg)})`);
  }
  const pipeline = await rt.pipeline(gemmKey(cfg), () => gemmWgsl(cfg));
  const values = {
    M: l.m,
    N: l.n,
    K: l.k,
    ldc: l.ldc ?? l.n,
    aPeriod: l.aPeriod ?? 1,
    strideA: l.strideA,
    strideB: l.strideB,
    strideC: l.strideC,
    aBase: l.aBase ?? 0,
    bBase: l.bBase ?? 0,
    cBase: l.cBase ?? 0,
    biasBase: l.biasBase ?? 0,
    ...(cfg.bSource.kind === 'im2col' ? { loopC: cfg.bSource.cInG, loopKH: cfg.bSource.kH, loopKW: cfg.bSource.kW } : { loopC: 0, loopKH: 0, loopKW: 0 }),
  };
  const buffers = [l.a, l.b, l.c];
  if (cfg.bias !== 'none') {
    if (!l.bias) throw new Error('internal: bias buffer missing');
    buffers.push(l.bias);
  }
  if (cfg.residual) {
    if (!l.residual) throw new Error('internal: residual buffer missing');
    buffers.push(l.residual);
  }
  return {
    pipeline,
    grid: [gridX, ceilDiv(l.m, perWgY), l.batch],
    flopsPerWorkgroup: 2 * l.k * perWgX * perWgY,
    buffers,
    splitsX: cfg.splitX === true,
    params: (yBase, zBase, xBase) =>
      cfg.splitX ? packParams(GEMM_PARAMS_SPLIT_X, { ...values, yBase, zBase, xBase }) : packParams(GEMM_PARAMS, { ...values, yBase, zBase }),
  };
}
