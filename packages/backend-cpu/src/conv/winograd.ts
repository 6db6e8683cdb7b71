import { transformRows, transformTile, type WinogradMethod, winogradFilterTransform, winogradTiles, winogradTransform } from '@convroute/core';
import { gemmFastInto } from '../gemm/driver.ts';
import type { ConvGeometry } from './geometry.ts';

/**
 * Winograd F(m, 3) in fast mode (docs/winograd-bound.md): the filter transform once per call,
 * then per image and group the input transform V[xi][c][t] of every tile t, one float32 GEMM
 * M[xi] = U[xi] V[xi] over the group's input channels per tile point xi, and the output
 * transform A^T M A + bias of each tile, whose outputs past the output's edge are dropped.
 * A tile whose M holds a non-finite value (a non-finite input or weight in its window, or an
 * overflow) is summed directly instead: the transforms mix a window's values, so one infinity
 * would turn outputs that never read it into NaN.
 */
export function winogradFast(
  method: WinogradMethod,
  g: ConvGeometry,
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | undefined,
  out: Float32Array,
  u = winogradFilterTransform(method, w, g.cOut, g.cInG, g.groups),
): void {
  const tr = winogradTransform(method);
  const { m, alpha } = tr;
  const a2 = alpha * alpha;
  const bt = transformRows(tr.bt);
  const at = transformRows(tr.at);
  const { tilesH, tilesW } = winogradTiles(method, g.hOut, g.wOut);
  const T = tilesH * tilesW;
  const v = new Float32Array(a2 * g.cInG * T);
  const mm = new Float32Array(a2 * g.cOutG * T);
  const d = new Float32Array(a2);
  const tmp = new Float32Array(alpha * alpha);
  const vt = new Float32Array(a2);
  const mt = new Float32Array(a2);
  const y = new Float32Array(m * m);
  const plane = g.hOut * g.wOut;
  for (let n = 0; n < g.n; n++) {
    for (let grp = 0; grp < g.groups; grp++) {
      // Input transform: the alpha x alpha window of tile (ti, tj) starts at (ti*m - top, tj*m - left).
      for (let c = 0; c < g.cInG; c++) {
        const xBase = (n * g.cIn + grp * g.cInG + c) * g.h * g.w;
        for (let ti = 0; ti < tilesH; ti++) {
          for (let tj = 0; tj < tilesW; tj++) {
            const r0 = ti * m - g.top;
            const c0 = tj * m - g.left;
            for (let p = 0; p < alpha; p++) {
              const r = r0 + p;
              for (let q = 0; q < alpha; q++) {
                const cc = c0 + q;
                d[p * alpha + q] = r >= 0 && r < g.h && cc >= 0 && cc < g.w ? x[xBase + r * g.w + cc] : 0;
              }
            }
            transformTile(bt, alpha, d, 0, alpha, tmp, vt, 0);
            const t = ti * tilesW + tj;
            for (let xi = 0; xi < a2; xi++) v[(xi * g.cInG + c) * T + t] = vt[xi];
          }
        }
      }
      // The channel sums: M[xi] [C_out/g, T] = U[grp][xi] [C_out/g, C_in/g] x V[xi] [C_in/g, T].
      for (let xi = 0; xi < a2; xi++) {
        gemmFastInto(
          { m: g.cOutG, n: T, k: g.cInG, a: u, aOff: (grp * a2 + xi) * g.cOutG * g.cInG, aRs: g.cInG, aCs: 1, b: v, bOff: xi * g.cInG * T, bRs: T, bCs: 1 },
          { out: mm, outOff: xi * g.cOutG * T, outRs: T },
        );
      }
      // Output transform, bias last, valid outputs only.
      for (let oG = 0; oG < g.cOutG; oG++) {
        const o = grp * g.cOutG + oG;
        const yBase = (n * g.cOut + o) * plane;
        const b = bias ? bias[o] : 0;
        for (let ti = 0; ti < tilesH; ti++) {
          for (let tj = 0; tj < tilesW; tj++) {
            const t = ti * tilesW + tj;
            let finite = true;
            for (let xi = 0; xi < a2; xi++) {
              const val = mm[(xi * g.cOutG + oG) * T + t];
              mt[xi] = val;
              if (val - val !== 0) finite = false;
            }
            const rows = Math.min(m, g.hOut - ti * m);
            const cols = Math.min(m, g.wOut - tj * m);
            if (!finite) {
              directTile(g, x, w, bias, out, n, o, ti * m, tj * m, rows, cols);
              continue;
            }
            transformTile(at, alpha, mt, 0, alpha, tmp, y, 0);
            for (let i = 0; i < rows; i++) {
              for (let j = 0; j < cols; j++) out[yBase + (ti * m + i) * g.wOut + tj * m + j] = bias ? Math.fround(y[i * m + j] + b) : y[i * m + j];
            }
          }
        }
      }
    }
  }
}

/** A tile's outputs summed directly in float32, bias first, taps (c, p, q) ascending, padded
 * taps read as 0 (so IEEE's specials come out as the reference's). */
function directTile(
  g: ConvGeometry,
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | undefined,
  out: Float32Array,
  n: number,
  o: number,
  i0: number,
  j0: number,
  rows: number,
  cols: number,
): void {
  const grp = Math.floor(o / g.cOutG);
  for (let i = i0; i < i0 + rows; i++) {
    for (let j = j0; j < j0 + cols; j++) {
      let s = bias ? bias[o] : 0;
      for (let c = 0; c < g.cInG; c++) {
        const xBase = (n * g.cIn + grp * g.cInG + c) * g.h * g.w;
        for (let p = 0; p < 3; p++) {
          const r = i - g.top + p;
          for (let q = 0; q < 3; q++) {
            const cc = j - g.left + q;
            const xv = r >= 0 && r < g.h && cc >= 0 && cc < g.w ? x[xBase + r * g.w + cc] : 0;
            s = Math.fround(s + w[((o * g.cInG + c) * 3 + p) * 3 + q] * xv);
          }
        }
      }
      out[(n * g.cOut + o) * g.hOut * g.wOut + i * g.wOut + j] = s;
    }
  }
}
