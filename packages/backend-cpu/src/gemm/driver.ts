import { ExactAccumulator } from '../exact/accumulator.ts';
import { certifyInto, roundUpAbs } from '../exact/certify.ts';
import { gemmAccumulateExact } from './kernel-exact.ts';
import { gemmAccumulateFast } from './kernel-fast.ts';
import { MR, NR, packA, packB, roundUpTo } from './pack.ts';

/** One GEMM problem Y[i, j] = bias + sum_k op(A)[i, k] * op(B)[k, j] on strided float32 data:
 * op(A)(i, k) = a[aOff + i*aRs + k*aCs], op(B)(k, j) = b[bOff + k*bRs + j*bCs]; the bias is
 * values[offset + i*rs + j*cs] (per row for a conv's channels, rs = 1, cs = 0; per column for a
 * gemm's [N]; any broadcast of ONNX Gemm's C), or absent. With `affine`,
 * Y = alpha * sum + beta * bias instead (ONNX Gemm). */
export interface GemmProblem {
  m: number;
  n: number;
  k: number;
  a: Float32Array;
  aOff: number;
  aRs: number;
  aCs: number;
  b: Float32Array;
  bOff: number;
  bRs: number;
  bCs: number;
  bias?: { values: Float32Array; offset: number; rs: number; cs: number };
  affine?: { alpha: number; beta: number };
}

/** Where Y goes: out[outOff + i*outRs + j]. */
export interface GemmTarget {
  out: Float32Array;
  outOff: number;
  outRs: number;
}

function biasAt(p: GemmProblem, i: number, j: number): number {
  if (!p.bias) return 0;
  const { values, offset, rs, cs } = p.bias;
  return values[offset + i * rs + j * cs];
}

/**
 * Exact mode ('round': each Y the float32 nearest the exact sum) or the absolute-value GEMM of the
 * error model ('abs': |bias| + sum |a*b| rounded up to float32).
 */
export function gemmExactInto(p: GemmProblem, dst: GemmTarget, what: 'round' | 'abs' = 'round'): void {
  const { m, n, k } = p;
  const mp = roundUpTo(m, MR);
  const np = roundUpTo(n, NR);
  const ap = packA(p.a, p.aOff, m, k, p.aRs, p.aCs);
  const bp = packB(p.b, p.bOff, k, n, p.bRs, p.bCs);
  const s = new Float64Array(mp * np);
  const t = new Float64Array(mp * np);
  if (p.affine) {
    affineExactInto(p, dst, what, ap, bp, s, t);
    return;
  }
  if (p.bias) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const v = biasAt(p, i, j);
        s[i * np + j] = v;
        t[i * np + j] = Math.abs(v);
      }
    }
  }
  gemmAccumulateExact(ap, bp, mp, np, k, s, t);
  const nTerms = k + (p.bias ? 1 : 0);
  if (what === 'abs') {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) dst.out[dst.outOff + i * dst.outRs + j] = roundUpAbs(t[i * np + j], nTerms);
    }
    return;
  }
  const acc = new ExactAccumulator();
  for (let i = 0; i < m; i++) {
    const aBase = Math.floor(i / MR) * MR * k + (i % MR);
    const row = i * np;
    certifyInto(s.subarray(row, row + n), t.subarray(row, row + n), n, nTerms, dst.out, dst.outOff + i * dst.outRs, (j) => {
      // Rare: the float64 sum is too close to a float32 midpoint; sum this element exactly.
      acc.reset().add(biasAt(p, i, j));
      const bBase = Math.floor(j / NR) * NR * k + (j % NR);
      for (let kk = 0; kk < k; kk++) acc.addProduct(ap[aBase + kk * MR], bp[bBase + kk * NR]);
      return acc.round();
    });
  }
}

/**
 * Y = R(alpha * S + beta * c) with S the exact sum (ONNX Gemm's alpha and beta), certified as
 * certifyInto does: v = alpha * s + beta * c in double (beta * c is exact) errs from the exact
 * value by at most |alpha| * gamma(k-1) * t + 2.01 * 2^-53 * (|alpha| t + |beta c|) <=
 * (k + 2) * 2^-53 * T' with T' = |alpha| t + |beta c|, half the margin certifyInto takes for
 * nTerms = k + 2 (+1 spare). Undecided elements are summed exactly: alpha * (a * b) through
 * TwoProduct (a * b is exact in double), plus beta * c.
 */
function affineExactInto(p: GemmProblem, dst: GemmTarget, what: 'round' | 'abs', ap: Float64Array, bp: Float64Array, s: Float64Array, t: Float64Array): void {
  const { m, n, k } = p;
  const { alpha, beta } = p.affine!;
  const np = roundUpTo(n, NR);
  gemmAccumulateExact(ap, bp, roundUpTo(m, MR), np, k, s, t);
  const nTerms = k + 3;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const o = i * np + j;
      const bc = beta * biasAt(p, i, j);
      s[o] = alpha * s[o] + bc;
      t[o] = Math.abs(alpha) * t[o] + Math.abs(bc);
    }
  }
  if (what === 'abs') {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) dst.out[dst.outOff + i * dst.outRs + j] = roundUpAbs(t[i * np + j], nTerms);
    return;
  }
  const acc = new ExactAccumulator();
  for (let i = 0; i < m; i++) {
    const aBase = Math.floor(i / MR) * MR * k + (i % MR);
    const row = i * np;
    certifyInto(s.subarray(row, row + n), t.subarray(row, row + n), n, nTerms, dst.out, dst.outOff + i * dst.outRs, (j) => {
      acc.reset().addProduct(beta, biasAt(p, i, j));
      const bBase = Math.floor(j / NR) * NR * k + (j % NR);
      for (let kk = 0; kk < k; kk++) acc.addProduct(ap[aBase + kk * MR] * bp[bBase + kk * NR], alpha);
      return acc.round();
    });
  }
}

/** Fast mode: float32 accumulation, bias first, then k ascending (gemm/kernel-fast.ts); with
 * `affine`, the sum alone, then alpha * sum + beta * bias, each step in float32. */
export function gemmFastInto(p: GemmProblem, dst: GemmTarget): void {
  const { m, n, k } = p;
  const mp = roundUpTo(m, MR);
  const np = roundUpTo(n, NR);
  const ap = packA(p.a, p.aOff, m, k, p.aRs, p.aCs);
  const bp = packB(p.b, p.bOff, k, n, p.bRs, p.bCs);
  const c = new Float32Array(mp * np);
  if (p.bias && !p.affine) {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[i * np + j] = biasAt(p, i, j);
  }
  gemmAccumulateFast(ap, bp, mp, np, k, c);
  if (p.affine) {
    const { alpha, beta } = p.affine;
    const f32 = Math.fround;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[i * np + j] = f32(alpha * c[i * np + j]) + f32(beta * biasAt(p, i, j));
  }
  for (let i = 0; i < m; i++) {
    dst.out.set(c.subarray(i * np, i * np + n), dst.outOff + i * dst.outRs);
  }
}
