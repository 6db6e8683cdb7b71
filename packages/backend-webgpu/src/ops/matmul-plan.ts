import { broadcastShape, broadcastStrides } from '../kernels/elementwise.ts';
import { shapeCount } from '../kernels/flat.ts';
import type { Dispatch, GpuArray, GpuRuntime } from '../runtime.ts';
import { gemmDispatch, gemmTuningFor } from './gemm-launch.ts';
import type { KernelTuning } from './tuning.ts';

/** ONNX MatMul's operands as GEMMs: rank-1 a is [1, K], rank-1 b is [K, 1]; batch axes broadcast. */
export function matmulDims(aShape: readonly number[], bShape: readonly number[]) {
  const a = aShape.length === 1 ? [1, aShape[0]] : [...aShape];
  const b = bShape.length === 1 ? [bShape[0], 1] : [...bShape];
  const [m, k] = a.slice(-2);
  const n = b[b.length - 1];
  const batchA = a.slice(0, -2);
  const batchB = b.slice(0, -2);
  const batch = broadcastShape(batchA, batchB);
  return { m, n, k, batchA, batchB, batch };
}

/**
 * ONNX MatMul through the existing GEMM kernels (the same float32 sums as the gemm op and the
 * convs, so the reordering bound holds). One launch with a batch grid when each operand is
 * either one matrix for every batch or one per batch; otherwise (a batch axis broadcast on one
 * side only) one launch per output matrix with its operand offsets.
 */
export async function matmulDispatches(
  rt: GpuRuntime,
  aShape: readonly number[],
  bShape: readonly number[],
  a: GpuArray,
  b: GpuArray,
  y: GpuArray,
  tuning?: KernelTuning,
): Promise<Dispatch[]> {
  const { m, n, k, batchA, batchB, batch } = matmulDims(aShape, bShape);
  const z = shapeCount(batch);
  const sa = broadcastStrides(batchA, batch);
  const sb = broadcastStrides(batchB, batch);
  const vecB = n % 4 === 0;
  const cfgFor = (launchBatch: number) => ({
    ...gemmTuningFor(rt, { m, n, k, transA: false, vecB, source: 'buffer', batch: launchBatch }, tuning?.gemm),
    transA: false,
    transB: false,
    vecB,
    bias: 'none' as const,
    activation: { kind: 'none' as const },
    bSource: { kind: 'buffer' as const },
  });
  const whole = (s: number[], own: number[]) => s.every((v) => v === 0) || shapeCount(own) === z;
  if (whole(sa, batchA) && whole(sb, batchB)) {
    const fullA = shapeCount(batchA) === z && z > 1;
    const fullB = shapeCount(batchB) === z && z > 1;
    return [
      await gemmDispatch(rt, cfgFor(z), {
        m,
        n,
        k,
        batch: z,
        aPeriod: z,
        strideA: fullA ? m * k : 0,
        strideB: fullB ? k * n : 0,
        strideC: m * n,
        a,
        b,
        c: y,
      }),
    ];
  }
  const out: Dispatch[] = [];
  const cfg = cfgFor(1);
  for (let i = 0; i < z; i++) {
    let rem = i;
    let offA = 0;
    let offB = 0;
    for (let d = batch.length - 1; d >= 0; d--) {
      const c = rem % batch[d];
      rem = Math.floor(rem / batch[d]);
      offA += c * sa[d];
      offB += c * sb[d];
    }
    out.push(
      await gemmDispatch(rt, cfg, {
        m,
        n,
        k,
        batch: 1,
        strideA: 0,
        strideB: 0,
        strideC: 0,
        aBase: offA * m * k,
        bBase: offB * k * n,
        cBase: i * m * n,
        a,
        b,
        c: y,
      }),
    );
  }
  return out;
}
