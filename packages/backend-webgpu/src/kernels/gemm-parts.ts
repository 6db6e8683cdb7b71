import { kernelTypes } from '../f16.ts';
import { activationFn, paramsStruct, residualBinding, storeOutput } from '../wgsl.ts';
import type { GemmBSource, GemmConfig } from './gemm-config.ts';

export const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Implicit GEMM, per column j of an invocation's tn: `l{j}` (clamped output index) and the input
 * window's top-left corner `ih{j}`, `iw{j}` (negative in the padding). */
export function im2colCorners(s: Extract<GemmBSource, { kind: 'im2col' }>, tn: number): string[] {
  return range(tn).flatMap((j) => [
    `let l${j} = min(col0 + ${j}u, u.N - 1u);`,
    `let ih${j} = i32((l${j} / ${s.wOut}u) * ${s.sH}u) - ${s.top}; let iw${j} = i32((l${j} % ${s.wOut}u) * ${s.sW}u) - ${s.left};`,
  ]);
}

/** Uniform words, in order. loopC/loopKH/loopKW are the implicit source's loop trip counts, kept
 * out of the code: with constant bounds llvmpipe's LLVM unrolls the loops fully and a pipeline
 * took seconds to compile. C[z][row*ldc + col] for row < M, col < N; A offset repeats with
 * period aPeriod in z (conv groups), B and C advance by strideB / strideC per z. */
export const GEMM_PARAMS = [
  'M',
  'N',
  'K',
  'ldc',
  'aPeriod',
  'strideA',
  'strideB',
  'strideC',
  'aBase',
  'bBase',
  'cBase',
  'biasBase',
  'loopC',
  'loopKH',
  'loopKW',
  'yBase',
  'zBase',
] as const;

/** GEMM_PARAMS plus the x chunk offset, for kernels whose grid is wider than the device allows in
 * one dispatch (GemmConfig.splitX); only those declare it, so the common kernels are unchanged. */
export const GEMM_PARAMS_SPLIT_X = [...GEMM_PARAMS, 'xBase'] as const;

/** The workgroup's column-block index: `wid.x`, offset by the chunk's xBase when x is split. */
export function wgCol(c: GemmConfig): string {
  return c.splitX ? '(wid.x + u.xBase)' : 'wid.x';
}

/** The bindings every GEMM kernel declares. */
export function header(c: GemmConfig): string {
  const { st, enable } = kernelTypes(c.precision);
  const bType = c.vecB ? `vec4<${st}>` : st;
  return [
    ...enable,
    ...(c.subgroupA || c.subgroupB ? ['enable subgroups;'] : []),
    paramsStruct(c.splitX ? GEMM_PARAMS_SPLIT_X : GEMM_PARAMS),
    `@group(0) @binding(1) var<storage, read> A: array<${c.vecA ? `vec4<${st}>` : st}>;`,
    `@group(0) @binding(2) var<storage, read> B: array<${bType}>;`,
    '@group(0) @binding(3) var<storage, read_write> C: array<f32>;',
    c.bias !== 'none' ? `@group(0) @binding(4) var<storage, read> bias: array<${st}>;` : '',
    ...residualBinding(c.bias !== 'none' ? 5 : 4, c.residual),
    activationFn(c.activation),
  ].join('\n');
}

/** Stores acc rows/cols with bounds, bias and activation. */
export function epilogue(c: GemmConfig, accName: (i: number, j: number) => string): string {
  // f16 precisions: the bias is stored as f16 and added in the arithmetic type; C is f32.
  const t = kernelTypes(c.precision);
  const lines: string[] = ['let cOff = u.cBase + z * u.strideC;'];
  for (const i of range(c.tm)) {
    lines.push(`if (row0 + ${i}u < u.M) {`);
    lines.push(`  let cr = cOff + (row0 + ${i}u) * u.ldc;`);
    if (c.bias === 'row') lines.push(`  let bv = ${t.load(`bias[u.biasBase + (z % u.aPeriod) * u.M + row0 + ${i}u]`)};`);
    for (const jj of range(c.tn / 4)) {
      for (const e of range(4)) {
        const j = jj * 4 + e;
        const b = c.bias === 'row' ? ' + bv' : c.bias === 'col' ? ` + ${t.load(`bias[u.biasBase + col0 + ${j}u]`)}` : '';
        lines.push(`  if (col0 + ${j}u < u.N) { ${storeOutput('C', `cr + col0 + ${j}u`, t.out(`${accName(i, j)}${b}`), c.residual)} }`);
      }
    }
    lines.push('}');
  }
  return lines.join('\n');
}

/** Bounds-checked scalar loads (zero outside), for cooperative staging in workgroup memory;
 * `withA` false when A is read as vec4 (no scalar view of it). */
export function loadFns(c: GemmConfig, withA = true): string {
  const a = c.transA ? 'A[aOff + k * u.M + row]' : 'A[aOff + row * u.K + k]';
  const fa = `fn loadA(aOff: u32, row: u32, k: u32) -> f32 { if (row >= u.M || k >= u.K) { return 0.0; } return ${a}; }`;
  let fb: string;
  if (c.bSource.kind === 'buffer') {
    const b = c.vecB ? 'B[(bOff + k * u.N + col) / 4u][(bOff + k * u.N + col) % 4u]' : c.transB ? 'B[bOff + col * u.K + k]' : 'B[bOff + k * u.N + col]';
    fb = `fn loadB(bOff: u32, k: u32, col: u32) -> f32 { if (col >= u.N || k >= u.K) { return 0.0; } return ${b}; }`;
  } else {
    const s = c.bSource;
    fb = `fn loadB(bOff: u32, k: u32, col: u32) -> f32 {
  if (col >= u.N || k >= u.K) { return 0.0; }
  let ch = k / ${s.kH * s.kW}u; let pq = k % ${s.kH * s.kW}u;
  let y = i32((col / ${s.wOut}u) * ${s.sH}u) - ${s.top} + i32(pq / ${s.kW}u) * ${s.dH};
  let x = i32((col % ${s.wOut}u) * ${s.sW}u) - ${s.left} + i32(pq % ${s.kW}u) * ${s.dW};
  if (y < 0 || y >= ${s.h} || x < 0 || x >= ${s.w}) { return 0.0; }
  return B[bOff + ch * ${s.h * s.w}u + u32(y) * ${s.w}u + u32(x)];
}`;
  }
  return withA ? `${fa}\n${fb}` : fb;
}
