import { type GemmSpec, gemmOutputShape, Tensor } from '@convroute/core';
import { activateInPlace } from './activation.ts';
import { type GemmProblem, gemmExactInto, gemmFastInto } from './gemm/driver.ts';

type Mode = 'exact' | 'fast' | 'abs';

function runGemm(spec: GemmSpec, a: Tensor, b: Tensor, bias: Tensor | undefined, mode: Mode): Tensor {
  const { m, n, k, batch, transA, transB } = spec;
  const av = a.data;
  const bv = b.data;
  const bias32 = spec.bias && bias ? bias.data : undefined;
  const out = new Float32Array(batch * m * n);
  for (let bb = 0; bb < batch; bb++) {
    const p: GemmProblem = {
      m,
      n,
      k,
      a: av,
      aOff: bb * m * k,
      // op(A)(i, k): A is [M, K], or [K, M] when transposed
      aRs: transA ? 1 : k,
      aCs: transA ? m : 1,
      b: bv,
      bOff: bb * k * n,
      // op(B)(k, j): B is [K, N], or [N, K] when transposed
      bRs: transB ? 1 : n,
      bCs: transB ? k : 1,
      bias: bias32 ? { values: bias32, offset: 0, ...biasStrides(spec) } : undefined,
      affine: spec.alpha === 1 && spec.beta === 1 ? undefined : { alpha: spec.alpha, beta: spec.beta },
    };
    const dst = { out, outOff: bb * m * n, outRs: n };
    if (mode === 'fast') gemmFastInto(p, dst);
    else gemmExactInto(p, dst, mode === 'abs' ? 'abs' : 'round');
  }
  if (mode !== 'abs') activateInPlace(out, spec.activation);
  return Tensor.fromData(out, gemmOutputShape(spec));
}

/** The bias's strides over [M, N]: its shape, padded to [r, c], has r in {1, M} and c in {1, N}. */
function biasStrides(spec: GemmSpec): { rs: number; cs: number } {
  const s = spec.biasShape ?? [spec.n];
  const r = s.length === 2 ? s[0] : 1;
  const c = s.length >= 1 ? s[s.length - 1] : 1;
  return { rs: r === 1 ? 0 : c, cs: c === 1 ? 0 : 1 };
}

/** Exact mode: each element the float32 nearest to the exact result, then the activation. */
export function gemmExact(spec: GemmSpec, a: Tensor, b: Tensor, bias?: Tensor): Tensor {
  return runGemm(spec, a, b, bias, 'exact');
}

/** Fast mode: float32 accumulation, bias first then k ascending. */
export function gemmFast(spec: GemmSpec, a: Tensor, b: Tensor, bias?: Tensor): Tensor {
  return runGemm(spec, a, b, bias, 'fast');
}

/** The error model's A = |bias| + sum |a*b| per output, rounded up to float32 (no activation). */
export function gemmAbs(spec: GemmSpec, a: Tensor, b: Tensor, bias?: Tensor): Tensor {
  return runGemm(spec, a, b, bias, 'abs');
}
