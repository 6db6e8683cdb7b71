/**
 * The adapter's FMA-throughput ceiling: every invocation runs `chains` independent FMA chains of
 * `width`-wide vectors (1 = scalar f32) for `iters` iterations and writes one value so nothing is
 * dead code; 2 * width * chains * iters flops per invocation. Used by the benchmark as the roof
 * GEMM is measured against. On lavapipe (one thread) scalar chains peaked higher than vec4 ones
 * (16-32 scalar chains ~29-31 GFLOP/s, 4 vec4 chains ~18: bench/src/webgpu-bench.ts ceiling job),
 * since llvmpipe already maps invocations to SIMD lanes.
 */
export function fmaPeakWgsl(chains: number, iters: number, wg: number, width: 1 | 2 | 4 = 4): string {
  const r = Array.from({ length: chains }, (_, i) => i);
  const T = width === 1 ? 'f32' : `vec${width}<f32>`;
  const m = width === 1 ? 'f32(0.9999)' : `${T}(${[0.9999, 0.9998, 0.9997, 0.9996].slice(0, width).join(', ')})`;
  const sum = width === 1 ? 't' : ['t.x', 't.y', 't.z', 't.w'].slice(0, width).join(' + ');
  return `@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(${wg})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let s = f32(gid.x) * 1e-7;
  let m = ${m};
${r.map((i) => `  var c${i} = ${T}(s + ${i}.0);`).join('\n')}
  for (var i = 0u; i < ${iters}u; i++) {
${r.map((i) => `    c${i} = fma(c${i}, m, ${T}(1e-3));`).join('\n')}
  }
  var t = ${T}(0.0);
${r.map((i) => `  t += c${i};`).join('\n')}
  out[gid.x] = ${sum};
}`;
}

export const fmaPeakFlopsPerInvocation = (chains: number, iters: number, width: 1 | 2 | 4 = 4) => 2 * width * chains * iters;
