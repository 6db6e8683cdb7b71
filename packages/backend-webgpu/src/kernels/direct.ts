import type { Activation, Precision } from '@convroute/core';
import { kernelTypes } from '../f16.ts';
import { activationKey, convKernelHeader, residualKey, storeOutput } from '../wgsl.ts';
import type { ConvGeometry } from './conv-geometry.ts';

/** Tile of one invocation: `to` output channels (multiple of 4) x `tw` output columns. */
export interface DirectConfig {
  to: number;
  tw: number;
  wgX: number;
  bias: boolean;
  activation: Activation;
  /** Epilogue fusion: add R (Y's layout) to each activated output, then this activation. */
  residual?: Activation;
  /** f16 storage and, for 'f16', f16 arithmetic (f16.ts); absent: f32. */
  precision?: Precision;
}

export function directKey(g: ConvGeometry, c: DirectConfig): string {
  return `direct:${Object.values(g).join(',')}:${c.to}x${c.tw}:wg${c.wgX}:b${+c.bias}${residualKey(c.residual)}:${activationKey(c.activation)}${kernelTypes(c.precision).key}`;
}

/** Output-channel blocks per group. */
export const directBlocks = (g: ConvGeometry, c: DirectConfig) => Math.ceil(g.cOutG / c.to);

/**
 * Prepacked weights for `direct`: [G][OB][Cg][kH][kW][to], zero-padded to whole blocks, so an
 * invocation reads its `to` filters' tap as to/4 vec4 loads.
 */
export function packDirectWeights(w: Float32Array, g: ConvGeometry, to: number): Float32Array {
  const ob = Math.ceil(g.cOutG / to);
  const taps = g.cInG * g.kH * g.kW;
  const out = new Float32Array(g.groups * ob * taps * to);
  for (let gr = 0; gr < g.groups; gr++) {
    for (let o = 0; o < g.cOutG; o++) {
      const b = Math.floor(o / to);
      const lane = o % to;
      const src = (gr * g.cOutG + o) * taps;
      const dst = (gr * ob + b) * taps * to + lane;
      for (let t = 0; t < taps; t++) out[dst + t * to] = w[src + t];
    }
  }
  return out;
}

/** Sliding-window conv; grid x: column tiles, y: (channel block, output row), z: n * G + g. */
export function directWgsl(g: ConvGeometry, c: DirectConfig): string {
  const nv = c.to / 4;
  const ob = directBlocks(g, c);
  const r = (n: number) => Array.from({ length: n }, (_, i) => i);
  const t = kernelTypes(c.precision);
  const { at, load } = t;
  const wLoad = (e: string) => (t.st === at ? e : `vec4<${at}>(${e})`);
  const L: string[] = [
    ...convKernelHeader('vec4<f32>', c.bias, c.activation, c.residual, t),
    `@compute @workgroup_size(${c.wgX}, 1, 1)`,
    'fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {',
    `let ow0 = (wid.x * ${c.wgX}u + lid.x) * ${c.tw}u;`,
    'let yy = wid.y + u.yBase; let z = wid.z + u.zBase;',
    `let blk = yy / ${g.hOut}u; let oh = yy % ${g.hOut}u;`,
    `if (ow0 >= ${g.wOut}u || blk >= ${ob}u) { return; }`,
    `let gr = z % ${g.groups}u; let n = z / ${g.groups}u;`,
    `let xBase = i32(z * ${g.cInG * g.h * g.w}u);`,
    `let wBase = (gr * ${ob}u + blk) * ${g.cInG * g.kH * g.kW * nv}u;`,
    ...r(c.tw).map((t) => `let ix${t} = i32((ow0 + ${t}u) * ${g.sW}u) - ${g.left};`),
    ...r(c.tw).flatMap((i) => r(nv).map((v) => `var acc${i}_${v} = vec4<${t.at}>(0.0);`)),
    `let iy0 = i32(oh * ${g.sH}u) - ${g.top};`,
    'for (var ch = 0; ch < i32(u.loopC); ch++) {',
    'for (var p = 0; p < i32(u.loopKH); p++) {',
    `let y = iy0 + p * ${g.dH};`,
    `if (y < 0 || y >= ${g.h}) { continue; }`,
    `let row = xBase + (ch * ${g.h} + y) * ${g.w};`,
    `let wRow = wBase + u32((ch * ${g.kH} + p) * ${g.kW * nv});`,
    'for (var q = 0; q < i32(u.loopKW); q++) {',
    ...r(c.tw).flatMap((t) => [
      `let x${t} = ix${t} + q * ${g.dW}; let ok${t} = x${t} >= 0 && x${t} < ${g.w};`,
      `let v${t} = vec4<${at}>(select(0.0, ${load(`X[select(0, row + x${t}, ok${t})]`)}, ok${t}));`,
    ]),
    ...r(nv).map((v) => `let w${v} = ${wLoad(`Wt[wRow + u32(q * ${nv}) + ${v}u]`)};`),
    ...r(c.tw).flatMap((t) => r(nv).map((v) => `acc${t}_${v} = fma(v${t}, w${v}, acc${t}_${v});`)),
    '}}}',
  ];
  for (const v of r(nv)) {
    for (const e of r(4)) {
      const oc = v * 4 + e;
      L.push(`{ let o = blk * ${c.to}u + ${oc}u;`);
      L.push(`if (o < ${g.cOutG}u) {`);
      L.push(`let oc = gr * ${g.cOutG}u + o;`);
      L.push(`let yOff = ((n * ${g.cOut}u + oc) * ${g.hOut}u + oh) * ${g.wOut}u + ow0;`);
      const b = c.bias ? ` + ${load('bias[oc]')}` : '';
      for (const i of r(c.tw)) L.push(`if (ow0 + ${i}u < ${g.wOut}u) { ${storeOutput('Y', `yOff + ${i}u`, t.out(`acc${i}_${v}[${e}]${b}`), c.residual)} }`);
      L.push('}}');
    }
  }
  L.push('}');
  return L.join('\n');
}
