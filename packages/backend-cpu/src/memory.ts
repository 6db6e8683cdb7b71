import {
  ConvrouteError,
  conv2dOutputShape,
  type Method,
  type OpSpec,
  opOutputShape,
  shapeSize,
  type WinogradMethod,
  winogradTiles,
  winogradTransform,
} from '@convroute/core';
import { type ConvGeometry, convGeometry } from './conv/geometry.ts';
import { MR, NR, roundUpTo } from './gemm/pack.ts';

/** Bytes a node may allocate by default (output + scratch): 2 GiB. Also keeps every output
 * writable as one .npy (at most 4 GiB in one typed array). README, "Memory budget". */
export const DEFAULT_MEMORY_BUDGET = 2 ** 31;
/** The scratch a tiled conv GEMM aims for per tile (smaller when the budget leaves less). */
export const DEFAULT_TILE_BYTES = 32 * 2 ** 20;

export type Numerics = 'exact' | 'fast' | 'abs';

/** Scratch one GEMM call of the driver allocates: packed A and B (float64), then the sums (two
 * float64 arrays in exact/abs mode, one float32 in fast mode), on MR x NR padded extents. */
export function gemmScratchBytes(m: number, n: number, k: number, mode: Numerics): number {
  const mp = roundUpTo(m, MR);
  const np = roundUpTo(n, NR);
  return 8 * (mp + np) * k + (mode === 'fast' ? 4 : 16) * mp * np;
}

/** How a conv GEMM (pointwise, im2col-gemm) walks an image: `rows` output rows per tile. */
export interface ConvGemmTiling {
  rows: number;
  /** Bytes of scratch a tile allocates (im2col columns plus one group's GEMM). */
  scratchBytes: number;
  /** Whether X feeds the GEMM in place (pointwise, stride 1, no padding) or through im2col. */
  inPlace: boolean;
}

export type ConvGemmMethod = 'pointwise' | 'im2col-gemm';

/** Pointwise with stride 1 and no padding reads X [C_in, H*W] in place; otherwise im2col. */
export function pointwiseInPlace(g: ConvGeometry, method: ConvGemmMethod): boolean {
  return method === 'pointwise' && g.sH === 1 && g.sW === 1 && g.top === 0 && g.left === 0 && g.hOut === g.h && g.wOut === g.w;
}

function tileBytes(g: ConvGeometry, inPlace: boolean, mode: Numerics, rows: number): number {
  const K = g.cInG * g.kH * g.kW;
  const Lc = rows * g.wOut;
  return (inPlace ? 0 : 4 * g.groups * K * Lc) + gemmScratchBytes(g.cOutG, Lc, K, mode);
}

/** The most output rows per tile whose scratch fits `limit` (at least 1: the budget check
 * refuses a single row that does not fit). */
export function convGemmTiling(g: ConvGeometry, method: ConvGemmMethod, mode: Numerics, limit: number): ConvGemmTiling {
  const inPlace = pointwiseInPlace(g, method);
  const one = tileBytes(g, inPlace, mode, 1);
  // Scratch is affine in the rows (up to the NR padding): a linear guess, then step down.
  const perRow = Math.max(1, tileBytes(g, inPlace, mode, 2) - one);
  let rows = Math.max(1, Math.min(g.hOut, 1 + Math.floor((limit - one) / perRow)));
  while (rows > 1 && tileBytes(g, inPlace, mode, rows) > limit) rows--;
  return { rows, scratchBytes: tileBytes(g, inPlace, mode, rows), inPlace };
}

/** The tile scratch limit under a budget: DEFAULT_TILE_BYTES, or what the output leaves. */
export function tileLimit(outputBytes: number, budget: number): number {
  return Math.min(DEFAULT_TILE_BYTES, Math.max(0, budget - outputBytes));
}

/** Winograd's fast-mode scratch: the transformed filters, one image-group's transformed inputs
 * and channel sums, and one tile point's GEMM. */
function winogradScratchBytes(method: WinogradMethod, g: ConvGeometry): number {
  const { alpha } = winogradTransform(method);
  const { tilesH, tilesW } = winogradTiles(method, g.hOut, g.wOut);
  const t = tilesH * tilesW;
  const a2 = alpha * alpha;
  return 4 * a2 * (g.cOut * g.cInG + g.cInG * t + g.cOutG * t) + gemmScratchBytes(g.cOutG, t, g.cInG, 'fast');
}

/** Output and scratch bytes of one node on the CPU, for the memory budget. */
export function cpuNodeBytes(op: OpSpec, method: Method, mode: Numerics, budget: number): { output: number; scratch: number } {
  const output = 4 * shapeSize(opOutputShape(op));
  switch (op.op) {
    case 'im2col':
      return { output, scratch: 0 };
    case 'gemm':
    case 'matmul':
      // matmul runs one gemm per batch index, reusing nothing: the scratch of one at a time
      return { output, scratch: gemmScratchBytes(op.spec.m, op.spec.n, op.spec.k, mode) };
    case 'conv2d': {
      if (method === 'pointwise' || method === 'im2col-gemm') {
        return { output, scratch: convGemmTiling(convGeometry(op.spec), method, mode, tileLimit(output, budget)).scratchBytes };
      }
      if ((method === 'winograd-2x3' || method === 'winograd-4x3') && mode === 'fast')
        return { output, scratch: winogradScratchBytes(method, convGeometry(op.spec)) };
      if (mode === 'fast') return { output, scratch: 0 };
      // exact: a float64 sum and absolute sum per output (direct, transposed) or per plane
      const [, , hOut, wOut] = conv2dOutputShape(op.spec);
      return { output, scratch: 16 * (method === 'depthwise' ? hOut * wOut : output / 4) };
    }
    default:
      return { output, scratch: 0 };
  }
}

const MiB = (b: number) => (b < 2 ** 20 ? `${b} bytes` : `${(b / 2 ** 20).toFixed(1)} MiB`);

/** Refuses (TOO_LARGE) a node whose output plus scratch would exceed the budget. */
export function checkMemoryBudget(op: OpSpec, method: Method, mode: Numerics, budget: number): { output: number; scratch: number } {
  const need = cpuNodeBytes(op, method, mode, budget);
  const total = need.output + need.scratch;
  if (total > budget) {
    const field = op.op === 'conv2d' ? 'conv2d.output' : `${op.op}.output`;
    throw new ConvrouteError(
      'TOO_LARGE',
      field,
      opOutputShape(op),
      `${method} (${mode}) needs ${MiB(need.output)} of output + ${MiB(need.scratch)} of scratch = ${MiB(total)}, over the memory budget of ${MiB(budget)} (option memoryBudget, CLI --memory-budget)`,
    );
  }
  return need;
}

/** A budget option: a positive safe integer of bytes. */
export function checkBudgetOption(field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
    throw new ConvrouteError('INVALID_ARGUMENT', field, v, 'must be a positive integer number of bytes');
  }
  return v;
}
