import type { ConvGeometry } from './geometry.ts';

/**
 * docs/semantics.md's forward formula reads out-of-range x as 0 and still multiplies it by w, so a padded
 * tap with an infinite or NaN weight makes that output NaN (IEEE: inf * 0 = NaN), as im2col + GEMM
 * computes naturally. Kernels that skip padded taps call this afterwards; it costs nothing unless
 * the weights hold a non-finite value.
 */
export function poisonPaddedNonFiniteTaps(g: ConvGeometry, w: Float32Array, out: Float32Array): void {
  let any = false;
  for (let i = 0; i < w.length; i++) {
    if (w[i] - w[i] !== 0) {
      any = true;
      break;
    }
  }
  if (!any) return;
  for (let o = 0; o < g.cOut; o++) {
    for (let c = 0; c < g.cInG; c++) {
      for (let p = 0; p < g.kH; p++) {
        for (let q = 0; q < g.kW; q++) {
          const wv = w[((o * g.cInG + c) * g.kH + p) * g.kW + q];
          if (wv - wv === 0) continue;
          for (let n = 0; n < g.n; n++) {
            const plane = (n * g.cOut + o) * g.hOut * g.wOut;
            for (let i = 0; i < g.hOut; i++) {
              const ih = i * g.sH - g.top + p * g.dH;
              for (let j = 0; j < g.wOut; j++) {
                const iw = j * g.sW - g.left + q * g.dW;
                if (ih < 0 || ih >= g.h || iw < 0 || iw >= g.w) out[plane + i * g.wOut + j] = Number.NaN;
              }
            }
          }
        }
      }
    }
  }
}
