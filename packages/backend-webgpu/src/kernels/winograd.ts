import { type Activation, transformRows, type WinogradMethod, winogradTransform } from '@convroute/core';
import { activationFn, activationKey, f32Literal, paramsStruct, residualBinding, residualKey, storeOutput } from '../wgsl.ts';
import type { ConvGeometry } from './conv-geometry.ts';

/**
 * Winograd F(m, 3)'s transform kernels (docs/winograd-bound.md), unrolled from core's matrices so
 * the GPU rounds as the CPU and the bound count: each transformed value is a sum of
 * coefficient * value products, one 1-D stage at a time. Tiles start at output (0, 0).
 */

/** Invocations per workgroup along the tiles. */
export const WINOGRAD_WG = 64;
/** Uniform words of both kernels: tiles in all and per row, the chunk offsets of the grid, and the
 * conv's geometry. The geometry is not baked into the code: one pipeline per method (and epilogue)
 * serves every shape, as lavapipe took seconds to compile each shape's pair. */
export const WINOGRAD_PARAMS = [
  'tiles',
  'tilesW',
  'yBase',
  'zBase',
  'h',
  'w',
  'cIn',
  'cInG',
  'cOut',
  'cOutG',
  'groups',
  'hOut',
  'wOut',
  'top',
  'left',
] as const;

/** The geometry words of WINOGRAD_PARAMS. */
export function winogradGeometryParams(g: ConvGeometry): Record<string, number> {
  return { h: g.h, w: g.w, cIn: g.cIn, cInG: g.cInG, cOut: g.cOut, cOutG: g.cOutG, groups: g.groups, hOut: g.hOut, wOut: g.wOut, top: g.top, left: g.left };
}

/** `X[base + r * w + c]`, 0 outside the image. */
const LOAD_X =
  'fn ld(base: i32, r: i32, c: i32) -> f32 { let ok = r >= 0 && r < i32(u.h) && c >= 0 && c < i32(u.w); return select(0.0, X[select(0, base + r * i32(u.w) + c, ok)], ok); }';

/** `out_i_l = sum_k L[l][k] * (sum_k' L[i][k'] * src_k'_k)` as WGSL lets: L X L^T on a k x k tile
 * named `${src}_r_c`, through `${tmp}_i_c`. */
function transformLets(matrix: readonly (readonly number[])[], k: number, src: string, tmp: string, out: string): string[] {
  const rows = transformRows(matrix);
  const sum = (terms: string[]) => terms.join(' + ').replaceAll('+ -', '- ');
  const term = (c: number, v: string) => (c === 1 ? v : c === -1 ? `-${v}` : `${f32Literal(c)} * ${v}`);
  const lines: string[] = [];
  rows.forEach((row, i) => {
    for (let j = 0; j < k; j++) lines.push(`  let ${tmp}_${i}_${j} = ${sum(row.index.map((kk, t) => term(row.coef[t], `${src}_${kk}_${j}`)))};`);
  });
  rows.forEach((_, i) => {
    rows.forEach((row, l) => {
      lines.push(`  let ${out}_${i}_${l} = ${sum(row.index.map((kk, t) => term(row.coef[t], `${tmp}_${i}_${kk}`)))};`);
    });
  });
  return lines;
}

export function winogradInputKey(method: WinogradMethod): string {
  return `winograd-in:${method}`;
}

/**
 * Input transform: invocation (t, c, n) reads tile t's alpha x alpha window of input channel c
 * (zeros outside the image) and writes V = B^T d B to V[n][group][xi][c % C_in/g][t], the B
 * operand of the channel GEMM of tile point xi.
 */
export function winogradInputWgsl(method: WinogradMethod): string {
  const { m, alpha, bt } = winogradTransform(method);
  const a2 = alpha * alpha;
  const lines = [
    paramsStruct(WINOGRAD_PARAMS),
    '@group(0) @binding(1) var<storage, read> X: array<f32>;',
    '@group(0) @binding(2) var<storage, read_write> V: array<f32>;',
    LOAD_X,
    `@compute @workgroup_size(${WINOGRAD_WG}, 1, 1)`,
    'fn main(@builtin(global_invocation_id) gid: vec3<u32>) {',
    '  let t = gid.x;',
    '  let ch = gid.y + u.yBase;',
    '  let n = gid.z + u.zBase;',
    '  if (t >= u.tiles) { return; }',
    `  let r0 = i32((t / u.tilesW) * ${m}u) - i32(u.top);`,
    `  let c0 = i32((t % u.tilesW) * ${m}u) - i32(u.left);`,
    '  let base = i32((n * u.cIn + ch) * u.h * u.w);',
  ];
  for (let p = 0; p < alpha; p++) for (let q = 0; q < alpha; q++) lines.push(`  let d_${p}_${q} = ld(base, r0 + ${p}, c0 + ${q});`);
  lines.push(...transformLets(bt, alpha, 'd', 'e', 'v'));
  lines.push('  let grp = ch / u.cInG;');
  lines.push(`  let o = ((n * u.groups + grp) * ${a2}u * u.cInG + ch % u.cInG) * u.tiles + t;`);
  lines.push('  let step = u.cInG * u.tiles;');
  for (let i = 0; i < alpha; i++) for (let l = 0; l < alpha; l++) lines.push(`  V[o + ${i * alpha + l}u * step] = v_${i}_${l};`);
  lines.push('}');
  return lines.join('\n');
}

export interface WinogradOutputConfig {
  bias: boolean;
  activation: Activation;
  /** A fused residual add's post-activation (wgsl.ts storeOutput); absent: no residual. */
  residual?: Activation;
}

export function winogradOutputKey(method: WinogradMethod, c: WinogradOutputConfig): string {
  return `winograd-out:${method}:${c.bias}:${activationKey(c.activation)}${residualKey(c.residual)}`;
}

/**
 * Output transform: invocation (t, o, n) reads the alpha^2 channel sums of tile t and output
 * channel o, writes act(A^T M A + bias) for the tile's outputs inside the image. A tile whose
 * sums hold a non-finite value (a non-finite input or weight in its window, or an overflow) is
 * summed directly from X and the raw weights instead: the transforms mix a window's values, so
 * one infinity would make outputs that never read it NaN.
 */
export function winogradOutputWgsl(method: WinogradMethod, c: WinogradOutputConfig): string {
  const { m, alpha, at } = winogradTransform(method);
  const a2 = alpha * alpha;
  const lines = [
    paramsStruct(WINOGRAD_PARAMS),
    '@group(0) @binding(1) var<storage, read> M: array<f32>;',
    '@group(0) @binding(2) var<storage, read> X: array<f32>;',
    '@group(0) @binding(3) var<storage, read> Wt: array<f32>;',
    '@group(0) @binding(4) var<storage, read_write> Y: array<f32>;',
    c.bias ? '@group(0) @binding(5) var<storage, read> bias: array<f32>;' : '',
    ...residualBinding(c.bias ? 6 : 5, c.residual),
    activationFn(c.activation),
    'fn finite(v: f32) -> bool { return (bitcast<u32>(v) & 0x7f800000u) != 0x7f800000u; }',
    LOAD_X,
    '/** One output summed directly, bias first, taps (c, p, q) ascending, padded taps read as 0. */',
    'fn direct(n: u32, o: u32, i: i32, j: i32) -> f32 {',
    '  let grp = o / u.cOutG;',
    `  var s = ${c.bias ? 'bias[o]' : '0.0'};`,
    '  for (var cc = 0u; cc < u.cInG; cc++) {',
    '    let base = i32((n * u.cIn + grp * u.cInG + cc) * u.h * u.w);',
    '    let wb = (o * u.cInG + cc) * 9u;',
    '    for (var p = 0; p < 3; p++) {',
    '      for (var q = 0; q < 3; q++) {',
    '        s = s + Wt[wb + u32(p * 3 + q)] * ld(base, i - i32(u.top) + p, j - i32(u.left) + q);',
    '      }',
    '    }',
    '  }',
    '  return s;',
    '}',
    `@compute @workgroup_size(${WINOGRAD_WG}, 1, 1)`,
    'fn main(@builtin(global_invocation_id) gid: vec3<u32>) {',
    '  let t = gid.x;',
    '  let o = gid.y + u.yBase;',
    '  let n = gid.z + u.zBase;',
    '  if (t >= u.tiles) { return; }',
    '  let grp = o / u.cOutG;',
    `  let mb = ((n * u.groups + grp) * ${a2}u * u.cOutG + o % u.cOutG) * u.tiles + t;`,
    '  let step = u.cOutG * u.tiles;',
    `  let i0 = i32((t / u.tilesW) * ${m}u);`,
    `  let j0 = i32((t % u.tilesW) * ${m}u);`,
    '  let yb = (n * u.cOut + o) * u.hOut * u.wOut;',
  ];
  const fin: string[] = [];
  for (let i = 0; i < alpha; i++) {
    for (let l = 0; l < alpha; l++) {
      lines.push(`  let s_${i}_${l} = M[mb + ${i * alpha + l}u * step];`);
      fin.push(`finite(s_${i}_${l})`);
    }
  }
  lines.push(`  let ok = ${fin.join(' && ')};`);
  lines.push(...transformLets(at, alpha, 's', 'e', 'y'));
  // Both branches write only the tile's outputs inside the image.
  const inside = (i: number | string, j: number | string) => `i0 + ${i} < i32(u.hOut) && j0 + ${j} < i32(u.wOut)`;
  const at_ = (i: number | string, j: number | string) => `yb + u32((i0 + ${i}) * i32(u.wOut) + j0 + ${j})`;
  lines.push('  if (ok) {');
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++)
      lines.push(`    if (${inside(i, j)}) { ${storeOutput('Y', at_(i, j), `y_${i}_${j}${c.bias ? ' + bias[o]' : ''}`, c.residual)} }`);
  }
  lines.push('  } else {');
  // One call site: inlined per output, the direct sum made lavapipe's compile take minutes.
  lines.push(`    for (var i = 0; i < ${m}; i++) {`);
  lines.push(`      for (var j = 0; j < ${m}; j++) {`);
  lines.push(`        if (${inside('i', 'j')}) { ${storeOutput('Y', at_('i', 'j'), 'direct(n, o, i0 + i, j0 + j)', c.residual)} }`);
  lines.push('      }');
  lines.push('    }');
  lines.push('  }');
  lines.push('}');
  return lines.join('\n');
}
