import type { Dispatch, GpuArray, GpuRuntime } from '../runtime.ts';
import { axisNames, coalesceAxes, contiguousStrides, decompose, f32Bits, flatDispatch, flatKernelOpen, shapeCount, withinStridedRank } from './flat.ts';

/**
 * One kernel for transpose, concat and constant pad: every element of an iteration space of
 * `rank` axes (dims d*) is copied from X at sum(c * sx) + xBase to Y at sum(c * sy) + yBase.
 * With `fill` (pad), an axis's source coordinate is c - lo (lo = the begin pad) and a coordinate
 * outside [0, src) writes the pad value instead: exact copies either way.
 */
export interface StridedCopy {
  rank: number;
  fill: boolean;
}

export function stridedCopyKey(c: StridedCopy): string {
  return `copy:r${c.rank}${c.fill ? ':fill' : ''}`;
}

const names = (c: StridedCopy) => [
  ...axisNames('d', c.rank),
  ...axisNames('sx', c.rank),
  ...axisNames('sy', c.rank),
  ...(c.fill ? [...axisNames('lo', c.rank), ...axisNames('src', c.rank), 'value'] : []),
  'xBase0',
  'yBase0',
];

export function stridedCopyWgsl(c: StridedCopy): string {
  const r = c.rank;
  const L = flatKernelOpen(names(c), ['var<storage, read> X: array<f32>;', 'var<storage, read_write> Y: array<f32>;']);
  L.push(...decompose('i', axisNames('u.d', r)).map((s) => `  ${s}`));
  const dst = axisNames('c', r).map((x, d) => `${x} * u.sy${d}`);
  if (!c.fill) {
    const src = axisNames('c', r).map((x, d) => `${x} * u.sx${d}`);
    L.push(`  Y[u.yBase0 + ${dst.join(' + ')}] = X[u.xBase0 + ${src.join(' + ')}];`, '}');
    return L.join('\n');
  }
  // Signed source coordinates: the begin pad moves them below 0.
  for (let d = 0; d < r; d++) L.push(`  let s${d} = i32(c${d}) - bitcast<i32>(u.lo${d});`);
  const inside = axisNames('s', r)
    .map((s, d) => `${s} >= 0 && ${s} < i32(u.src${d})`)
    .join(' && ');
  const src = axisNames('s', r).map((s, d) => `u32(${s}) * u.sx${d}`);
  L.push(`  let ok = ${inside};`);
  L.push(`  let v = X[select(0u, u.xBase0 + ${src.join(' + ')}, ok)];`);
  L.push(`  Y[u.yBase0 + ${dst.join(' + ')}] = select(bitcast<f32>(u.value), v, ok);`, '}');
  return L.join('\n');
}

async function copyDispatch(
  rt: GpuRuntime,
  dims: number[],
  sx: number[],
  sy: number[],
  x: GpuArray,
  y: GpuArray,
  bases: { xBase0: number; yBase0: number },
  fill?: { lo: number[]; src: number[]; value: number },
): Promise<Dispatch> {
  const c: StridedCopy = { rank: dims.length, fill: fill !== undefined };
  if (!withinStridedRank(c.rank)) throw new Error(`internal: a copy over ${c.rank} axes reached the kernel`);
  const pipeline = await rt.pipeline(stridedCopyKey(c), () => stridedCopyWgsl(c));
  const v: Record<string, number> = { ...bases };
  dims.forEach((n, d) => {
    v[`d${d}`] = n;
    v[`sx${d}`] = sx[d];
    v[`sy${d}`] = sy[d];
    if (fill) {
      v[`lo${d}`] = fill.lo[d] >>> 0;
      v[`src${d}`] = fill.src[d];
    }
  });
  if (fill) v.value = f32Bits(fill.value);
  return flatDispatch(pipeline, shapeCount(dims), [x, y], names(c), v);
}

/** Transpose: output axis d reads input axis perm[d]. */
export function transposeAxes(inShape: readonly number[], perm: readonly number[]) {
  const outShape = perm.map((p) => inShape[p]);
  const sIn = contiguousStrides(inShape);
  return coalesceAxes(outShape, [perm.map((p) => sIn[p]), contiguousStrides(outShape)]);
}

export function transposeDispatch(rt: GpuRuntime, inShape: readonly number[], perm: readonly number[], x: GpuArray, y: GpuArray): Promise<Dispatch> {
  const c = transposeAxes(inShape, perm);
  return copyDispatch(rt, c.dims, c.strides[0], c.strides[1], x, y, { xBase0: 0, yBase0: 0 });
}

/** Concat: one copy per input into its slab of the output along `axis` (empty inputs skipped). */
export async function concatDispatches(rt: GpuRuntime, shapes: readonly (readonly number[])[], axis: number, xs: GpuArray[], y: GpuArray): Promise<Dispatch[]> {
  const outShape = [...shapes[0]];
  outShape[axis] = shapes.reduce((s, sh) => s + sh[axis], 0);
  const sOut = contiguousStrides(outShape);
  const out: Dispatch[] = [];
  let at = 0;
  for (const [k, sh] of shapes.entries()) {
    if (shapeCount(sh) > 0) {
      const c = coalesceAxes([...sh], [contiguousStrides(sh), sOut]);
      out.push(await copyDispatch(rt, c.dims, c.strides[0], c.strides[1], xs[k], y, { xBase0: 0, yBase0: at * sOut[axis] }));
    }
    at += sh[axis];
  }
  return out;
}

export function concatAxes(shapes: readonly (readonly number[])[], axis: number): number {
  const outShape = [...shapes[0]];
  outShape[axis] = shapes.reduce((s, sh) => s + sh[axis], 0);
  const sOut = contiguousStrides(outShape);
  return Math.max(...shapes.map((sh) => coalesceAxes([...sh], [contiguousStrides(sh), sOut]).dims.length));
}

/** Constant pad, ONNX order: pads = [begin_0..begin_{r-1}, end_0..end_{r-1}], all >= 0. */
export function padDispatch(rt: GpuRuntime, inShape: readonly number[], pads: readonly number[], value: number, x: GpuArray, y: GpuArray): Promise<Dispatch> {
  const r = inShape.length;
  const outShape = inShape.map((n, d) => n + pads[d] + pads[d + r]);
  // Size-1 axes without padding add no index math; the rest keep their own bounds check.
  const keep = inShape.map((_, d) => d).filter((d) => outShape[d] !== 1 || inShape[d] !== 1);
  const axes = keep.length ? keep : [0];
  const sIn = contiguousStrides(inShape);
  const sOut = contiguousStrides(outShape);
  return copyDispatch(
    rt,
    axes.map((d) => outShape[d]),
    axes.map((d) => sIn[d]),
    axes.map((d) => sOut[d]),
    x,
    y,
    { xBase0: 0, yBase0: 0 },
    { lo: axes.map((d) => pads[d]), src: axes.map((d) => inShape[d]), value },
  );
}

export function padAxes(inShape: readonly number[], pads: readonly number[]): number {
  const r = inShape.length;
  return Math.max(1, inShape.filter((n, d) => n + pads[d] + pads[d + r] !== 1 || n !== 1).length);
}
