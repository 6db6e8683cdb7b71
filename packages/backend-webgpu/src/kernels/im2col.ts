import type { Precision } from '@convroute/core';
import { kernelTypes } from '../f16.ts';
import { paramsStruct } from '../wgsl.ts';
import type { ConvGeometry } from './conv-geometry.ts';

/** Columns per invocation (consecutive output positions: neighbouring reads along a row). */
export const IM2COL_VEC = 4;
export const IM2COL_WG = 64;

/** Uniform words. Writes out[z][k][l] for l < lt (= rows * W_out), output rows from oh0, input
 * image-group zIn0 + z (z indexes n*groups + g). */
export const IM2COL_PARAMS = ['lt', 'kTotal', 'oh0', 'zIn0', 'yBase', 'zBase'] as const;

export function im2colKey(g: ConvGeometry, precision: Precision = 'f32'): string {
  return `im2col:${Object.values(g).join(',')}${kernelTypes(precision).key}`;
}

/** WGSL of the im2col gather; one invocation writes IM2COL_VEC consecutive columns of one row k. */
export function im2colWgsl(g: ConvGeometry, precision: Precision = 'f32'): string {
  const khw = g.kH * g.kW;
  // f16 precisions: a copy between binary16 arrays (exact); 0.0 is f16 there.
  const { st, enable } = kernelTypes(precision);
  const lines = [
    ...enable,
    paramsStruct(IM2COL_PARAMS),
    `@group(0) @binding(1) var<storage, read> X: array<${st}>;`,
    `@group(0) @binding(2) var<storage, read_write> O: array<${st}>;`,
    `@compute @workgroup_size(${IM2COL_WG}, 1, 1)`,
    'fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {',
    `  let l0 = (wid.x * ${IM2COL_WG}u + lid.x) * ${IM2COL_VEC}u;`,
    '  let k = wid.y + u.yBase;',
    '  let z = wid.z + u.zBase;',
    '  if (l0 >= u.lt || k >= u.kTotal) { return; }',
    `  let ch = k / ${khw}u; let pq = k % ${khw}u;`,
    `  let dy = i32(pq / ${g.kW}u) * ${g.dH} - ${g.top}; let dx = i32(pq % ${g.kW}u) * ${g.dW} - ${g.left};`,
    `  let xOff = i32(((u.zIn0 + z) * ${g.cInG}u + ch) * ${g.h * g.w}u);`,
    '  let oOff = (z * u.kTotal + k) * u.lt;',
    `  for (var e = 0u; e < ${IM2COL_VEC}u; e++) {`,
    '    let l = l0 + e;',
    '    if (l >= u.lt) { break; }',
    `    let y = i32((u.oh0 + l / ${g.wOut}u) * ${g.sH}u) + dy;`,
    `    let x = i32((l % ${g.wOut}u) * ${g.sW}u) + dx;`,
    `    let ok = y >= 0 && y < ${g.h} && x >= 0 && x < ${g.w};`,
    `    O[oOff + l] = select(0.0, X[select(0, xOff + y * ${g.w} + x, ok)], ok);`,
    '  }',
    '}',
  ];
  return lines.join('\n');
}
