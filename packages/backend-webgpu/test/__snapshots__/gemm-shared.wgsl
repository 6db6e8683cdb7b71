struct Params {
  M: u32,
  N: u32,
  K: u32,
  ldc: u32,
  aPeriod: u32,
  strideA: u32,
  strideB: u32,
  strideC: u32,
  aBase: u32,
  bBase: u32,
  cBase: u32,
  biasBase: u32,
  loopC: u32,
  loopKH: u32,
  loopKW: u32,
  yBase: u32,
  zBase: u32,
}
@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read_write> C: array<f32>;
@group(0) @binding(4) var<storage, read> bias: array<f32>;
fn act(v: f32) -> f32 { var r = v; r = select(r, -1.50000000f, r < -1.50000000f); r = select(r, 6.00000000f, r > 6.00000000f); return r; }
var<workgroup> As: array<f32, 128>;
var<workgroup> Bs: array<f32, 128>;
fn loadA(aOff: u32, row: u32, k: u32) -> f32 { if (row >= u.M || k >= u.K) { return 0.0; } return A[aOff + k * u.M + row]; }
fn loadB(bOff: u32, k: u32, col: u32) -> f32 { if (col >= u.N || k >= u.K) { return 0.0; } return B[bOff + col * u.K + k]; }
@compute @workgroup_size(4, 4, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
let tileCol = wid.x * 16u; let tileRow = (wid.y + u.yBase) * 16u;
let col0 = tileCol + lid.x * 4u; let row0 = tileRow + lid.y * 4u;
let z = wid.z + u.zBase;
let aOff = u.aBase + (z % u.aPeriod) * u.strideA;
let bOff = u.bBase + z * u.strideB;
var acc0_0 = vec4<f32>(0.0);
var acc1_0 = vec4<f32>(0.0);
var acc2_0 = vec4<f32>(0.0);
var acc3_0 = vec4<f32>(0.0);
for (var k0 = 0u; k0 < u.K; k0 += 8u) {
for (var e = li; e < 128u; e += 16u) { let kk = e / 16u; let r = e % 16u; As[e] = loadA(aOff, tileRow + r, k0 + kk); }
for (var e = li; e < 128u; e += 16u) { let kk = e / 16u; let cc = e % 16u; Bs[e] = loadB(bOff, k0 + kk, tileCol + cc); }
workgroupBarrier();
for (var kk = 0u; kk < 8u; kk++) {
let b0 = vec4<f32>(Bs[kk * 16u + lid.x * 4u + 0u], Bs[kk * 16u + lid.x * 4u + 0u + 1u], Bs[kk * 16u + lid.x * 4u + 0u + 2u], Bs[kk * 16u + lid.x * 4u + 0u + 3u]);
let a0 = vec4<f32>(As[kk * 16u + lid.y * 4u + 0u]);
acc0_0 = fma(a0, b0, acc0_0);
let a1 = vec4<f32>(As[kk * 16u + lid.y * 4u + 1u]);
acc1_0 = fma(a1, b0, acc1_0);
let a2 = vec4<f32>(As[kk * 16u + lid.y * 4u + 2u]);
acc2_0 = fma(a2, b0, acc2_0);
let a3 = vec4<f32>(As[kk * 16u + lid.y * 4u + 3u]);
acc3_0 = fma(a3, b0, acc3_0);
}
workgroupBarrier();
}
if (row0 >= u.M || col0 >= u.N) { return; }
let cOff = u.cBase + z * u.strideC;
if (row0 + 0u < u.M) {
  let cr = cOff + (row0 + 0u) * u.ldc;
  if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(acc0_0[0] + bias[u.biasBase + col0 + 0u]); }
  if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(acc0_0[1] + bias[u.biasBase + col0 + 1u]); }
  if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(acc0_0[2] + bias[u.biasBase + col0 + 2u]); }
  if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(acc0_0[3] + bias[u.biasBase + col0 + 3u]); }
}
if (row0 + 1u < u.M) {
  let cr = cOff + (row0 + 1u) * u.ldc;
  if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(acc1_0[0] + bias[u.biasBase + col0 + 0u]); }
  if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(acc1_0[1] + bias[u.biasBase + col0 + 1u]); }
  if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(acc1_0[2] + bias[u.biasBase + col0 + 2u]); }
  if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(acc1_0[3] + bias[u.biasBase + col0 + 3u]); }
}
if (row0 + 2u < u.M) {
  let cr = cOff + (row0 + 2u) * u.ldc;
  if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(acc2_0[0] + bias[u.biasBase + col0 + 0u]); }
  if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(acc2_0[1] + bias[u.biasBase + col0 + 1u]); }
  if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(acc2_0[2] + bias[u.biasBase + col0 + 2u]); }
  if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(acc2_0[3] + bias[u.biasBase + col0 + 3u]); }
}
if (row0 + 3u < u.M) {
  let cr = cOff + (row0 + 3u) * u.ldc;
  if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(acc3_0[0] + bias[u.biasBase + col0 + 0u]); }
  if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(acc3_0[1] + bias[u.biasBase + col0 + 1u]); }
  if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(acc3_0[2] + bias[u.biasBase + col0 + 2u]); }
  if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(acc3_0[3] + bias[u.biasBase + col0 + 3u]); }
}
}