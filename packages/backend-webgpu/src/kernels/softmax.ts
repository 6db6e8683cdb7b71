import type { Dispatch, GpuArray, GpuRuntime } from '../runtime.ts';
import { packParams, paramsStruct } from '../wgsl.ts';
import { IS_NAN_FN } from './flat.ts';

/** Invocations per row: the workgroup strides over the row, then reduces in workgroup memory. */
export const SOFTMAX_WG = 64;

const PARAMS = ['len', 'inner', 'rows', 'xBase'] as const;

export function softmaxKey(): string {
  return `softmax:wg${SOFTMAX_WG}`;
}

/**
 * Softmax along one axis (opset 13): rows are (outer, inner) pairs, the row's elements `inner`
 * apart. One workgroup per row: the max (a NaN wins, so a NaN row stays NaN), then the float32
 * sum of exp(x - max) by a tree reduction, then each exp(x - max) / sum. Subtracting the max
 * keeps every exp argument <= 0, so no term overflows and the largest is exactly 1.
 */
export function softmaxWgsl(): string {
  const W = SOFTMAX_WG;
  return [
    IS_NAN_FN,
    paramsStruct(PARAMS),
    '@group(0) @binding(1) var<storage, read> X: array<f32>;',
    '@group(0) @binding(2) var<storage, read_write> Y: array<f32>;',
    `var<workgroup> red: array<f32, ${W}>;`,
    `@compute @workgroup_size(${W}, 1, 1)`,
    'fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {',
    '  let row = min(wid.x + u.xBase, u.rows - 1u);',
    '  let base = (row / u.inner) * u.len * u.inner + row % u.inner;',
    '  let t = lid.x;',
    // -inf through a var: WGSL refuses an infinite constant expression.
    '  var ninf = 0xff800000u; var m = bitcast<f32>(ninf);',
    `  for (var l = t; l < u.len; l += ${W}u) { let v = X[base + l * u.inner]; if (v > m || isNan(v)) { m = v; } }`,
    '  red[t] = m;',
    '  workgroupBarrier();',
    `  for (var h = ${W / 2}u; h > 0u; h = h / 2u) {`,
    '    if (t < h) { let o = red[t + h]; if (o > red[t] || isNan(o)) { red[t] = o; } }',
    '    workgroupBarrier();',
    '  }',
    '  let mx = red[0];',
    '  workgroupBarrier();',
    '  var s = 0.0;',
    `  for (var l = t; l < u.len; l += ${W}u) { s = s + exp(X[base + l * u.inner] - mx); }`,
    '  red[t] = s;',
    '  workgroupBarrier();',
    `  for (var h = ${W / 2}u; h > 0u; h = h / 2u) {`,
    '    if (t < h) { red[t] = red[t] + red[t + h]; }',
    '    workgroupBarrier();',
    '  }',
    '  let total = red[0];',
    '  if (wid.x + u.xBase >= u.rows) { return; }',
    `  for (var l = t; l < u.len; l += ${W}u) { Y[base + l * u.inner] = exp(X[base + l * u.inner] - mx) / total; }`,
    '}',
  ].join('\n');
}

/** `shape` split at `axis` (non-negative): rows = outer * inner, each of `len` elements. */
export async function softmaxDispatch(rt: GpuRuntime, shape: readonly number[], axis: number, x: GpuArray, y: GpuArray): Promise<Dispatch> {
  const pipeline = await rt.pipeline(softmaxKey(), softmaxWgsl);
  const len = shape[axis];
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const rows = shape.slice(0, axis).reduce((a, b) => a * b, 1) * inner;
  return {
    pipeline,
    grid: [rows, 1, 1],
    flopsPerWorkgroup: 4 * len,
    buffers: [x, y],
    splitsX: true,
    params: (_y, _z, xBase) => packParams(PARAMS, { len, inner, rows, xBase }),
  };
}
