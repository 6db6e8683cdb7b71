import { certifyInto } from '../exact/certify.ts';
import { type ConvGeometry, validOutputRange } from './geometry.ts';

/**
 * Depthwise conv (groups == C_in == C_out): one kH x kW filter per channel. Each output row is
 * accumulated in a small row buffer that stays in L1: for each in-range tap row p and tap column
 * q, a contiguous pass over the row's outputs. Every output receives its terms bias first, then
 * (p, q) ascending.
 */

export function depthwiseFast(g: ConvGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, out: Float32Array): void {
  const { h, w: W, hOut, wOut, kH, kW, sH, sW, dH, dW, top, left } = g;
  const fr = Math.fround;
  const taps = kH * kW;
  const plane = hOut * wOut;
  const cols: [number, number][] = [];
  for (let q = 0; q < kW; q++) cols.push(validOutputRange(wOut, W, sW, left, q * dW));
  // Columns where all three taps of a 3-wide filter are in range: one fused pass there (the
  // common 3x3 case: one read of each input row per output), per-tap passes at the edges. Order
  // is unchanged.
  const fused = kW === 3;
  const inLo = fused ? Math.max(cols[0][0], cols[1][0], cols[2][0]) : 0;
  const inHi = fused ? Math.max(inLo, Math.min(cols[0][1], cols[1][1], cols[2][1])) : 0;
  for (let n = 0; n < g.n; n++) {
    for (let c = 0; c < g.cIn; c++) {
      const xBase = (n * g.cIn + c) * h * W;
      const y = out.subarray((n * g.cOut + c) * plane, (n * g.cOut + c + 1) * plane);
      if (bias) y.fill(bias[c]);
      for (let p = 0; p < kH; p++) {
        const [ilo, ihi] = validOutputRange(hOut, h, sH, top, p * dH);
        const wr = c * taps + p * kW;
        for (let i = ilo; i < ihi; i++) {
          const xr = xBase + (i * sH - top + p * dH) * W - left;
          const yr = i * wOut;
          for (let q = 0; q < kW; q++) {
            const wv = w[wr + q];
            const xq = xr + q * dW;
            const [jlo, jhi] = cols[q];
            // Float32Array stores round: y = fl32(y + w*x)
            if (!fused) {
              for (let j = jlo; j < jhi; j++) y[yr + j] += wv * x[xq + j * sW];
            } else {
              for (let j = jlo; j < Math.min(jhi, inLo); j++) y[yr + j] += wv * x[xq + j * sW];
              for (let j = Math.max(jlo, inHi); j < jhi; j++) y[yr + j] += wv * x[xq + j * sW];
            }
          }
          if (fused) {
            const w0 = w[wr];
            const w1 = w[wr + 1];
            const w2 = w[wr + 2];
            for (let j = inLo; j < inHi; j++) {
              const xj = xr + j * sW;
              y[yr + j] = fr(fr(fr(y[yr + j] + w0 * x[xj]) + w1 * x[xj + dW]) + w2 * x[xj + 2 * dW]);
            }
          }
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
  const { h, w: W, hOut, wOut, kH, kW, sH, sW, dH, dW, top, left } = g;
  const taps = kH * kW;
  const plane = hOut * wOut;
  const s = new Float64Array(plane);
  const t = new Float64Array(plane);
  const cols: number[][] = [];
  for (let q = 0; q < kW; q++) cols.push(validOutputRange(wOut, W, sW, left, q * dW));
  for (let n = 0; n < g.n; n++) {
    for (let c = 0; c < g.cIn; c++) {
      const xBase = (n * g.cIn + c) * h * W;
      const b0 = bias ? bias[c] : 0;
      s.fill(b0);
      t.fill(Math.abs(b0));
      for (let i = 0; i < hOut; i++) {
        const yr = i * wOut;
        for (let p = 0; p < kH; p++) {
          const ih = i * sH - top + p * dH;
          if (ih < 0 || ih >= h) continue;
          for (let q = 0; q < kW; q++) {
            const wv = w[c * taps + p * kW + q];
            const [jlo, jhi] = cols[q];
            const xr = xBase + ih * W - left + q * dW;
            for (let j = jlo; j < jhi; j++) {
              const pr = wv * x[xr + j * sW];
              s[yr + j] += pr;
              t[yr + j] += Math.abs(pr);
            }
          }
        }
      }
      const base = (n * g.cOut + c) * plane;
      certifyInto(s, t, plane, g.nTerms, out, base, (k) => exact(base + k));
    }
  }
}
