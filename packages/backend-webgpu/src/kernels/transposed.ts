import type { Activation } from '@convroute/core';
import { activationKey, convKernelHeader, residualKey, storeOutput } from '../wgsl.ts';
import type { ConvGeometry } from './conv-geometry.ts';

/**
 * conv-transpose2d as a gather: output (i, j) sums x[a, b] * w[c, o, p, q] over the taps with
 * a*sH - top + p*dH == i (likewise b). An invocation computes `to` output channels for `tw`
 * columns of one phase class (j = r + sW * t): those columns have the same valid taps.
 */
export interface TransposedConfig {
  to: number;
  tw: number;
  wgX: number;
  bias: boolean;
  activation: Activation;
  /** Epilogue fusion: add R (Y's layout) to each activated output, then this activation. */
  residual?: Activation;
}

export function transposedKey(g: ConvGeometry, c: TransposedConfig): string {
  return `transposed:${Object.values(g).join(',')}:${c.to}x${c.tw}:wg${c.wgX}:b${+c.bias}${residualKey(c.residual)}:${activationKey(c.activation)}`;
}

export const transposedBlocks = (g: ConvGeometry, c: TransposedConfig) => Math.ceil(g.cOutG / c.to);
/** Column tiles per phase class. */
export const transposedTiles = (g: ConvGeometry, c: TransposedConfig) => Math.ceil(Math.ceil(g.wOut / g.sW) / c.tw);

/** Weights [C_in, C_out/g, kH, kW] -> [G][OB][kH][kW][Cg_in][to], zero-padded blocks. */
export function packTransposedWeights(w: Float32Array, g: ConvGeometry, to: number): Float32Array {
  const ob = Math.ceil(g.cOutG / to);
  const khw = g.kH * g.kW;
  const out = new Float32Array(g.groups * ob * khw * g.cInG * to);
  for (let gr = 0; gr < g.groups; gr++) {
    for (let c = 0; c < g.cInG; c++) {
      for (let o = 0; o < g.cOutG; o++) {
        const src = ((gr * g.cInG + c) * g.cOutG + o) * khw;
        const b = Math.floor(o / to);
        for (let t = 0; t < khw; t++) out[(((gr * ob + b) * khw + t) * g.cInG + c) * to + (o % to)] = w[src + t];
      }
    }
  }
  return out;
}

/** Grid x: sW * tiles (phase, tile), y: (channel block, output row), z: n * G + g. */
export function transposedWgsl(g: ConvGeometry, c: TransposedConfig): string {
  const nv = c.to / 4;
  const ob = transposedBlocks(g, c);
  const nt = transposedTiles(g, c);
  const r = (n: number) => Array.from({ length: n }, (_, i) => i);
  const L: string[] = [
    ...convKernelHeader('vec4<f32>', c.bias, c.activation, c.residual),
    `@compute @workgroup_size(${c.wgX}, 1, 1)`,
    'fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {',
    `let xi = wid.x * ${c.wgX}u + lid.x;`,
    'let yy = wid.y + u.yBase; let z = wid.z + u.zBase;',
    `let blk = yy / ${g.hOut}u; let oh = i32(yy % ${g.hOut}u);`,
    `if (xi >= ${g.sW * nt}u || blk >= ${ob}u) { return; }`,
    `let j0 = i32(xi % ${g.sW}u + ${g.sW}u * (xi / ${g.sW}u) * ${c.tw}u);`,
    `if (j0 >= ${g.wOut}) { return; }`,
    `let gr = z % ${g.groups}u; let n = z / ${g.groups}u;`,
    `let xBase = i32(z * ${g.cInG * g.h * g.w}u);`,
    `let wBase = i32((gr * ${ob}u + blk) * ${g.kH * g.kW * g.cInG * nv}u);`,
    ...r(c.tw).flatMap((t) => r(nv).map((v) => `var acc${t}_${v} = vec4<f32>(0.0);`)),
    'for (var p = 0; p < i32(u.loopKH); p++) {',
    `let numH = oh + ${g.top} - p * ${g.dH};`,
    `if (numH < 0 || numH % ${g.sH} != 0) { continue; }`,
    `let a = numH / ${g.sH};`,
    `if (a >= ${g.h}) { continue; }`,
    'for (var q = 0; q < i32(u.loopKW); q++) {',
    `let numW = j0 + ${g.left} - q * ${g.dW};`,
    // truncated remainder: divisibility test is exact for negatives too
    `if (numW % ${g.sW} != 0) { continue; }`,
    `let b0 = numW / ${g.sW};`,
    ...r(c.tw).map((t) => `let ok${t} = b0 + ${t} >= 0 && b0 + ${t} < ${g.w} && j0 + ${g.sW * t} < ${g.wOut};`),
    `let wTap = wBase + ((p * ${g.kW} + q) * ${g.cInG}) * ${nv};`,
    'for (var ch = 0; ch < i32(u.loopC); ch++) {',
    `let row = xBase + (ch * ${g.h} + a) * ${g.w} + b0;`,
    ...r(c.tw).map((t) => `let v${t} = vec4<f32>(select(0.0, X[select(0, row + ${t}, ok${t})], ok${t}));`),
    ...r(nv).map((v) => `let w${v} = Wt[wTap + ch * ${nv} + ${v}];`),
    ...r(c.tw).flatMap((t) => r(nv).map((v) => `acc${t}_${v} = fma(v${t}, w${v}, acc${t}_${v});`)),
    '}}}',
  ];
  for (const v of r(nv)) {
    for (const e of r(4)) {
      L.push(`{ let o = blk * ${c.to}u + ${v * 4 + e}u;`);
      L.push(`if (o < ${g.cOutG}u) {`);
      L.push(`let oc = gr * ${g.cOutG}u + o;`);
      L.push(`let yRow = i32(((n * ${g.cOut}u + oc) * ${g.hOut}u + u32(oh)) * ${g.wOut}u);`);
      const b = c.bias ? ' + bias[oc]' : '';
      for (const t of r(c.tw))
        L.push(`if (j0 + ${g.sW * t} < ${g.wOut}) { ${storeOutput('Y', `yRow + j0 + ${g.sW * t}`, `acc${t}_${v}[${e}]${b}`, c.residual)} }`);
      L.push('}}');
    }
  }
  L.push('}');
  return L.join('\n');
}
