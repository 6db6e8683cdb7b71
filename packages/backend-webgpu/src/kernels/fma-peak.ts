/** One shape of the FMA-throughput kernel (see fmaPeakWgsl). */
export interface FmaPeakShape {
  /** Independent FMA chains per invocation. */
  chains: number;
  /** 1 = scalar f32 chains, 4 = vec4 chains. */
  width: 1 | 4;
  /** FMAs per chain per loop iteration, applied to block-local copies of the chains
   * (1 = each FMA writes the loop-carried variable directly). */
  block: number;
  workgroupSize: number;
}

/**
 * The shapes a ceiling measurement tries; the best is the adapter's ceiling, since a weak roof
 * flatters every fraction of it. llvmpipe runs loops under an execution mask and blends every
 * write to a loop-carried variable with it, so chains written once per iteration of 8
 * block-local FMAs ran about twice as fast as chains written by every FMA (what the ceiling
 * measured before), vec4 chains slower still (bench/results/lavapipe-kernel-tuning.md).
 */
export const FMA_PEAK_SHAPES: readonly FmaPeakShape[] = [
  { chains: 4, width: 4, block: 1, workgroupSize: 64 },
  { chains: 16, width: 1, block: 1, workgroupSize: 64 },
  { chains: 32, width: 1, block: 1, workgroupSize: 64 },
  { chains: 8, width: 1, block: 8, workgroupSize: 64 },
  { chains: 12, width: 1, block: 8, workgroupSize: 64 },
  { chains: 16, width: 1, block: 8, workgroupSize: 64 },
  { chains: 32, width: 1, block: 4, workgroupSize: 64 },
  // Real GPUs: vec4 chains in 256-wide workgroups (on an H200 this shape with enough workgroups
  // came close to the FP32 limit: bench/results/h200-webgpu-vs-tfjs-3suites.md).
  { chains: 8, width: 4, block: 1, workgroupSize: 256 },
  { chains: 4, width: 4, block: 1, workgroupSize: 256 },
];

export const fmaPeakShapeName = (s: FmaPeakShape) =>
  `${s.width === 1 ? 'scalar' : 'vec4'}x${s.chains}${s.block > 1 ? `-block${s.block}` : ''}-wg${s.workgroupSize}`;

/**
 * The adapter's FMA-throughput ceiling: every invocation runs `chains` independent FMA chains for
 * `iters` loop iterations of `block` FMAs each and writes one value, so nothing is dead code;
 * `fmaPeakFlopsPerInvocation` flops per invocation. The benchmark measures GEMM against it.
 */
export function fmaPeakWgsl(shape: FmaPeakShape, iters: number): string {
  const { chains, width, block } = shape;
  const r = Array.from({ length: chains }, (_, i) => i);
  const T = width === 1 ? 'f32' : 'vec4<f32>';
  const m = width === 1 ? 'f32(0.9999)' : `${T}(0.9999, 0.9998, 0.9997, 0.9996)`;
  const sum = width === 1 ? 't' : 't.x + t.y + t.z + t.w';
  const body =
    block === 1
      ? r.map((i) => `    c${i} = fma(c${i}, m, ${T}(1e-3));`)
      : [
          ...r.map((i) => `    var t${i} = c${i};`),
          ...Array.from({ length: block }, () => r.map((i) => `    t${i} = fma(t${i}, m, ${T}(1e-3));`)).flat(),
          ...r.map((i) => `    c${i} = t${i};`),
        ];
  return `@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(${shape.workgroupSize})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let s = f32(gid.x) * 1e-7;
  let m = ${m};
${r.map((i) => `  var c${i} = ${T}(s + ${i}.0);`).join('\n')}
  for (var i = 0u; i < ${iters}u; i++) {
${body.join('\n')}
  }
  var t = ${T}(0.0);
${r.map((i) => `  t += c${i};`).join('\n')}
  out[gid.x] = ${sum};
}`;
}

export const fmaPeakFlopsPerInvocation = (shape: FmaPeakShape, iters: number) => 2 * shape.width * shape.chains * shape.block * iters;
