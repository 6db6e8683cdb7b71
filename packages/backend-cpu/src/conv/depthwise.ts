import { certifyInto } from '../exact/certify.ts';
import type { ConvGeometry } from './geometry.ts';

/**
 * Depthwise conv (groups == C_in == C_out): one kH x kW filter per channel, each output summed
 * in a local accumulator over its in-range taps (p, q) ascending, bias first. Per-row and
 * per-column tap ranges are computed once so the inner loop carries no bounds checks.
 */
function tapRanges(outExtent: number, inExtent: number, s: number, pad: number, k: number, d: number): Int32Array {
  const r = new Int32Array(outExtent * 2);
  for (let i = 0; i < outExtent; i++) {
    const start = i * s - pad;
    let lo = 0;
    while (lo < k && start + lo * d < 0) lo++;
    let hi = k;
    while (hi > lo && start + (hi - 1) * d >= inExtent) hi--;
    r[2 * i] = lo;
    r[2 * i + 1] = hi;
  }
  return r;
}

export function depthwiseFast(g: ConvGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, out: Float32Array): void {
  const fr = Math.fround;
  const rows = tapRanges(g.hOut, g.h, g.sH, g.top, g.kH, g.dH);
  const cols = tapRanges(g.wOut, g.w, g.sW, g.left, g.kW, g.dW);
  const taps = g.kH * g.kW;
  const wk = new Float64Array(taps);
  for (let n = 0; n < g.n; n++) {
    for (let c = 0; c < g.cIn; c++) {
      for (let t = 0; t < taps; t++) wk[t] = w[c * taps + t];
      const b0 = bias ? bias[c] : 0;
      const xBase = (n * g.cIn + c) * g.h * g.w;
      let o = (n * g.cOut + c) * g.hOut * g.wOut;
      for (let i = 0; i < g.hOut; i++) {
        const plo = rows[2 * i];
        const phi = rows[2 * i + 1];
        const xRow = xBase + (i * g.sH - g.top) * g.w;
        for (let j = 0; j < g.wOut; j++, o++) {
          const qlo = cols[2 * j];
          const qhi = cols[2 * j + 1];
          const xCol = xRow + j * g.sW - g.left;
          let acc = b0;
          for (let p = plo; p < phi; p++) {
            const xr = xCol + p * g.dH * g.w;
            const wr = p * g.kW;
            for (let q = qlo; q < qhi; q++) acc = fr(acc + wk[wr + q] * x[xr + q * g.dW]);
          }
          out[o] = acc;
        }
      }
    }
  }
}

/** Exact mode: per-output float64 sum and absolute sum, certified per channel plane. */
export function depthwiseExact(
  g: ConvGeometry,
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | undefined,
  out: Float32Array,
  exact: (index: number) => number,
): void {
  const rows = tapRanges(g.hOut, g.h, g.sH, g.top, g.kH, g.dH);
  const cols = tapRanges(g.wOut, g.w, g.sW, g.left, g.kW, g.dW);
  const taps = g.kH * g.kW;
  const plane = g.hOut * g.wOut;
  const wk = new Float64Array(taps);
  const s = new Float64Array(plane);
  const t = new Float64Array(plane);
  for (let n = 0; n < g.n; n++) {
    for (let c = 0; c < g.cIn; c++) {
      for (let k = 0; k < taps; k++) wk[k] = w[c * taps + k];
      const b0 = bias ? bias[c] : 0;
      const xBase = (n * g.cIn + c) * g.h * g.w;
      let o = 0;
      for (let i = 0; i < g.hOut; i++) {
        const plo = rows[2 * i];
        const phi = rows[2 * i + 1];
        const xRow = xBase + (i * g.sH - g.top) * g.w;
        for (let j = 0; j < g.wOut; j++, o++) {
          const qlo = cols[2 * j];
          const qhi = cols[2 * j + 1];
          const xCol = xRow + j * g.sW - g.left;
          let acc = b0;
          let abs = Math.abs(b0);
          for (let p = plo; p < phi; p++) {
            const xr = xCol + p * g.dH * g.w;
            const wr = p * g.kW;
            for (let q = qlo; q < qhi; q++) {
              const pr = wk[wr + q] * x[xr + q * g.dW];
              acc += pr;
              abs += Math.abs(pr);
            }
          }
          s[o] = acc;
          t[o] = abs;
        }
      }
      const base = (n * g.cOut + c) * plane;
      certifyInto(s, t, plane, g.nTerms, out, base, (k) => exact(base + k));
    }
  }
}
