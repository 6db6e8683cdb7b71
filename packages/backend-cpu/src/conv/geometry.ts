import { type Conv2dGeometry, type Conv2dSpec, conv2dGeometry, conv2dReductionLength } from '@convroute/core';

/** Core's geometry plus the CPU's term count. */
export interface ConvGeometry extends Conv2dGeometry {
  /** terms per output element, bias included (an upper bound for transposed convs) */
  nTerms: number;
}

export function convGeometry(spec: Conv2dSpec): ConvGeometry {
  return { ...conv2dGeometry(spec), nTerms: conv2dReductionLength(spec) };
}

/** The output columns j whose forward tap column j*s - pad + q*d lies inside [0, extent): [lo, hi),
 * with 0 <= lo <= hi <= outExtent. A tap that reads only padding gives an empty range at the end
 * (lo = hi = outExtent): unclamped, lo could pass the row's end (left padding wider than the
 * output), and callers filling [0, lo) or copying at lo wrote past the row. */
export function validOutputRange(outExtent: number, inExtent: number, s: number, pad: number, offset: number): [number, number] {
  const lo = Math.min(outExtent, Math.max(0, Math.ceil((pad - offset) / s)));
  const hi = Math.min(outExtent, Math.floor((inExtent - 1 + pad - offset) / s) + 1);
  return [lo, Math.max(lo, hi)];
}
