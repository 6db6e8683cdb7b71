import type { Conv2dGeometry } from '@convroute/core';
import { validOutputRange } from './geometry.ts';

/** The extents im2col needs (a forward conv's geometry, or an Im2colSpec's). */
export type Im2colGeometry = Pick<Conv2dGeometry, 'cIn' | 'h' | 'w' | 'kH' | 'kW' | 'sH' | 'sW' | 'top' | 'left' | 'dH' | 'dW' | 'groups' | 'hOut' | 'wOut'>;

/**
 * im2col of image n: out[outOff + (grp*K + r)*L + l] with K = (C/g)*kH*kW rows ordered (c, p, q)
 * and L = H_out*W_out columns (PyTorch `unfold`, per group). Padded reads are 0. A plain copy, so
 * exact in every mode.
 */
export function im2colImage(g: Im2colGeometry, x: Float32Array, n: number, out: Float32Array, outOff: number): void {
  im2colRows(g, x, n, 0, g.hOut, out, outOff);
}

/** im2col of output rows [i0, i1) of image n: as im2colImage with L = (i1 - i0)*W_out columns
 * (a tile of the full matrix, for bounded scratch). */
export function im2colRows(g: Im2colGeometry, x: Float32Array, n: number, i0: number, i1: number, out: Float32Array, outOff: number): void {
  const L = (i1 - i0) * g.wOut;
  let row = outOff;
  for (let c = 0; c < g.cIn; c++) {
    // rows of channel c sit in group floor(c / cInG) at (c % cInG): the same running order
    const xBase = (n * g.cIn + c) * g.h * g.w;
    for (let p = 0; p < g.kH; p++) {
      for (let q = 0; q < g.kW; q++, row += L) {
        const [jlo, jhi] = validOutputRange(g.wOut, g.w, g.sW, g.left, q * g.dW);
        for (let i = i0; i < i1; i++) {
          const o = row + (i - i0) * g.wOut;
          const ih = i * g.sH - g.top + p * g.dH;
          if (ih < 0 || ih >= g.h) {
            out.fill(0, o, o + g.wOut);
            continue;
          }
          if (jlo > 0) out.fill(0, o, o + jlo);
          if (jhi < g.wOut) out.fill(0, o + jhi, o + g.wOut);
          const xr = xBase + ih * g.w - g.left + q * g.dW;
          if (g.sW === 1) {
            out.set(x.subarray(xr + jlo, xr + jhi), o + jlo);
          } else {
            for (let j = jlo; j < jhi; j++) out[o + j] = x[xr + j * g.sW];
          }
        }
      }
    }
  }
}
