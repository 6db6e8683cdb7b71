import { forEachMicroTile, MR, NR } from './pack.ts';

/**
 * Fast-mode GEMM: C[i, j] = fl32(C[i, j] + A[i, k] * B[k, j]) for k = 0, 1, ..., K-1 in that order,
 * C holding the initial value (bias) on entry. Every step rounds the accumulator to float32
 * (Math.fround), so the result is the same whatever the blocking: deterministic, and each step
 * errs like a float32 FMA (the float64 a*b is exact; c + a*b rounds to float64 then float32, a
 * relative error below 2^-24 * (1 + 2^-29)). Same blocking as the exact kernel.
 */
export function gemmAccumulateFast(ap: Float64Array, bp: Float64Array, mp: number, np: number, k: number, c: Float32Array): void {
  forEachMicroTile(mp, np, k, (a, b, kc, o) => microFast(ap, a, bp, b, kc, c, o, np));
}

function microFast(ap: Float64Array, a: number, bp: Float64Array, b: number, kc: number, C: Float32Array, o: number, np: number): void {
  const fr = Math.fround;
  const o1 = o + np;
  const o2 = o1 + np;
  const o3 = o2 + np;
  let c00 = C[o],
    c01 = C[o + 1],
    c02 = C[o + 2],
    c03 = C[o + 3];
  let c10 = C[o1],
    c11 = C[o1 + 1],
    c12 = C[o1 + 2],
    c13 = C[o1 + 3];
  let c20 = C[o2],
    c21 = C[o2 + 1],
    c22 = C[o2 + 2],
    c23 = C[o2 + 3];
  let c30 = C[o3],
    c31 = C[o3 + 1],
    c32 = C[o3 + 2],
    c33 = C[o3 + 3];
  for (let kk = 0; kk < kc; kk++, a += MR, b += NR) {
    const b0 = bp[b],
      b1 = bp[b + 1],
      b2 = bp[b + 2],
      b3 = bp[b + 3];
    let x = ap[a];
    c00 = fr(c00 + x * b0);
    c01 = fr(c01 + x * b1);
    c02 = fr(c02 + x * b2);
    c03 = fr(c03 + x * b3);
    x = ap[a + 1];
    c10 = fr(c10 + x * b0);
    c11 = fr(c11 + x * b1);
    c12 = fr(c12 + x * b2);
    c13 = fr(c13 + x * b3);
    x = ap[a + 2];
    c20 = fr(c20 + x * b0);
    c21 = fr(c21 + x * b1);
    c22 = fr(c22 + x * b2);
    c23 = fr(c23 + x * b3);
    x = ap[a + 3];
    c30 = fr(c30 + x * b0);
    c31 = fr(c31 + x * b1);
    c32 = fr(c32 + x * b2);
    c33 = fr(c33 + x * b3);
  }
  C[o] = c00;
  C[o + 1] = c01;
  C[o + 2] = c02;
  C[o + 3] = c03;
  C[o1] = c10;
  C[o1 + 1] = c11;
  C[o1 + 2] = c12;
  C[o1 + 3] = c13;
  C[o2] = c20;
  C[o2 + 1] = c21;
  C[o2 + 2] = c22;
  C[o2 + 3] = c23;
  C[o3] = c30;
  C[o3 + 1] = c31;
  C[o3 + 2] = c32;
  C[o3 + 3] = c33;
}
