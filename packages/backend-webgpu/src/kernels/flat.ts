import type { Dispatch, GpuArray } from '../runtime.ts';
import { ceilDiv, packParams, paramsStruct } from '../wgsl.ts';

/** Invocations per workgroup of the one-element-per-invocation kernels (elementwise, copies). */
export const FLAT_WG = 64;

/** Tensors of rank up to this run through the strided kernels (index math unrolled per axis). */
export const MAX_STRIDED_RANK = 6;

/** A float32's bits as a u32 uniform word (the kernel reads it back with bitcast<f32>). */
export function f32Bits(v: number): number {
  const b = new Float32Array([v]);
  return new Uint32Array(b.buffer)[0];
}

/** Row-major strides of a shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) s[d] = s[d + 1] * shape[d + 1];
  return s;
}

export const shapeCount = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** The WGSL header and opening of a flat kernel: uniform block (`total`, `xBase`, then `names`),
 * storage `bindings` from binding 1, and `i`, the element this invocation owns (returns past the end). */
export function flatKernelOpen(names: readonly string[], bindings: readonly string[]): string[] {
  return [
    paramsStruct(['total', 'xBase', ...names]),
    ...bindings.map((b, k) => `@group(0) @binding(${k + 1}) ${b}`),
    `@compute @workgroup_size(${FLAT_WG}, 1, 1)`,
    'fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {',
    `  let i = (wid.x + u.xBase) * ${FLAT_WG}u + lid.x;`,
    '  if (i >= u.total) { return; }',
  ];
}

/** One launch over `total` elements, one per invocation; the runtime splits a grid wider than the
 * device's per-dimension limit along x (the kernel adds xBase). */
export function flatDispatch(
  pipeline: GPUComputePipeline,
  total: number,
  buffers: GpuArray[],
  names: readonly string[],
  values: Record<string, number>,
  flopsPerElement = 1,
): Dispatch {
  const all = ['total', 'xBase', ...names];
  return {
    pipeline,
    grid: [Math.max(1, ceilDiv(total, FLAT_WG)), 1, 1],
    flopsPerWorkgroup: FLAT_WG * flopsPerElement,
    buffers,
    splitsX: true,
    params: (_y, _z, xBase) => packParams(all, { ...values, total, xBase }),
  };
}

/** WGSL decomposing flat index `idx` over `dims` (uniform names, outermost first) into `c0..`
 * coordinates, innermost axis first. */
export function decompose(idx: string, dims: readonly string[], prefix = 'c'): string[] {
  const L = [`var rem = ${idx};`];
  for (let d = dims.length - 1; d >= 0; d--) {
    L.push(`let ${prefix}${d} = rem % ${dims[d]}; rem = rem / ${dims[d]};`);
  }
  return L;
}

/** Names `${p}0 .. ${p}{rank-1}`. */
export const axisNames = (p: string, rank: number) => Array.from({ length: rank }, (_, d) => `${p}${d}`);

/** Checks a rank the strided kernels can take; a larger one is the caller's typed error. */
export function withinStridedRank(rank: number): boolean {
  return rank <= MAX_STRIDED_RANK;
}

/**
 * Drops size-1 axes and merges adjacent axes that every operand walks contiguously
 * (stride[d] = stride[d+1] * dims[d+1]), so a broadcast or copy of any rank runs with the fewest
 * axes of index math. A rank-0 result becomes one axis of size 1.
 */
export function coalesceAxes(dims: readonly number[], strides: readonly (readonly number[])[]): { dims: number[]; strides: number[][] } {
  const keep = dims.map((_, d) => d).filter((d) => dims[d] !== 1);
  const outDims: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (const d of keep) {
    const last = outDims.length - 1;
    if (last >= 0 && strides.every((s, k) => outStrides[k][last] === s[d] * dims[d])) {
      outDims[last] *= dims[d];
      strides.forEach((s, k) => {
        outStrides[k][last] = s[d];
      });
    } else {
      outDims.push(dims[d]);
      for (const [k, s] of strides.entries()) outStrides[k].push(s[d]);
    }
  }
  if (outDims.length === 0) return { dims: [1], strides: strides.map(() => [0]) };
  return { dims: outDims, strides: outStrides };
}

/** WGSL `isNan(v)` from the bits: WGSL lets an implementation assume no NaN in float
 * arithmetic (lavapipe folds `v != v` to false), but not in integer arithmetic. */
export const IS_NAN_FN = 'fn isNan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }';
