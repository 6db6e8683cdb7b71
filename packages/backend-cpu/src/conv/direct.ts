import { type ConvGeometry, validOutputRange } from './geometry.ts';

/**
 * Direct sliding-window conv. For each output plane (n, o), taps (c, p, q) in ascending order, and
 * for each tap every output row with the output row as the inner, contiguous loop (so x is read
 * along a row with stride sW). Out-of-range taps are skipped; padded-tap specials are restored by
 * poisonPaddedNonFiniteTaps.
 */

/** Fast mode: out (pre-zeroed) gets fl32 sums, bias first then (c, p, q) ascending. */
export function directFast(g: ConvGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, out: Float32Array): void {
  const plane = g.hOut * g.wOut;
  for (let n = 0; n < g.n; n++) {
    for (let o = 0; o < g.cOut; o++) {
      const y = out.subarray((n * g.cOut + o) * plane, (n * g.cOut + o + 1) * plane);
      if (bias) y.fill(bias[o]);
      const grp = Math.floor(o / g.cOutG);
      for (let c = 0; c < g.cInG; c++) {
        const xBase = (n * g.cIn + grp * g.cInG + c) * g.h * g.w;
        for (let p = 0; p < g.kH; p++) {
          const [ilo, ihi] = validOutputRange(g.hOut, g.h, g.sH, g.top, p * g.dH);
          for (let q = 0; q < g.kW; q++) {
            const wv = w[((o * g.cInG + c) * g.kH + p) * g.kW + q];
            const [jlo, jhi] = validOutputRange(g.wOut, g.w, g.sW, g.left, q * g.dW);
            const sW = g.sW;
            for (let i = ilo; i < ihi; i++) {
              const xr = xBase + (i * g.sH - g.top + p * g.dH) * g.w - g.left + q * g.dW;
              const yr = i * g.wOut;
              // A Float32Array store rounds: y = fl32(y + w*x), the float64 product being exact.
              for (let j = jlo; j < jhi; j++) y[yr + j] += wv * x[xr + j * sW];
            }
          }
        }
      }
    }
  }
}

/** Exact mode: float64 sums s and absolute sums t of the exact products, for certifyInto. */
export function directExactSums(g: ConvGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, s: Float64Array, t: Float64Array): void {
  const plane = g.hOut * g.wOut;
  for (let n = 0; n < g.n; n++) {
    for (let o = 0; o < g.cOut; o++) {
      const base = (n * g.cOut + o) * plane;
      if (bias) {
        s.fill(bias[o], base, base + plane);
        t.fill(Math.abs(bias[o]), base, base + plane);
      }
      const grp = Math.floor(o / g.cOutG);
      for (let c = 0; c < g.cInG; c++) {
        const xBase = (n * g.cIn + grp * g.cInG + c) * g.h * g.w;
        for (let p = 0; p < g.kH; p++) {
          const [ilo, ihi] = validOutputRange(g.hOut, g.h, g.sH, g.top, p * g.dH);
          for (let q = 0; q < g.kW; q++) {
            const wv = w[((o * g.cInG + c) * g.kH + p) * g.kW + q];
            const [jlo, jhi] = validOutputRange(g.wOut, g.w, g.sW, g.left, q * g.dW);
            const sW = g.sW;
            for (let i = ilo; i < ihi; i++) {
              const xr = xBase + (i * g.sH - g.top + p * g.dH) * g.w - g.left + q * g.dW;
              const yr = base + i * g.wOut;
              for (let j = jlo; j < jhi; j++) {
                const pr = wv * x[xr + j * sW];
                s[yr + j] += pr;
                t[yr + j] += Math.abs(pr);
              }
            }
          }
        }
      }
    }
  }
}
