import type { ConvGeometry } from './geometry.ts';

/**
 * Transposed conv by scatter: each input pixel x[n, c, a, b] adds x * w[c, o', p, q] to
 * y[n, o, a*sH - top + p*dH, b*sW - left + q*dW] when that lies in the output. Loops run c, o',
 * p, q, a, b (input column innermost), so every output receives its terms bias first, then in
 * ascending (c, p, q): a fixed, documented order.
 */

/** Input columns b whose output column b*s - pad + offset lies in [0, outExtent). */
function inputRange(inExtent: number, outExtent: number, s: number, pad: number, offset: number): [number, number] {
  const lo = Math.max(0, Math.ceil((pad - offset) / s));
  const hi = Math.min(inExtent, Math.floor((outExtent - 1 + pad - offset) / s) + 1);
  return [lo, Math.max(lo, hi)];
}

function initPlanes(g: ConvGeometry, bias: Float32Array | undefined, fill: (o: number, base: number, end: number) => void): void {
  if (!bias) return;
  const plane = g.hOut * g.wOut;
  for (let n = 0; n < g.n; n++) for (let o = 0; o < g.cOut; o++) fill(o, (n * g.cOut + o) * plane, (n * g.cOut + o + 1) * plane);
}

export function transposedFast(g: ConvGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, out: Float32Array): void {
  initPlanes(g, bias, (o, b, e) => out.fill(bias![o], b, e));
  const plane = g.hOut * g.wOut;
  for (let n = 0; n < g.n; n++) {
    for (let c = 0; c < g.cIn; c++) {
      const grp = Math.floor(c / g.cInG);
      const xBase = (n * g.cIn + c) * g.h * g.w;
      for (let oo = 0; oo < g.cOutG; oo++) {
        const yBase = (n * g.cOut + grp * g.cOutG + oo) * plane;
        for (let p = 0; p < g.kH; p++) {
          const [alo, ahi] = inputRange(g.h, g.hOut, g.sH, g.top, p * g.dH);
          for (let q = 0; q < g.kW; q++) {
            const wv = w[((c * g.cOutG + oo) * g.kH + p) * g.kW + q];
            const [blo, bhi] = inputRange(g.w, g.wOut, g.sW, g.left, q * g.dW);
            const sW = g.sW;
            for (let a = alo; a < ahi; a++) {
              const yr = yBase + (a * g.sH - g.top + p * g.dH) * g.wOut - g.left + q * g.dW;
              const xr = xBase + a * g.w;
              for (let b = blo; b < bhi; b++) out[yr + b * sW] += wv * x[xr + b];
            }
          }
        }
      }
    }
  }
}

/** Exact mode: float64 sums and absolute sums of the exact products, for certifyInto. */
export function transposedExactSums(g: ConvGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, s: Float64Array, t: Float64Array): void {
  initPlanes(g, bias, (o, b, e) => {
    s.fill(bias![o], b, e);
    t.fill(Math.abs(bias![o]), b, e);
  });
  const plane = g.hOut * g.wOut;
  for (let n = 0; n < g.n; n++) {
    for (let c = 0; c < g.cIn; c++) {
      const grp = Math.floor(c / g.cInG);
      const xBase = (n * g.cIn + c) * g.h * g.w;
      for (let oo = 0; oo < g.cOutG; oo++) {
        const yBase = (n * g.cOut + grp * g.cOutG + oo) * plane;
        for (let p = 0; p < g.kH; p++) {
          const [alo, ahi] = inputRange(g.h, g.hOut, g.sH, g.top, p * g.dH);
          for (let q = 0; q < g.kW; q++) {
            const wv = w[((c * g.cOutG + oo) * g.kH + p) * g.kW + q];
            const [blo, bhi] = inputRange(g.w, g.wOut, g.sW, g.left, q * g.dW);
            const sW = g.sW;
            for (let a = alo; a < ahi; a++) {
              const yr = yBase + (a * g.sH - g.top + p * g.dH) * g.wOut - g.left + q * g.dW;
              const xr = xBase + a * g.w;
              for (let b = blo; b < bhi; b++) {
                const pr = wv * x[xr + b];
                s[yr + b * sW] += pr;
                t[yr + b * sW] += Math.abs(pr);
              }
            }
          }
        }
      }
    }
  }
}
