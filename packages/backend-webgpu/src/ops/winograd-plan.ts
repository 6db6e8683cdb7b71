import {
  type Conv2dSpec,
  ConvrouteError,
  describeBindingExcess,
  methodBindingExcess,
  type WinogradMethod,
  winogradFilterTransform,
  winogradTiles,
  winogradTransform,
} from '@convroute/core';
import { convGeometry } from '../kernels/conv-geometry.ts';
import {
  WINOGRAD_PARAMS,
  WINOGRAD_WG,
  winogradGeometryParams,
  winogradInputKey,
  winogradInputWgsl,
  winogradOutputKey,
  winogradOutputWgsl,
} from '../kernels/winograd.ts';
import type { Dispatch, GpuRuntime } from '../runtime.ts';
import { ceilDiv, packParams } from '../wgsl.ts';
import { type ConvOperands, type ConvPlan, postOf } from './conv-plans.ts';
import { gemmDispatch, gemmTuningFor } from './gemm-launch.ts';

/**
 * Winograd F(m, 3) on the GPU (docs/winograd-bound.md): the filters transformed once per weight
 * upload (the weight scope's packing: per prepare or graph run, never per execute), then three
 * launches: the input transform into V [N][groups][alpha^2][C_in/g][tiles], one batched GEMM of
 * N * groups * alpha^2 products M = U V over the group's input channels (the existing GEMM
 * kernels; the runtime splits grids past the device's limits), and the output transform
 * (+ bias, activation) of every tile.
 */
export async function winogradPlan(rt: GpuRuntime, method: WinogradMethod, spec: Conv2dSpec, o: ConvOperands): Promise<ConvPlan> {
  const g = convGeometry(spec);
  const excess = methodBindingExcess(method, spec, rt.limits);
  if (excess) throw new ConvrouteError('LIMIT_EXCEEDED', excess.name, excess.bytes, describeBindingExcess(method, excess));
  const { alpha } = winogradTransform(method);
  const a2 = alpha * alpha;
  const { tilesH, tilesW } = winogradTiles(method, g.hOut, g.wOut);
  const tiles = tilesH * tilesW;
  const u = o.weight(`${method}:${g.groups}`, (w) => winogradFilterTransform(method, w, g.cOut, g.cInG, g.groups));
  const v = rt.alloc(g.n * g.groups * a2 * g.cInG * tiles);
  const mm = rt.alloc(g.n * g.groups * a2 * g.cOutG * tiles);
  const params = (yBase: number, zBase: number) => packParams(WINOGRAD_PARAMS, { tiles, tilesW, yBase, zBase, ...winogradGeometryParams(g) });
  const input: Dispatch = {
    pipeline: await rt.pipeline(winogradInputKey(method), () => winogradInputWgsl(method)),
    grid: [ceilDiv(tiles, WINOGRAD_WG), g.cIn, g.n],
    flopsPerWorkgroup: WINOGRAD_WG * 4 * a2 * alpha,
    buffers: [o.x, v],
    params,
  };
  const z = g.n * g.groups * a2;
  const vecB = tiles % 4 === 0;
  const cfg = {
    ...gemmTuningFor(rt, { m: g.cOutG, n: tiles, k: g.cInG, transA: false, vecB, source: 'buffer', batch: z }, o.tuning?.gemm),
    transA: false,
    transB: false,
    vecB,
    bias: 'none' as const,
    activation: { kind: 'none' as const },
    bSource: { kind: 'buffer' as const },
  };
  const gemm = await gemmDispatch(rt, cfg, {
    m: g.cOutG,
    n: tiles,
    k: g.cInG,
    batch: z,
    aPeriod: g.groups * a2,
    strideA: g.cOutG * g.cInG,
    strideB: g.cInG * tiles,
    strideC: g.cOutG * tiles,
    a: u,
    b: v,
    c: mm,
  });
  const oc = { bias: spec.bias, activation: spec.activation, residual: postOf(o) };
  const out: Dispatch = {
    pipeline: await rt.pipeline(winogradOutputKey(method, oc), () => winogradOutputWgsl(method, oc)),
    grid: [ceilDiv(tiles, WINOGRAD_WG), g.cOut, g.n],
    flopsPerWorkgroup: WINOGRAD_WG * 4 * a2 * alpha,
    buffers: [mm, o.x, o.weight('raw'), o.y, ...(o.bias ? [o.bias] : []), ...(o.residual ? [o.residual] : [])],
    params,
  };
  return { dispatches: [input, gemm, out], temps: [v, mm] };
}
