import type { Activation } from '@convroute/core';
import { activationKey, convKernelHeader, residualKey, storeOutput } from '../wgsl.ts';
import type { ConvGeometry } from './conv-geometry.ts';

/** Each invocation computes `tw` (multiple of 4) consecutive output columns of one channel row,
 * accumulated as vec4s: vectorised along the width, any kernel size, stride, dilation, padding. */
export interface DepthwiseConfig {
  tw: number;
  /** Output rows per invocation (default 1). Above 1, the 2-D blocked kernel: every input row
   * strip is loaded once and reused by each output row and tap that reads it (register blocking
   * in both dimensions), with rows, taps and weights unrolled. */
  th?: number;
  wgX: number;
  wgY: number;
  /** Blocked kernel: channels per workgroup (small images fill the SIMD lanes with channels). */
  wgZ?: number;
  bias: boolean;
  activation: Activation;
  /** Epilogue fusion: add R (Y's layout) to each activated output, then this activation. */
  residual?: Activation;
}

export function depthwiseKey(g: ConvGeometry, c: DepthwiseConfig): string {
  return `depthwise:${Object.values(g).join(',')}:${c.tw}x${c.th ?? 1}:wg${c.wgX}x${c.wgY}x${c.wgZ ?? 1}:b${+c.bias}${residualKey(c.residual)}:${activationKey(c.activation)}`;
}

/** Input values one output row needs from one input row: `tw` outputs x `kW` taps. */
export const depthwiseStrip = (g: ConvGeometry, tw: number) => (tw - 1) * g.sW + (g.kW - 1) * g.dW + 1;

/** Longest strip loaded into registers; beyond it every tap is gathered on its own. */
const MAX_STRIP = 40;

/**
 * One input row's contribution. Strip form: the row's input values are loaded once and reused by
 * every tap (on llvmpipe each load is a per-lane gather, so this cuts loads ~kW-fold for stride 1);
 * the taps are unrolled, so kW is baked in. Gather form for very wide kernels.
 */
function rowBody(g: ConvGeometry, c: DepthwiseConfig): string[] {
  const r = (n: number) => Array.from({ length: n }, (_, i) => i);
  const nv = c.tw / 4;
  const span = depthwiseStrip(g, c.tw);
  if (span > MAX_STRIP) {
    return [
      'for (var q = 0; q < i32(u.loopKW); q++) {',
      `let wv = vec4<f32>(Wt[wBase + p * ${g.kW} + q]);`,
      ...r(c.tw).flatMap((t) => [
        `let x${t} = ix${t} + q * ${g.dW}; let ok${t} = x${t} >= 0 && x${t} < ${g.w};`,
        `let v${t} = select(0.0, X[select(0, row + x${t}, ok${t})], ok${t});`,
      ]),
      ...r(nv).map(
        (v) =>
          `acc${v} = fma(vec4<f32>(${r(4)
            .map((e) => `v${v * 4 + e}`)
            .join(', ')}), wv, acc${v});`,
      ),
      '}',
    ];
  }
  const L = r(span).flatMap((i) => [
    `let sx${i} = ix0 + ${i}; let so${i} = sx${i} >= 0 && sx${i} < ${g.w};`,
    `let s${i} = select(0.0, X[select(0, row + sx${i}, so${i})], so${i});`,
  ]);
  for (const q of r(g.kW)) {
    L.push(`{ let wv = vec4<f32>(Wt[wBase + p * ${g.kW} + ${q}]);`);
    for (const v of r(nv))
      L.push(
        `acc${v} = fma(vec4<f32>(${r(4)
          .map((e) => `s${(v * 4 + e) * g.sW + q * g.dW}`)
          .join(', ')}), wv, acc${v});`,
      );
    L.push('}');
  }
  return L;
}

/** Input rows a th-row block reads. */
export const depthwiseRows = (g: ConvGeometry, th: number) => (th - 1) * g.sH + (g.kH - 1) * g.dH + 1;

/** Whether the 2-D blocked kernel applies: strips in registers, unrolled code kept small. */
export const depthwiseBlocked = (g: ConvGeometry, c: Pick<DepthwiseConfig, 'tw' | 'th'>) =>
  (c.th ?? 1) > 1 && depthwiseStrip(g, c.tw) <= MAX_STRIP && depthwiseRows(g, c.th ?? 1) * g.kW * c.tw <= 1024;

/**
 * The 2-D register-blocked kernel: an invocation computes th x tw outputs of one channel. On
 * llvmpipe every per-lane storage load is a gather (scalarised, bounds-checked), so loads, not
 * FMAs, bound depthwise; each input value is loaded once per invocation here and reused by up to
 * kH rows x kW taps (3x3 s1, 4x8 block: 60 loads for 288 FMAs against 54 for 144 with one row).
 * No early return (divergent control flow): loads are masked by bounds, stores checked.
 */
function blockedWgsl(g: ConvGeometry, c: DepthwiseConfig): string {
  const r = (n: number) => Array.from({ length: n }, (_, i) => i);
  const th = c.th ?? 1;
  const span = depthwiseStrip(g, c.tw);
  const rows = depthwiseRows(g, th);
  const wgZ = c.wgZ ?? 1;
  const L: string[] = [
    ...convKernelHeader('f32', c.bias, c.activation, c.residual),
    `@compute @workgroup_size(${c.wgX}, ${c.wgY}, ${wgZ})`,
    'fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {',
    `let ow0 = (wid.x * ${c.wgX}u + lid.x) * ${c.tw}u;`,
    `let oh0 = ((wid.y + u.yBase) * ${c.wgY}u + lid.y) * ${th}u;`,
    `let zz = (wid.z + u.zBase) * ${wgZ}u + lid.z;`,
    `let z = min(zz, ${g.n * g.cIn - 1}u);`,
    `let ch = z % ${g.cIn}u;`,
    `let xBase = i32(z * ${g.h * g.w}u);`,
    `let wBase = ch * ${g.kH * g.kW}u;`,
    ...r(g.kH * g.kW).map((t) => `let w${t} = Wt[wBase + ${t}u];`),
    `let ix0 = i32(ow0 * ${g.sW}u) - ${g.left};`,
    `let iy0 = i32(oh0 * ${g.sH}u) - ${g.top};`,
    ...r(span).map((i) => `let sx${i} = ix0 + ${i}; let sc${i} = clamp(sx${i}, 0, ${g.w - 1}); let so${i} = sx${i} == sc${i};`),
    ...r(th).flatMap((i) => r(c.tw).map((t) => `var acc${i}_${t} = 0.0;`)),
  ];
  for (const row of r(rows)) {
    // Output rows i and taps p with i*sH + p*dH == row read this input row.
    const uses = r(th).flatMap((i) =>
      r(g.kH)
        .filter((p) => i * g.sH + p * g.dH === row)
        .map((p) => [i, p] as const),
    );
    if (uses.length === 0) continue;
    L.push('{');
    L.push(`let y = iy0 + ${row}; let yok = y >= 0 && y < ${g.h}; let rb = xBase + clamp(y, 0, ${g.h - 1}) * ${g.w};`);
    for (const i of r(span)) L.push(`let s${i} = select(0.0, X[rb + sc${i}], yok && so${i});`);
    for (const [i, p] of uses)
      for (const q of r(g.kW)) for (const t of r(c.tw)) L.push(`acc${i}_${t} = fma(s${t * g.sW + q * g.dW}, w${p * g.kW + q}, acc${i}_${t});`);
    L.push('}');
  }
  if (c.bias) L.push('let bv = bias[ch];');
  for (const i of r(th)) {
    L.push(`if (oh0 + ${i}u < ${g.hOut}u && zz == z) {`);
    L.push(`let yOff = (z * ${g.hOut}u + oh0 + ${i}u) * ${g.wOut}u + ow0;`);
    for (const t of r(c.tw))
      L.push(`if (ow0 + ${t}u < ${g.wOut}u) { ${storeOutput('Y', `yOff + ${t}u`, `acc${i}_${t}${c.bias ? ' + bv' : ''}`, c.residual)} }`);
    L.push('}');
  }
  L.push('}');
  return L.join('\n');
}

/** Grid x: column tiles, y: output row tiles (of th rows), z: n * C + c. Weights are used as
 * given [C, 1, kH, kW]. */
export function depthwiseWgsl(g: ConvGeometry, c: DepthwiseConfig): string {
  if (depthwiseBlocked(g, c)) return blockedWgsl(g, c);
  const nv = c.tw / 4;
  const r = (n: number) => Array.from({ length: n }, (_, i) => i);
  const L: string[] = [
    ...convKernelHeader('f32', c.bias, c.activation, c.residual),
    `@compute @workgroup_size(${c.wgX}, ${c.wgY}, 1)`,
    'fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {',
    `let ow0 = (wid.x * ${c.wgX}u + lid.x) * ${c.tw}u;`,
    `let oh = (wid.y + u.yBase) * ${c.wgY}u + lid.y;`,
    'let z = wid.z + u.zBase;',
    `if (ow0 >= ${g.wOut}u || oh >= ${g.hOut}u) { return; }`,
    `let ch = z % ${g.cIn}u;`,
    `let xBase = i32(z * ${g.h * g.w}u);`,
    `let wBase = i32(ch * ${g.kH * g.kW}u);`,
    ...r(c.tw).map((t) => `let ix${t} = i32((ow0 + ${t}u) * ${g.sW}u) - ${g.left};`),
    ...r(nv).map((v) => `var acc${v} = vec4<f32>(0.0);`),
    `let iy0 = i32(oh * ${g.sH}u) - ${g.top};`,
    'for (var p = 0; p < i32(u.loopKH); p++) {',
    `let y = iy0 + p * ${g.dH};`,
    `if (y < 0 || y >= ${g.h}) { continue; }`,
    `let row = xBase + y * ${g.w};`,
    ...rowBody(g, c),
    '}',

    `let yOff = (z * ${g.hOut}u + oh) * ${g.wOut}u + ow0;`,
    c.bias ? 'let bv = bias[ch];' : '',
  ];
  for (const v of r(nv)) {
    for (const e of r(4)) {
      const t = v * 4 + e;
      L.push(`if (ow0 + ${t}u < ${g.wOut}u) { ${storeOutput('Y', `yOff + ${t}u`, `acc${v}[${e}]${c.bias ? ' + bv' : ''}`, c.residual)} }`);
    }
  }
  L.push('}');
  return L.join('\n');
}
