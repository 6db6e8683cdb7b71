import { type MatmulSpec, Tensor } from '@convroute/core';
import { broadcastStrides, forEachBroadcast } from './broadcast.ts';
import { type GemmProblem, gemmExactInto, gemmFastInto } from './gemm/driver.ts';

/** ONNX MatMul through the gemm driver: one [M, K] x [K, N] product per broadcast batch index.
 * Exact mode: each element the correctly rounded sum (as gemm); fast: float32, k ascending. */
export function matmul(spec: MatmulSpec, a: Tensor, b: Tensor, mode: 'exact' | 'fast' | 'abs'): Tensor {
  const { m, n, k, batch } = spec;
  // Batch axes of each operand (a 1-D operand has none), aligned to the broadcast batch shape.
  const aBatch = spec.a.slice(0, -2);
  const bBatch = spec.b.slice(0, -2);
  const sa = broadcastStrides(aBatch, batch).map((s) => s * m * k);
  const sb = broadcastStrides(bBatch, batch).map((s) => s * k * n);
  const out = new Float32Array(batch.reduce((p, d) => p * d, 1) * m * n);
  const av = a.data;
  const bv = b.data;
  // Every batch index, as a single-element inner loop over the batch shape.
  const shape = [...batch, 1];
  forEachBroadcast(shape, [...sa, 0], [...sb, 0], (o, ia, ib) => {
    const p: GemmProblem = { m, n, k, a: av, aOff: ia, aRs: k, aCs: 1, b: bv, bOff: ib, bRs: n, bCs: 1 };
    const dst = { out, outOff: o * m * n, outRs: n };
    if (mode === 'fast') gemmFastInto(p, dst);
    else gemmExactInto(p, dst, mode === 'abs' ? 'abs' : 'round');
  });
  return Tensor.fromData(out, spec.output);
}
