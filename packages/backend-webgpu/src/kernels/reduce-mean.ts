import type { Dispatch, GpuArray, GpuRuntime } from '../runtime.ts';
import { axisNames, coalesceAxes, contiguousStrides, decompose, f32Bits, flatDispatch, flatKernelOpen, shapeCount, withinStridedRank } from './flat.ts';

/** Axes of index math of a mean: the kept axes (per output) and the reduced ones (per term). */
export interface ReduceAxes {
  kept: { dims: number[]; strides: number[] };
  reduced: { dims: number[]; strides: number[] };
}

/** Splits `shape` into kept and reduced axes (each coalesced). */
export function reduceAxes(shape: readonly number[], axes: readonly number[]): ReduceAxes {
  const s = contiguousStrides(shape);
  const red = new Set(axes);
  const pick = (want: boolean) => {
    const ds = shape.map((_, d) => d).filter((d) => red.has(d) === want);
    const c = coalesceAxes(
      ds.map((d) => shape[d]),
      [ds.map((d) => s[d])],
    );
    return { dims: c.dims, strides: c.strides[0] };
  };
  return { kept: pick(false), reduced: pick(true) };
}

export function reduceMeanRunnable(shape: readonly number[], axes: readonly number[]): boolean {
  const r = reduceAxes(shape, axes);
  return withinStridedRank(r.kept.dims.length) && withinStridedRank(r.reduced.dims.length);
}

export function reduceMeanKey(kept: number, reduced: number): string {
  return `reducemean:k${kept}:r${reduced}`;
}

const names = (k: number, r: number) => ['count', 'recip', ...axisNames('d', k), ...axisNames('s', k), ...axisNames('e', r), ...axisNames('t', r)];

/** One invocation per output: the float32 sum of its `count` terms in order, times the correctly
 * rounded float32 reciprocal of the count (WGSL's `/` may err by 2.5 ulp; docs/error-model.md's
 * mean bound allows one correctly rounded reciprocal and one product). */
export function reduceMeanWgsl(k: number, r: number): string {
  const L = flatKernelOpen(names(k, r), ['var<storage, read> X: array<f32>;', 'var<storage, read_write> Y: array<f32>;']);
  L.push('  var base = 0u;', '  {', ...decompose('i', axisNames('u.d', k)).map((s) => `    ${s}`));
  L.push(
    `    base = ${axisNames('c', k)
      .map((c, d) => `${c} * u.s${d}`)
      .join(' + ')};`,
    '  }',
  );
  L.push('  var acc = 0.0;', '  for (var j = 0u; j < u.count; j++) {');
  L.push(...decompose('j', axisNames('u.e', r), 'q').map((s) => `    ${s}`));
  L.push(
    `    acc = acc + X[base + ${axisNames('q', r)
      .map((q, d) => `${q} * u.t${d}`)
      .join(' + ')}];`,
    '  }',
  );
  L.push('  Y[i] = acc * bitcast<f32>(u.recip);', '}');
  return L.join('\n');
}

export async function reduceMeanDispatch(rt: GpuRuntime, shape: readonly number[], axes: readonly number[], x: GpuArray, y: GpuArray): Promise<Dispatch> {
  const { kept, reduced } = reduceAxes(shape, axes);
  const [k, r] = [kept.dims.length, reduced.dims.length];
  if (!withinStridedRank(k) || !withinStridedRank(r)) throw new Error('internal: reducemean over more than 6 axes reached the kernel');
  const pipeline = await rt.pipeline(reduceMeanKey(k, r), () => reduceMeanWgsl(k, r));
  const count = shapeCount(reduced.dims);
  // 1 / count in float64 rounded to float32 is the correctly rounded reciprocal (double rounding
  // is innocuous for a quotient: 53 >= 2 * 24 + 2).
  const v: Record<string, number> = { count, recip: f32Bits(1 / count) };
  kept.dims.forEach((n, d) => {
    v[`d${d}`] = n;
    v[`s${d}`] = kept.strides[d];
  });
  reduced.dims.forEach((n, d) => {
    v[`e${d}`] = n;
    v[`t${d}`] = reduced.strides[d];
  });
  return flatDispatch(pipeline, shapeCount(kept.dims), [x, y], names(k, r), v, count);
}
