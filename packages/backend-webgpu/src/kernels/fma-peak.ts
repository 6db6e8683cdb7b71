/**
 * The adapter's FMA-throughput ceiling: every invocation runs `chains` independent FMA chains
 * for `iters` iterations and writes one value so nothing is dead code. 2 * chains * 4 * iters
 * flops per invocation (vec4 chains). Used by the benchmark as the roof GEMM is measured against.
 */
export function fmaPeakWgsl(chains: number, iters: number, wg: number): string {
  const r = Array.from({ length: chains }, (_, i) => i);
  return `@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(${wg})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let s = f32(gid.x) * 1e-7;
  let m = vec4<f32>(0.9999, 0.9998, 0.9997, 0.9996);
${r.map((i) => `  var c${i} = vec4<f32>(s + ${i}.0);`).join('\n')}
  for (var i = 0u; i < ${iters}u; i++) {
${r.map((i) => `    c${i} = fma(c${i}, m, vec4<f32>(1e-3));`).join('\n')}
  }
  var t = vec4<f32>(0.0);
${r.map((i) => `  t += c${i};`).join('\n')}
  out[gid.x] = t.x + t.y + t.z + t.w;
}`;
}

export const fmaPeakFlopsPerInvocation = (chains: number, iters: number) => 2 * 4 * chains * iters;
