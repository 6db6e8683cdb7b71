/** Strides that read a tensor of shape `from` at the indices of the broadcast shape `to` (NumPy
 * rules: trailing alignment, stride 0 on an axis of extent 1 or a missing leading axis). */
export function broadcastStrides(from: readonly number[], to: readonly number[]): number[] {
  const strides = new Array<number>(to.length).fill(0);
  let s = 1;
  for (let i = from.length - 1; i >= 0; i--) {
    const j = to.length - from.length + i;
    strides[j] = from[i] === 1 ? 0 : s;
    s *= from[i];
  }
  return strides;
}

/** Calls `f(o, ia, ib)` for every output offset o in row-major order with the offsets of a and b
 * under broadcasting; the last axis runs in an inner loop. */
export function forEachBroadcast(
  out: readonly number[],
  sa: readonly number[],
  sb: readonly number[],
  f: (o: number, ia: number, ib: number, len: number, da: number, db: number) => void,
): void {
  const rank = out.length;
  if (rank === 0) {
    f(0, 0, 0, 1, 0, 0);
    return;
  }
  const inner = out[rank - 1];
  const idx = new Array<number>(rank - 1).fill(0);
  const total = out.reduce((p, d) => p * d, 1);
  let ia = 0;
  let ib = 0;
  for (let o = 0; o < total; o += inner) {
    f(o, ia, ib, inner, sa[rank - 1], sb[rank - 1]);
    for (let d = rank - 2; d >= 0; d--) {
      ia += sa[d];
      ib += sb[d];
      if (++idx[d] < out[d]) break;
      ia -= sa[d] * out[d];
      ib -= sb[d] * out[d];
      idx[d] = 0;
    }
  }
}
