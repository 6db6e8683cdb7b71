import type { ExactAccumulator } from '../exact/accumulator.ts';
import type { ConvGeometry } from './geometry.ts';

/**
 * The exact value of one output element, by docs/semantics.md's gather formula, for the rare elements the
 * float64 fast path cannot decide. Forward convs include out-of-range taps as w * 0 (NaN when w is
 * not finite), as the formula reads; transposed convs sum only the (a, p) pairs that hit i.
 */
export function exactConvElement(
  g: ConvGeometry,
  transposed: boolean,
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | undefined,
  index: number,
  acc: ExactAccumulator,
): number {
  const j = index % g.wOut;
  const i = Math.floor(index / g.wOut) % g.hOut;
  const o = Math.floor(index / (g.wOut * g.hOut)) % g.cOut;
  const n = Math.floor(index / (g.wOut * g.hOut * g.cOut));
  const grp = Math.floor(o / g.cOutG);
  acc.reset();
  if (bias) acc.add(bias[o]);
  if (!transposed) {
    for (let c = 0; c < g.cInG; c++) {
      const xBase = (n * g.cIn + grp * g.cInG + c) * g.h * g.w;
      for (let p = 0; p < g.kH; p++) {
        const ih = i * g.sH - g.top + p * g.dH;
        for (let q = 0; q < g.kW; q++) {
          const iw = j * g.sW - g.left + q * g.dW;
          const xv = ih >= 0 && ih < g.h && iw >= 0 && iw < g.w ? x[xBase + ih * g.w + iw] : 0;
          acc.addProduct(w[((o * g.cInG + c) * g.kH + p) * g.kW + q], xv);
        }
      }
    }
    return acc.round();
  }
  const oo = o - grp * g.cOutG;
  for (let c = grp * g.cInG; c < (grp + 1) * g.cInG; c++) {
    for (let p = 0; p < g.kH; p++) {
      const ra = i + g.top - p * g.dH;
      if (ra < 0 || ra % g.sH !== 0 || ra / g.sH >= g.h) continue;
      const a = ra / g.sH;
      for (let q = 0; q < g.kW; q++) {
        const rb = j + g.left - q * g.dW;
        if (rb < 0 || rb % g.sW !== 0 || rb / g.sW >= g.w) continue;
        acc.addProduct(x[((n * g.cIn + c) * g.h + a) * g.w + rb / g.sW], w[((c * g.cOutG + oo) * g.kH + p) * g.kW + q]);
      }
    }
  }
  return acc.round();
}
