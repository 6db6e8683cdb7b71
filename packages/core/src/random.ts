/** mulberry32: a tiny seeded PRNG (public domain, Tommy Ettinger) for reproducible test data and
 * graph fills; not for anything needing statistical quality. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform float32 values in [low, high) from a seed. */
export function uniformData(size: number, seed: number, low = -1, high = 1): Float32Array {
  const rnd = seededRandom(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = low + (high - low) * rnd();
  return out;
}
