import {
  type Activation,
  type Conv2dSpec,
  ConvrouteError,
  describeBindingExcess,
  im2colRowBytes,
  maxBindingBytes,
  methodBindingExcess,
  type Precision,
  packedWeightLanes,
} from '@convroute/core';
import { type ConvGeometry, convGeometry } from '../kernels/conv-geometry.ts';
import { type DepthwiseConfig, depthwiseBlocked, depthwiseKey, depthwiseWgsl } from '../kernels/depthwise.ts';
import { type DirectConfig, directBlocks, directKey, directWgsl, packDirectWeights } from '../kernels/direct.ts';
import type { GemmConfig } from '../kernels/gemm.ts';
import { IM2COL_PARAMS, IM2COL_VEC, IM2COL_WG, im2colKey, im2colWgsl } from '../kernels/im2col.ts';
import { packTransposedWeights, type TransposedConfig, transposedBlocks, transposedKey, transposedTiles, transposedWgsl } from '../kernels/transposed.ts';
import type { Dispatch, GpuArray, GpuRuntime } from '../runtime.ts';
import { CONV_LOOP_PARAMS, ceilDiv, packParams } from '../wgsl.ts';
import { gemmDispatch, gemmTuningFor } from './gemm-launch.ts';
import type { KernelTuning } from './tuning.ts';

/** Operands of a conv on the GPU; `weight(layout, pack)` returns the weights in a kernel's layout. */
export interface ConvOperands {
  x: GpuArray;
  weight: (layout: string, pack?: (w: Float32Array) => Float32Array) => GpuArray;
  bias?: GpuArray;
  y: GpuArray;
  /** Added to y in the epilogue (after bias and activation), same layout as y, then
   * `residualActivation` (default none). */
  residual?: GpuArray;
  residualActivation?: Activation;
  tuning?: KernelTuning;
  /** f16 precisions: x, the weights and the bias are binary16 arrays (the backend uploads them
   * so); absent: f32. */
  precision?: Precision;
}

/** Scratch for a gather of `count` stored values in the operands' storage type. */
const allocStored = (rt: GpuRuntime, count: number, o: ConvOperands) => ((o.precision ?? 'f32') === 'f32' ? rt.alloc(count) : rt.allocHalf(count));

export interface ConvPlan {
  dispatches: Dispatch[];
  /** Scratch and packed operands to release after the run. */
  temps: GpuArray[];
}

/** ExecuTorch's Conv2dGemm.cpp tiles its im2col scratch under 16 MiB. */
export const DEFAULT_IM2COL_BUDGET = 16 * 2 ** 20;

/** The epilogue's activation after the residual add, or undefined without a residual. */
export const postOf = (o: ConvOperands): Activation | undefined => (o.residual ? (o.residualActivation ?? { kind: 'none' }) : undefined);

/** Loop trip counts passed as uniforms (see GEMM_PARAMS). */
const loops = (g: ConvGeometry) => ({ loopC: g.cInG, loopKH: g.kH, loopKW: g.kW });

const withBias = (spec: Conv2dSpec) => (spec.bias ? 'row' : 'none') as GemmConfig['bias'];

function gemmConfig(
  rt: GpuRuntime,
  spec: Conv2dSpec,
  m: number,
  n: number,
  k: number,
  vec4B: boolean,
  bSource: GemmConfig['bSource'],
  t: KernelTuning | undefined,
  batch: number,
  residual: Activation | undefined,
  precision: Precision = 'f32',
): GemmConfig {
  // The f16 GEMM reads B as scalars (gemm.ts).
  const vecB = vec4B && precision === 'f32';
  return {
    ...gemmTuningFor(rt, { m, n, k, transA: false, vecB, source: bSource.kind, batch }, t?.gemm, precision),
    transA: false,
    transB: false,
    vecB,
    bias: withBias(spec),
    activation: spec.activation,
    residual,
    bSource,
    ...(precision === 'f32' ? {} : { precision }),
  };
}

function implicitSource(g: ConvGeometry): GemmConfig['bSource'] {
  return { kind: 'im2col', cInG: g.cInG, h: g.h, w: g.w, kH: g.kH, kW: g.kW, sH: g.sH, sW: g.sW, top: g.top, left: g.left, dH: g.dH, dW: g.dW, wOut: g.wOut };
}

/**
 * pointwise: y[n] = W[C_out, C_in] @ x[n][C_in, H*W]. A strided 1x1 first gathers its subsampled
 * input into a [N, C_in, H_out*W_out] scratch (no larger than x), so the GEMM keeps its vec4 B
 * loads and subgroup-shared A: ResNet-18's stride-2 downsample layers ran 2.7-3x faster that way
 * than reading x through the index map (bench/results/lavapipe-3suites.json, pointwise against
 * im2col-gemm).
 */
export async function pointwisePlan(rt: GpuRuntime, spec: Conv2dSpec, o: ConvOperands): Promise<ConvPlan> {
  const g = convGeometry(spec);
  const l = g.hOut * g.wOut;
  // X is the GEMM's B in place only without stride or padding; else gathered (padding reads 0).
  const plain = g.sH === 1 && g.sW === 1 && g.hOut === g.h && g.wOut === g.w && g.top === 0 && g.left === 0;
  const scratch = plain ? undefined : allocStored(rt, g.n * g.cIn * l, o);
  const cfg = gemmConfig(rt, spec, g.cOut, l, g.cIn, l % 4 === 0, { kind: 'buffer' }, o.tuning, g.n, postOf(o), o.precision);
  const d = await gemmDispatch(rt, cfg, {
    m: g.cOut,
    n: l,
    k: g.cIn,
    batch: g.n,
    strideA: 0,
    strideB: g.cIn * (scratch ? l : g.h * g.w),
    strideC: g.cOut * l,
    a: o.weight('raw'),
    b: scratch ?? o.x,
    c: o.y,
    bias: o.bias,
    residual: o.residual,
  });
  if (!scratch) return { dispatches: [d], temps: [] };
  return { dispatches: [await im2colDispatch(rt, g, o.x, scratch, 0, g.hOut, 0, g.n, o.precision), d], temps: [scratch] };
}

/** implicit-gemm: per (n, g), W_g[Mg, K] @ im2col(x)[K, L], B read through the index map. */
export async function implicitGemmPlan(rt: GpuRuntime, spec: Conv2dSpec, o: ConvOperands): Promise<ConvPlan> {
  const g = convGeometry(spec);
  const l = g.hOut * g.wOut;
  const k = g.cInG * g.kH * g.kW;
  const cfg = gemmConfig(rt, spec, g.cOutG, l, k, false, implicitSource(g), o.tuning, g.n * g.groups, postOf(o));
  const d = await gemmDispatch(rt, cfg, {
    m: g.cOutG,
    n: l,
    k,
    batch: g.n * g.groups,
    aPeriod: g.groups,
    strideA: g.cOutG * k,
    strideB: g.cInG * g.h * g.w,
    strideC: g.cOutG * l,
    a: o.weight('raw'),
    b: o.x,
    c: o.y,
    bias: o.bias,
    residual: o.residual,
  });
  return { dispatches: [d], temps: [] };
}

/** The im2col gather into `out`: rows [oh0, oh0 + rows) of image-groups [zIn0, zIn0 + zCount). */
export async function im2colDispatch(
  rt: GpuRuntime,
  g: ConvGeometry,
  x: GpuArray,
  out: GpuArray,
  oh0: number,
  rows: number,
  zIn0: number,
  zCount: number,
  precision: Precision = 'f32',
): Promise<Dispatch> {
  const pipeline = await rt.pipeline(im2colKey(g, precision), () => im2colWgsl(g, precision));
  const lt = rows * g.wOut;
  const kTotal = g.cInG * g.kH * g.kW;
  return {
    pipeline,
    grid: [ceilDiv(lt, IM2COL_VEC * IM2COL_WG), kTotal, zCount],
    flopsPerWorkgroup: 4 * IM2COL_VEC * IM2COL_WG,
    buffers: [x, out],
    params: (yBase, zBase) => packParams(IM2COL_PARAMS, { lt, kTotal, oh0, zIn0, yBase, zBase }),
  };
}

/**
 * im2col-gemm: materialise im2col, then GEMM. When the whole [N*G, K, L] scratch exceeds the byte
 * budget, it is tiled by output rows per image-group as ExecuTorch's Conv2dGemm.cpp does.
 */
export async function im2colGemmPlan(rt: GpuRuntime, spec: Conv2dSpec, o: ConvOperands, budgetBytes: number): Promise<ConvPlan> {
  const g = convGeometry(spec);
  const l = g.hOut * g.wOut;
  const k = g.cInG * g.kH * g.kW;
  const z = g.n * g.groups;
  const w = o.weight('raw');
  const maxBinding = maxBindingBytes(rt.limits).limit;
  const budget = Math.min(budgetBytes, maxBinding);
  if (z * k * l * 4 <= budget) {
    const scratch = allocStored(rt, z * k * l, o);
    const cfg = gemmConfig(rt, spec, g.cOutG, l, k, l % 4 === 0, { kind: 'buffer' }, o.tuning, z, postOf(o), o.precision);
    const gemm = await gemmDispatch(rt, cfg, {
      m: g.cOutG,
      n: l,
      k,
      batch: z,
      aPeriod: g.groups,
      strideA: g.cOutG * k,
      strideB: k * l,
      strideC: g.cOutG * l,
      a: w,
      b: scratch,
      c: o.y,
      bias: o.bias,
      residual: o.residual,
    });
    return { dispatches: [await im2colDispatch(rt, g, o.x, scratch, 0, g.hOut, 0, z, o.precision), gemm], temps: [scratch] };
  }
  // The smallest tile is one output row; core's footprint is what the router checks too.
  const excess = methodBindingExcess('im2col-gemm', spec, rt.limits);
  if (excess) throw new ConvrouteError('LIMIT_EXCEEDED', excess.name, excess.bytes, describeBindingExcess('im2col-gemm', excess));
  const rowBytes = im2colRowBytes(spec);
  const rows = Math.max(1, Math.min(g.hOut, Math.floor(budget / rowBytes)));
  const scratch = allocStored(rt, k * rows * g.wOut, o);
  const dispatches: Dispatch[] = [];
  for (let zi = 0; zi < z; zi++) {
    const gr = zi % g.groups;
    for (let oh0 = 0; oh0 < g.hOut; oh0 += rows) {
      const r = Math.min(rows, g.hOut - oh0);
      const lt = r * g.wOut;
      dispatches.push(await im2colDispatch(rt, g, o.x, scratch, oh0, r, zi, 1, o.precision));
      const cfg = gemmConfig(rt, spec, g.cOutG, lt, k, lt % 4 === 0, { kind: 'buffer' }, o.tuning, 1, postOf(o), o.precision);
      dispatches.push(
        await gemmDispatch(rt, cfg, {
          m: g.cOutG,
          n: lt,
          k,
          batch: 1,
          ldc: l,
          strideA: 0,
          strideB: 0,
          strideC: 0,
          aBase: gr * g.cOutG * k,
          cBase: zi * g.cOutG * l + oh0 * g.wOut,
          biasBase: gr * g.cOutG,
          a: w,
          b: scratch,
          c: o.y,
          bias: o.bias,
          residual: o.residual,
        }),
      );
    }
  }
  return { dispatches, temps: [scratch] };
}

export async function directPlan(rt: GpuRuntime, spec: Conv2dSpec, o: ConvOperands): Promise<ConvPlan> {
  const g = convGeometry(spec);
  const c: DirectConfig = {
    to: packedWeightLanes(g.cOutG),
    tw: 4,
    wgX: 8,
    ...o.tuning?.direct,
    bias: spec.bias,
    activation: spec.activation,
    residual: postOf(o),
    ...(o.precision && o.precision !== 'f32' ? { precision: o.precision } : {}),
  };
  const pipeline = await rt.pipeline(directKey(g, c), () => directWgsl(g, c));
  const w = o.weight(`direct:${c.to}`, (d) => packDirectWeights(d, g, c.to));
  const buffers = [o.x, w, o.y];
  if (o.bias) buffers.push(o.bias);
  if (o.residual) buffers.push(o.residual);
  const d: Dispatch = {
    pipeline,
    grid: [ceilDiv(g.wOut, c.tw * c.wgX), directBlocks(g, c) * g.hOut, g.n * g.groups],
    flopsPerWorkgroup: 2 * c.to * c.tw * c.wgX * g.cInG * g.kH * g.kW,
    buffers,
    params: (yBase, zBase) => packParams(CONV_LOOP_PARAMS, { ...loops(g), yBase, zBase }),
  };
  return { dispatches: [d], temps: [] };
}

const pow2ceil = (v: number) => 2 ** Math.ceil(Math.log2(Math.max(1, v)));

/**
 * Depthwise tiles. Stride 1: the 2-D blocked kernel, 4 rows x 8 columns per invocation and (below
 * 128 output columns) 32 channels per workgroup, so even 7x7 images fill llvmpipe's SIMD lanes.
 * Strided: one row per invocation (blocking measured no faster there), wide rows 16 columns,
 * workgroups filled to ~64 invocations down the rows. Measured on lavapipe:
 * bench/results/lavapipe-kernel-tuning.md, "Depthwise tiles".
 */
function depthwiseTiles(g: ConvGeometry): Pick<DepthwiseConfig, 'tw' | 'th' | 'wgX' | 'wgY' | 'wgZ'> {
  // Rows of 128+ outputs: 4 invocations along the row x 8 channels, so neighbouring lanes read
  // neighbouring addresses of one plane (faster on ETVK's wide layers, slower on small images:
  // bench/results/lavapipe-kernel-tuning.md, "Depthwise tiles").
  const blocked = g.wOut >= 128 ? { tw: 8, th: 4, wgX: 4, wgY: 1, wgZ: 8 } : { tw: g.wOut <= 4 ? 4 : 8, th: 4, wgX: 1, wgY: 1, wgZ: 32 };
  if (g.sH === 1 && g.sW === 1 && depthwiseBlocked(g, blocked)) return blocked;
  const tw = g.wOut >= 64 ? 16 : g.wOut > 4 ? 8 : 4;
  const wgX = Math.min(2, pow2ceil(Math.ceil(g.wOut / tw)));
  return { tw, wgX, wgY: Math.min(64 / wgX, pow2ceil(g.hOut)) };
}

export async function depthwisePlan(rt: GpuRuntime, spec: Conv2dSpec, o: ConvOperands): Promise<ConvPlan> {
  const g = convGeometry(spec);
  const c: DepthwiseConfig = { ...depthwiseTiles(g), ...o.tuning?.depthwise, bias: spec.bias, activation: spec.activation, residual: postOf(o) };
  const th = depthwiseBlocked(g, c) ? (c.th ?? 1) : 1;
  const lim = rt.limits;
  const wgZ = th > 1 ? Math.max(1, Math.min(c.wgZ ?? 1, lim.maxComputeWorkgroupSizeZ, Math.floor(lim.maxComputeInvocationsPerWorkgroup / (c.wgX * c.wgY)))) : 1;
  const pipeline = await rt.pipeline(depthwiseKey(g, { ...c, th, wgZ }), () => depthwiseWgsl(g, { ...c, th, wgZ }));
  const buffers = [o.x, o.weight('raw'), o.y];
  if (o.bias) buffers.push(o.bias);
  if (o.residual) buffers.push(o.residual);
  const d: Dispatch = {
    pipeline,
    grid: [ceilDiv(g.wOut, c.tw * c.wgX), ceilDiv(g.hOut, th * c.wgY), ceilDiv(g.n * g.cIn, wgZ)],
    flopsPerWorkgroup: 2 * c.tw * th * c.wgX * c.wgY * wgZ * g.kH * g.kW,
    buffers,
    params: (yBase, zBase) => packParams(CONV_LOOP_PARAMS, { ...loops(g), yBase, zBase }),
  };
  return { dispatches: [d], temps: [] };
}

export async function transposedPlan(rt: GpuRuntime, spec: Conv2dSpec, o: ConvOperands): Promise<ConvPlan> {
  const g = convGeometry(spec);
  const c: TransposedConfig = {
    to: packedWeightLanes(g.cOutG),
    tw: 4,
    wgX: 8,
    ...o.tuning?.transposed,
    bias: spec.bias,
    activation: spec.activation,
    residual: postOf(o),
  };
  const pipeline = await rt.pipeline(transposedKey(g, c), () => transposedWgsl(g, c));
  const w = o.weight(`transposed:${c.to}`, (d) => packTransposedWeights(d, g, c.to));
  const buffers = [o.x, w, o.y];
  if (o.bias) buffers.push(o.bias);
  if (o.residual) buffers.push(o.residual);
  const taps = Math.ceil(g.kH / g.sH) * Math.ceil(g.kW / g.sW);
  const d: Dispatch = {
    pipeline,
    grid: [ceilDiv(g.sW * transposedTiles(g, c), c.wgX), transposedBlocks(g, c) * g.hOut, g.n * g.groups],
    flopsPerWorkgroup: 2 * c.to * c.tw * c.wgX * g.cInG * Math.max(1, taps),
    buffers,
    params: (yBase, zBase) => packParams(CONV_LOOP_PARAMS, { ...loops(g), yBase, zBase }),
  };
  return { dispatches: [d], temps: [] };
}
