import { type GemmProblem, gemmExactInto, gemmFastInto } from '../gemm/driver.ts';
import { type ConvGemmMethod, convGemmTiling, DEFAULT_TILE_BYTES } from '../memory.ts';
import type { ConvGeometry } from './geometry.ts';
import { im2colRows } from './im2col.ts';

export type GemmMode = 'exact' | 'fast' | 'abs';

function runGemm(p: GemmProblem, out: Float32Array, outOff: number, outRs: number, mode: GemmMode): void {
  const dst = { out, outOff, outRs };
  if (mode === 'fast') gemmFastInto(p, dst);
  else gemmExactInto(p, dst, mode === 'abs' ? 'abs' : 'round');
}

/**
 * A conv as GEMMs per image, group and tile of output rows: W_g [C_out/g, K] x cols [K, rows*W_out]
 * with K ordered (c, p, q), written into the output's columns of those rows. Tiles bound the
 * scratch (im2col columns and the GEMM's packing and sums) to `tileBytes`, so a large input runs
 * in bounded memory, as WebGPU's row-tiled im2col does. Pointwise with stride 1 and no padding
 * reads X [C_in, H*W] in place; pointwise with padding or stride gathers through im2col, whose
 * padded columns are 0, so those outputs are the bias alone (then the activation).
 */
export function convGemm(
  g: ConvGeometry,
  method: ConvGemmMethod,
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | undefined,
  out: Float32Array,
  mode: GemmMode,
  tileBytes = DEFAULT_TILE_BYTES,
): void {
  const L = g.hOut * g.wOut;
  const K = g.cInG * g.kH * g.kW;
  const { rows, inPlace } = convGemmTiling(g, method, mode, tileBytes);
  const cols = inPlace ? undefined : new Float32Array(g.groups * K * rows * g.wOut);
  for (let n = 0; n < g.n; n++) {
    for (let i0 = 0; i0 < g.hOut; i0 += rows) {
      const i1 = Math.min(g.hOut, i0 + rows);
      const Lc = (i1 - i0) * g.wOut;
      if (cols) im2colRows(g, x, n, i0, i1, cols, 0);
      for (let grp = 0; grp < g.groups; grp++) {
        const p: GemmProblem = {
          m: g.cOutG,
          n: Lc,
          k: K,
          a: w,
          aOff: grp * g.cOutG * K,
          aRs: K,
          aCs: 1,
          b: cols ?? x,
          bOff: cols ? grp * K * Lc : n * g.cIn * g.h * g.w + i0 * g.w,
          bRs: cols ? Lc : g.h * g.w,
          bCs: 1,
          bias: bias ? { values: bias, offset: grp * g.cOutG, rs: 1, cs: 0 } : undefined,
        };
        runGemm(p, out, (n * g.cOut + grp * g.cOutG) * L + i0 * g.wOut, L, mode);
      }
    }
  }
}
