import { type GemmProblem, gemmExactInto, gemmFastInto } from '../gemm/driver.ts';
import type { ConvGeometry } from './geometry.ts';
import { im2colImage } from './im2col.ts';

export type GemmMode = 'exact' | 'fast' | 'abs';

function runGemm(p: GemmProblem, out: Float32Array, outOff: number, outRs: number, mode: GemmMode): void {
  const dst = { out, outOff, outRs };
  if (mode === 'fast') gemmFastInto(p, dst);
  else gemmExactInto(p, dst, mode === 'abs' ? 'abs' : 'round');
}

/**
 * Pointwise conv as a GEMM per image: W [C_out, C_in] x X [C_in, H*W] (1x1, groups 1, no
 * padding). With stride > 1 the subsampled pixels are gathered first; otherwise X is used in
 * place, with no im2col.
 */
export function pointwiseConv(g: ConvGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, out: Float32Array, mode: GemmMode): void {
  const L = g.hOut * g.wOut;
  const strided = g.sH !== 1 || g.sW !== 1;
  const sub = strided ? new Float32Array(g.cIn * L) : undefined;
  for (let n = 0; n < g.n; n++) {
    let src = x;
    let off = n * g.cIn * g.h * g.w;
    if (sub) {
      for (let c = 0, d = 0; c < g.cIn; c++) {
        const xc = off + c * g.h * g.w;
        for (let i = 0; i < g.hOut; i++) for (let j = 0; j < g.wOut; j++) sub[d++] = x[xc + i * g.sH * g.w + j * g.sW];
      }
      src = sub;
      off = 0;
    }
    const p: GemmProblem = {
      m: g.cOut,
      n: L,
      k: g.cIn,
      a: w,
      aOff: 0,
      aRs: g.cIn,
      aCs: 1,
      b: src,
      bOff: off,
      bRs: strided ? L : g.h * g.w,
      bCs: 1,
      bias: bias ? { values: bias, offset: 0, per: 'row' } : undefined,
    };
    runGemm(p, out, n * g.cOut * L, L, mode);
  }
}

/** im2col + GEMM per image and group: W_g [C_out/g, K] x cols_g [K, L], K ordered (c, p, q). */
export function im2colGemmConv(g: ConvGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, out: Float32Array, mode: GemmMode): void {
  const L = g.hOut * g.wOut;
  const K = g.cInG * g.kH * g.kW;
  const cols = new Float32Array(g.groups * K * L);
  for (let n = 0; n < g.n; n++) {
    im2colImage(g, x, n, cols, 0);
    for (let grp = 0; grp < g.groups; grp++) {
      const p: GemmProblem = {
        m: g.cOutG,
        n: L,
        k: K,
        a: w,
        aOff: grp * g.cOutG * K,
        aRs: K,
        aCs: 1,
        b: cols,
        bOff: grp * K * L,
        bRs: L,
        bCs: 1,
        bias: bias ? { values: bias, offset: grp * g.cOutG, per: 'row' } : undefined,
      };
      runGemm(p, out, (n * g.cOut + grp * g.cOutG) * L, L, mode);
    }
  }
}
