/**
 * Packing for the register-blocked GEMM kernels (the layout of Goto and van de Geijn, "Anatomy of
 * High-Performance Matrix Multiplication", TOMS 2008): A as panels of MR = 4 rows, B as panels of
 * NR = 4 columns, each panel k-major so the micro-kernel reads both sequentially. Panels hold
 * float64 (exact copies of float32 values): V8 then loads them without a float32 -> float64
 * conversion in the inner loop. Rows and columns past M and N are zero.
 */
export const MR = 4;
export const NR = 4;

/** Cache blocking shared by both micro-kernels: a KC x MC block of packed A (8 bytes each) is
 * 256 KiB, well inside the 2 MiB L2 of the machines we measured on; a KC x NR panel of B (8 KiB)
 * stays in L1. */
const KC = 256;
const MC = 128;

/**
 * Walks packed [Mp, K] x [K, Np] in KC-deep, MC-tall blocks and calls `micro` once per MR x NR
 * output tile and k-block, with the offsets of its A and B panels, the block depth and the tile's
 * row-major output offset (row stride Np). The micro-kernels hold the tile in locals, so both
 * modes keep their hot loops and share the order of accumulation.
 */
export function forEachMicroTile(mp: number, np: number, k: number, micro: (aOff: number, bOff: number, kc: number, outOff: number) => void): void {
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(k, k0 + KC) - k0;
    for (let i0 = 0; i0 < mp; i0 += MC) {
      const i1 = Math.min(mp, i0 + MC);
      for (let j = 0; j < np; j += NR) {
        for (let i = i0; i < i1; i += MR) micro(i * k + k0 * MR, j * k + k0 * NR, kc, i * np + j);
      }
    }
  }
}

export function roundUpTo(v: number, m: number): number {
  return Math.ceil(v / m) * m;
}

/** Packs op(A) [M, K] where element (i, k) is src[off + i*rs + k*cs]. Returns [Mp/MR][K][MR]. */
export function packA(src: Float32Array, off: number, m: number, k: number, rs: number, cs: number, out?: Float64Array): Float64Array {
  const mp = roundUpTo(m, MR);
  const ap = out && out.length >= mp * k ? out : new Float64Array(mp * k);
  for (let i0 = 0; i0 < mp; i0 += MR) {
    const base = i0 * k;
    for (let r = 0; r < MR; r++) {
      const i = i0 + r;
      if (i >= m) {
        for (let kk = 0; kk < k; kk++) ap[base + kk * MR + r] = 0;
        continue;
      }
      let s = off + i * rs;
      for (let kk = 0; kk < k; kk++, s += cs) ap[base + kk * MR + r] = src[s];
    }
  }
  return ap;
}

/** Packs op(B) [K, N] where element (k, j) is src[off + k*rs + j*cs]. Returns [Np/NR][K][NR]. */
export function packB(src: Float32Array, off: number, k: number, n: number, rs: number, cs: number, out?: Float64Array): Float64Array {
  const np = roundUpTo(n, NR);
  const bp = out && out.length >= np * k ? out : new Float64Array(np * k);
  for (let j0 = 0; j0 < np; j0 += NR) {
    const base = j0 * k;
    if (j0 + NR <= n && cs === 1) {
      // common case: four adjacent columns of a row-major B
      let s = off + j0;
      for (let kk = 0, d = base; kk < k; kk++, s += rs, d += NR) {
        bp[d] = src[s];
        bp[d + 1] = src[s + 1];
        bp[d + 2] = src[s + 2];
        bp[d + 3] = src[s + 3];
      }
      continue;
    }
    for (let r = 0; r < NR; r++) {
      const j = j0 + r;
      if (j >= n) {
        for (let kk = 0; kk < k; kk++) bp[base + kk * NR + r] = 0;
        continue;
      }
      let s = off + j * cs;
      for (let kk = 0; kk < k; kk++, s += rs) bp[base + kk * NR + r] = src[s];
    }
  }
  return bp;
}
