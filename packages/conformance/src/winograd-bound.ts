import { type Conv2dSpec, conv2dGeometry, type Tensor, type WinogradMethod, winogradTiles, winogradTransform } from '@convroute/core';
import { errorBound, gamma, MIN_NORMAL, OVERFLOW_THRESHOLD, U } from './error-model.ts';

/**
 * The Winograd bound of docs/winograd-bound.md, per output element of a tile summed through the
 * transforms:
 *   |y_impl - y_exact| <= gamma(K) * W + u |y_exact| / (1 - u) + 2 K 2^-126 W1
 *   W  = |A^T| ( sum_c (|G| |g_c| |G^T|) . (|B^T| |d_c| |B|) ) |A| + |b|   (the abs-pass)
 *   W1 = the same with |g| + 1, |d| + 1 and |b| + 1                          (flushed subnormals)
 *   K  = 2 k(B^T) + 2 k(G) + C_in/g + 2 k(A^T) + 1                          (rounding depth)
 * Outputs of a tile with a non-finite value in its window or filters are summed directly by the
 * kernels, so the reordering bound holds there; a tile whose abs-pass intermediates may reach
 * float32's overflow threshold is unbounded (Infinity), as the reordering bound is.
 */

/** Float64 evaluation of the abs-pass: each step errs by 2^-53 relatively, a few dozen steps
 * deep at most, so this inflation rounds it outward. */
const OUTWARD = 1 + 2 ** -40;

const isPow2 = (v: number) => {
  const a = Math.abs(v);
  return a > 0 && 2 ** Math.round(Math.log2(a)) === a;
};

/**
 * The roundings on one 1-D transform stage: per row, its nonzero terms less one (the sums), one
 * for the products when a coefficient is not +-2^k (those by +-2^k are exact), one more when a
 * coefficient has no exact float32 form (1/6 is stored as fl32(1/6)); the worst row.
 */
export function stageDepth(matrix: readonly (readonly number[])[]): number {
  let worst = 0;
  for (const row of matrix) {
    const nz = row.filter((v) => v !== 0);
    const products = nz.some((v) => !isPow2(v)) ? 1 : 0;
    const constants = nz.some((v) => Math.fround(v) !== v) ? 1 : 0;
    worst = Math.max(worst, nz.length - 1 + products + constants);
  }
  return worst;
}

/** K: the depth of the input, filter and output transforms (two stages each), the channel sum of
 * C_in/g products, and the bias. */
export function winogradDepth(method: WinogradMethod, cInG: number): number {
  const t = winogradTransform(method);
  return 2 * stageDepth(t.bt) + 2 * stageDepth(t.g) + cInG + 2 * stageDepth(t.at) + 1;
}

/** One element's bound from W, W1 and the reference (Infinity when W is not finite). */
export function winogradElementBound(k: number, w: number, w1: number, reference: number): number {
  if (!(w >= 0) || !(w1 >= 0) || w === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  const b = gamma(k) * w + (U * Math.abs(reference)) / (1 - U) + 2 * k * MIN_NORMAL * w1;
  return b * OUTWARD;
}

const absRows = (m: readonly (readonly number[])[]) => m.map((r) => r.map(Math.abs));

/** L X L^T on an abs matrix L (r x k), float64. */
function absTile(l: readonly number[][], k: number, src: Float64Array, out: Float64Array, tmp: Float64Array): void {
  const r = l.length;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += l[i][t] * src[t * k + j];
      tmp[i * k + j] = s;
    }
  }
  for (let i = 0; i < r; i++) {
    for (let jj = 0; jj < r; jj++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += l[jj][t] * tmp[i * k + t];
      out[i * r + jj] = s;
    }
  }
}

export interface WinogradAbs {
  /** The abs-pass W per output (Infinity where the tile may overflow). */
  w: Float64Array;
  /** W1: the abs-pass on |g| + 1, |d| + 1, |b| + 1. */
  w1: Float64Array;
  /** 1 where the kernels sum the output directly (a non-finite value in its tile's window or filter). */
  direct: Uint8Array;
  /** The rounding depth K. */
  k: number;
}

/**
 * The Winograd algorithm run on absolute values (the counterpart of conv2dAbs), tile by tile as
 * the kernels tile: origin at output (0, 0), windows at (ti m - top, tj m - left), zeros outside.
 */
export function winogradAbs(method: WinogradMethod, spec: Conv2dSpec, x: Tensor, wt: Tensor, bias?: Tensor): WinogradAbs {
  const g = conv2dGeometry(spec);
  const tr = winogradTransform(method);
  const { m, alpha } = tr;
  const a2 = alpha * alpha;
  const bt = absRows(tr.bt);
  const gm = absRows(tr.g);
  const at = absRows(tr.at);
  const k = winogradDepth(method, g.cInG);
  const grow = (1 + gamma(k)) * OUTWARD;
  const { tilesH, tilesW } = winogradTiles(method, g.hOut, g.wOut);
  const T = tilesH * tilesW;
  const plane = g.hOut * g.wOut;
  const size = g.n * g.cOut * plane;
  const res: WinogradAbs = { w: new Float64Array(size), w1: new Float64Array(size), direct: new Uint8Array(size), k };
  const xd = x.data;
  const wd = wt.data;
  const b = spec.bias ? bias?.data : undefined;
  // Filters: U and U1 per output channel and input channel, their max, and whether finite.
  const uf = new Float64Array(g.cOut * g.cInG * a2);
  const uf1 = new Float64Array(g.cOut * g.cInG * a2);
  const filterFinite = new Uint8Array(g.cOut);
  const filterMax = new Float64Array(g.cOut);
  const src3 = new Float64Array(9);
  const srcA = new Float64Array(a2);
  const tmp = new Float64Array(alpha * alpha);
  const tile = new Float64Array(a2);
  for (let o = 0; o < g.cOut; o++) {
    let finite = true;
    let mx = 0;
    for (let c = 0; c < g.cInG; c++) {
      const off = (o * g.cInG + c) * 9;
      for (let e = 0; e < 9; e++) {
        const v = wd[off + e];
        if (!Number.isFinite(v)) finite = false;
        src3[e] = Math.abs(v);
      }
      absTile(gm, 3, src3, tile, tmp);
      uf.set(tile, (o * g.cInG + c) * a2);
      for (let e = 0; e < a2; e++) mx = Math.max(mx, tile[e]);
      for (let e = 0; e < alpha * 3; e++) mx = Math.max(mx, tmp[e]);
      for (let e = 0; e < 9; e++) src3[e] += 1;
      absTile(gm, 3, src3, tile, tmp);
      uf1.set(tile, (o * g.cInG + c) * a2);
    }
    filterFinite[o] = finite ? 1 : 0;
    filterMax[o] = mx;
  }
  const vf = new Float64Array(g.cInG * T * a2);
  const vf1 = new Float64Array(g.cInG * T * a2);
  const tileFinite = new Uint8Array(T);
  const tileVMax = new Float64Array(T);
  const mt = new Float64Array(a2);
  const mt1 = new Float64Array(a2);
  const out = new Float64Array(m * m);
  for (let n = 0; n < g.n; n++) {
    for (let grp = 0; grp < g.groups; grp++) {
      tileFinite.fill(1);
      tileVMax.fill(0);
      for (let c = 0; c < g.cInG; c++) {
        const xBase = (n * g.cIn + grp * g.cInG + c) * g.h * g.w;
        for (let ti = 0; ti < tilesH; ti++) {
          for (let tj = 0; tj < tilesW; tj++) {
            const t = ti * tilesW + tj;
            for (let p = 0; p < alpha; p++) {
              for (let q = 0; q < alpha; q++) {
                const r = ti * m - g.top + p;
                const cc = tj * m - g.left + q;
                const v = r >= 0 && r < g.h && cc >= 0 && cc < g.w ? xd[xBase + r * g.w + cc] : 0;
                if (!Number.isFinite(v)) tileFinite[t] = 0;
                srcA[p * alpha + q] = Math.abs(v);
              }
            }
            absTile(bt, alpha, srcA, tile, tmp);
            vf.set(tile, (c * T + t) * a2);
            for (let e = 0; e < a2; e++) tileVMax[t] = Math.max(tileVMax[t], tile[e], tmp[e]);
            for (let e = 0; e < a2; e++) srcA[e] += 1;
            absTile(bt, alpha, srcA, tile, tmp);
            vf1.set(tile, (c * T + t) * a2);
          }
        }
      }
      for (let oG = 0; oG < g.cOutG; oG++) {
        const o = grp * g.cOutG + oG;
        const bo = b ? Math.abs(b[o]) : 0;
        const biasFinite = Number.isFinite(bo);
        for (let t = 0; t < T; t++) {
          mt.fill(0);
          mt1.fill(0);
          for (let c = 0; c < g.cInG; c++) {
            const uo = (o * g.cInG + c) * a2;
            const vo = (c * T + t) * a2;
            for (let e = 0; e < a2; e++) {
              mt[e] += uf[uo + e] * vf[vo + e];
              mt1[e] += uf1[uo + e] * vf1[vo + e];
            }
          }
          let peak = Math.max(tileVMax[t], filterMax[o]);
          for (let e = 0; e < a2; e++) peak = Math.max(peak, mt[e]);
          // The output transform's first stage is at most its result's row sums; the final one is W.
          absTile(at, alpha, mt, out, tmp);
          for (let e = 0; e < at.length * alpha; e++) peak = Math.max(peak, tmp[e]);
          const ti = Math.floor(t / tilesW);
          const tj = t % tilesW;
          const direct = !tileFinite[t] || !filterFinite[o] || !biasFinite;
          const overflow = !(peak * grow < OVERFLOW_THRESHOLD);
          const w0 = out.slice();
          absTile(at, alpha, mt1, out, tmp);
          for (let i = 0; i < m && ti * m + i < g.hOut; i++) {
            for (let j = 0; j < m && tj * m + j < g.wOut; j++) {
              const idx = (n * g.cOut + o) * plane + (ti * m + i) * g.wOut + tj * m + j;
              res.direct[idx] = direct ? 1 : 0;
              const wv = (w0[i * m + j] + bo) * OUTWARD;
              res.w[idx] = overflow || !(wv * grow < OVERFLOW_THRESHOLD) ? Number.POSITIVE_INFINITY : wv;
              res.w1[idx] = (out[i * m + j] + bo + (b ? 1 : 0)) * OUTWARD;
            }
          }
        }
      }
    }
  }
  return res;
}

/** Per-element bounds for a Winograd method's output: the Winograd bound, or the reordering bound
 * (n terms, the reference's A) where the kernels sum directly. */
export function winogradBounds(method: WinogradMethod, spec: Conv2dSpec, inputs: readonly Tensor[], reference: Tensor, abs: Tensor, n: number): Float64Array {
  const wa = winogradAbs(method, spec, inputs[0], inputs[1], inputs[2]);
  const ref = reference.data;
  const out = new Float64Array(ref.length);
  for (let i = 0; i < ref.length; i++) {
    out[i] = wa.direct[i] ? errorBound(n, abs.data[i], ref[i]) : winogradElementBound(wa.k, wa.w[i], wa.w1[i], ref[i]);
  }
  return out;
}
