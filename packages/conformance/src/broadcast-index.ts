/** Maps a flat index of the broadcast shape `to` to the flat index of `from` (NumPy rules). */
export function broadcastIndex(from: readonly number[], to: readonly number[]): (i: number) => number {
  const strides = new Array<number>(to.length).fill(0);
  let s = 1;
  for (let d = from.length - 1; d >= 0; d--) {
    strides[to.length - from.length + d] = from[d] === 1 ? 0 : s;
    s *= from[d];
  }
  return (i) => {
    let o = 0;
    for (let d = to.length - 1; d >= 0; d--) {
      o += (i % to[d]) * strides[d];
      i = Math.floor(i / to[d]);
    }
    return o;
  };
}
