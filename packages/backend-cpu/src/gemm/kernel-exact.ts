import { forEachMicroTile, MR, NR } from './pack.ts';

/**
 * Exact-mode GEMM accumulation: S[i, j] += sum_k A[i, k] * B[k, j] and T[i, j] += sum_k |A[i, k] *
 * B[k, j]| in float64, on packed panels, with a 4x4 block of outputs held in locals. S and T are
 * [Mp, Np] row-major and hold the initial values (bias) on entry. The float64 sums are inexact;
 * certifyInto decides or falls back per element (exact/certify.ts).
 */
export function gemmAccumulateExact(ap: Float64Array, bp: Float64Array, mp: number, np: number, k: number, s: Float64Array, t: Float64Array): void {
  forEachMicroTile(mp, np, k, (a, b, kc, o) => microExact(ap, a, bp, b, kc, s, t, o, np));
}

function microExact(ap: Float64Array, a: number, bp: Float64Array, b: number, kc: number, S: Float64Array, T: Float64Array, o: number, np: number): void {
  const o1 = o + np;
  const o2 = o1 + np;
  const o3 = o2 + np;
  let s00 = S[o],
    s01 = S[o + 1],
    s02 = S[o + 2],
    s03 = S[o + 3];
  let s10 = S[o1],
    s11 = S[o1 + 1],
    s12 = S[o1 + 2],
    s13 = S[o1 + 3];
  let s20 = S[o2],
    s21 = S[o2 + 1],
    s22 = S[o2 + 2],
    s23 = S[o2 + 3];
  let s30 = S[o3],
    s31 = S[o3 + 1],
    s32 = S[o3 + 2],
    s33 = S[o3 + 3];
  let t00 = T[o],
    t01 = T[o + 1],
    t02 = T[o + 2],
    t03 = T[o + 3];
  let t10 = T[o1],
    t11 = T[o1 + 1],
    t12 = T[o1 + 2],
    t13 = T[o1 + 3];
  let t20 = T[o2],
    t21 = T[o2 + 1],
    t22 = T[o2 + 2],
    t23 = T[o2 + 3];
  let t30 = T[o3],
    t31 = T[o3 + 1],
    t32 = T[o3 + 2],
    t33 = T[o3 + 3];
  for (let kk = 0; kk < kc; kk++, a += MR, b += NR) {
    const a0 = ap[a],
      a1 = ap[a + 1],
      a2 = ap[a + 2],
      a3 = ap[a + 3];
    const b0 = bp[b],
      b1 = bp[b + 1],
      b2 = bp[b + 2],
      b3 = bp[b + 3];
    let p = a0 * b0;
    s00 += p;
    t00 += Math.abs(p);
    p = a0 * b1;
    s01 += p;
    t01 += Math.abs(p);
    p = a0 * b2;
    s02 += p;
    t02 += Math.abs(p);
    p = a0 * b3;
    s03 += p;
    t03 += Math.abs(p);
    p = a1 * b0;
    s10 += p;
    t10 += Math.abs(p);
    p = a1 * b1;
    s11 += p;
    t11 += Math.abs(p);
    p = a1 * b2;
    s12 += p;
    t12 += Math.abs(p);
    p = a1 * b3;
    s13 += p;
    t13 += Math.abs(p);
    p = a2 * b0;
    s20 += p;
    t20 += Math.abs(p);
    p = a2 * b1;
    s21 += p;
    t21 += Math.abs(p);
    p = a2 * b2;
    s22 += p;
    t22 += Math.abs(p);
    p = a2 * b3;
    s23 += p;
    t23 += Math.abs(p);
    p = a3 * b0;
    s30 += p;
    t30 += Math.abs(p);
    p = a3 * b1;
    s31 += p;
    t31 += Math.abs(p);
    p = a3 * b2;
    s32 += p;
    t32 += Math.abs(p);
    p = a3 * b3;
    s33 += p;
    t33 += Math.abs(p);
  }
  S[o] = s00;
  S[o + 1] = s01;
  S[o + 2] = s02;
  S[o + 3] = s03;
  S[o1] = s10;
  S[o1 + 1] = s11;
  S[o1 + 2] = s12;
  S[o1 + 3] = s13;
  S[o2] = s20;
  S[o2 + 1] = s21;
  S[o2 + 2] = s22;
  S[o2 + 3] = s23;
  S[o3] = s30;
  S[o3 + 1] = s31;
  S[o3 + 2] = s32;
  S[o3 + 3] = s33;
  T[o] = t00;
  T[o + 1] = t01;
  T[o + 2] = t02;
  T[o + 3] = t03;
  T[o1] = t10;
  T[o1 + 1] = t11;
  T[o1 + 2] = t12;
  T[o1 + 3] = t13;
  T[o2] = t20;
  T[o2 + 1] = t21;
  T[o2 + 2] = t22;
  T[o2 + 3] = t23;
  T[o3] = t30;
  T[o3 + 1] = t31;
  T[o3 + 2] = t32;
  T[o3 + 3] = t33;
}
