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
fn act(v: f32) -> f32 { return select(v, 0.0, v < 0.0); }
@compute @workgroup_size(4, 4, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
let col0 = (wid.x * 4u + lid.x) * 8u;
let row0 = ((wid.y + u.yBase) * 4u + lid.y) * 4u;
let z = wid.z + u.zBase;
let aOff = u.aBase + (z % u.aPeriod) * u.strideA;
let bOff = u.bBase + z * u.strideB;
let r0 = min(row0 + 0u, u.M - 1u);
let r1 = min(row0 + 1u, u.M - 1u);
let r2 = min(row0 + 2u, u.M - 1u);
let r3 = min(row0 + 3u, u.M - 1u);
var acc0_0 = vec4<f32>(0.0);
var acc0_1 = vec4<f32>(0.0);
var acc1_0 = vec4<f32>(0.0);
var acc1_1 = vec4<f32>(0.0);
var acc2_0 = vec4<f32>(0.0);
var acc2_1 = vec4<f32>(0.0);
var acc3_0 = vec4<f32>(0.0);
var acc3_1 = vec4<f32>(0.0);
let l0 = min(col0 + 0u, u.N - 1u);
let ih0 = i32((l0 / 4u) * 2u) - 1; let iw0 = i32((l0 % 4u) * 2u) - 0;
let l1 = min(col0 + 1u, u.N - 1u);
let ih1 = i32((l1 / 4u) * 2u) - 1; let iw1 = i32((l1 % 4u) * 2u) - 0;
let l2 = min(col0 + 2u, u.N - 1u);
let ih2 = i32((l2 / 4u) * 2u) - 1; let iw2 = i32((l2 % 4u) * 2u) - 0;
let l3 = min(col0 + 3u, u.N - 1u);
let ih3 = i32((l3 / 4u) * 2u) - 1; let iw3 = i32((l3 % 4u) * 2u) - 0;
let l4 = min(col0 + 4u, u.N - 1u);
let ih4 = i32((l4 / 4u) * 2u) - 1; let iw4 = i32((l4 % 4u) * 2u) - 0;
let l5 = min(col0 + 5u, u.N - 1u);
let ih5 = i32((l5 / 4u) * 2u) - 1; let iw5 = i32((l5 % 4u) * 2u) - 0;
let l6 = min(col0 + 6u, u.N - 1u);
let ih6 = i32((l6 / 4u) * 2u) - 1; let iw6 = i32((l6 % 4u) * 2u) - 0;
let l7 = min(col0 + 7u, u.N - 1u);
let ih7 = i32((l7 / 4u) * 2u) - 1; let iw7 = i32((l7 % 4u) * 2u) - 0;
var kk = 0u;
for (var ch = 0u; ch < u.loopC; ch++) {
let xc = i32(bOff + ch * 81u);
for (var p = 0; p < i32(u.loopKH); p++) {
let y0 = ih0 + p * 1; let rok0 = y0 >= 0 && y0 < 9; let rb0 = xc + y0 * 9;
let y1 = ih1 + p * 1; let rok1 = y1 >= 0 && y1 < 9; let rb1 = xc + y1 * 9;
let y2 = ih2 + p * 1; let rok2 = y2 >= 0 && y2 < 9; let rb2 = xc + y2 * 9;
let y3 = ih3 + p * 1; let rok3 = y3 >= 0 && y3 < 9; let rb3 = xc + y3 * 9;
let y4 = ih4 + p * 1; let rok4 = y4 >= 0 && y4 < 9; let rb4 = xc + y4 * 9;
let y5 = ih5 + p * 1; let rok5 = y5 >= 0 && y5 < 9; let rb5 = xc + y5 * 9;
let y6 = ih6 + p * 1; let rok6 = y6 >= 0 && y6 < 9; let rb6 = xc + y6 * 9;
let y7 = ih7 + p * 1; let rok7 = y7 >= 0 && y7 < 9; let rb7 = xc + y7 * 9;
for (var q = 0; q < i32(u.loopKW); q++) {
let x0 = iw0 + q * 2; let ok0 = rok0 && x0 >= 0 && x0 < 9;
let v0 = select(0.0, B[select(0, rb0 + x0, ok0)], ok0);
let x1 = iw1 + q * 2; let ok1 = rok1 && x1 >= 0 && x1 < 9;
let v1 = select(0.0, B[select(0, rb1 + x1, ok1)], ok1);
let x2 = iw2 + q * 2; let ok2 = rok2 && x2 >= 0 && x2 < 9;
let v2 = select(0.0, B[select(0, rb2 + x2, ok2)], ok2);
let x3 = iw3 + q * 2; let ok3 = rok3 && x3 >= 0 && x3 < 9;
let v3 = select(0.0, B[select(0, rb3 + x3, ok3)], ok3);
let x4 = iw4 + q * 2; let ok4 = rok4 && x4 >= 0 && x4 < 9;
let v4 = select(0.0, B[select(0, rb4 + x4, ok4)], ok4);
let x5 = iw5 + q * 2; let ok5 = rok5 && x5 >= 0 && x5 < 9;
let v5 = select(0.0, B[select(0, rb5 + x5, ok5)], ok5);
let x6 = iw6 + q * 2; let ok6 = rok6 && x6 >= 0 && x6 < 9;
let v6 = select(0.0, B[select(0, rb6 + x6, ok6)], ok6);
let x7 = iw7 + q * 2; let ok7 = rok7 && x7 >= 0 && x7 < 9;
let v7 = select(0.0, B[select(0, rb7 + x7, ok7)], ok7);
let b0 = vec4<f32>(v0, v1, v2, v3);
let b1 = vec4<f32>(v4, v5, v6, v7);
let a0 = A[aOff + r0 * u.K + kk];
acc0_0 = fma(vec4<f32>(a0), b0, acc0_0);
acc0_1 = fma(vec4<f32>(a0), b1, acc0_1);
let a1 = A[aOff + r1 * u.K + kk];
acc1_0 = fma(vec4<f32>(a1), b0, acc1_0);
acc1_1 = fma(vec4<f32>(a1), b1, acc1_1);
let a2 = A[aOff + r2 * u.K + kk];
acc2_0 = fma(vec4<f32>(a2), b0, acc2_0);
acc2_1 = fma(vec4<f32>(a2), b1, acc2_1);
let a3 = A[aOff + r3 * u.K + kk];
acc3_0 = fma(vec4<f32>(a3), b0, acc3_0);
acc3_1 = fma(vec4<f32>(a3), b1, acc3_1);
kk++;
}}}
let cOff = u.cBase + z * u.strideC;
if (row0 + 0u < u.M) {
  let cr = cOff + (row0 + 0u) * u.ldc;
  let bv = bias[u.biasBase + (z % u.aPeriod) * u.M + row0 + 0u];
  if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(acc0_0[0] + bv); }
  if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(acc0_0[1] + bv); }
  if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(acc0_0[2] + bv); }
  if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(acc0_0[3] + bv); }
  if (col0 + 4u < u.N) { C[cr + col0 + 4u] = act(acc0_1[0] + bv); }
  if (col0 + 5u < u.N) { C[cr + col0 + 5u] = act(acc0_1[1] + bv); }
  if (col0 + 6u < u.N) { C[cr + col0 + 6u] = act(acc0_1[2] + bv); }
  if (col0 + 7u < u.N) { C[cr + col0 + 7u] = act(acc0_1[3] + bv); }
}
if (row0 + 1u < u.M) {
  let cr = cOff + (row0 + 1u) * u.ldc;
  let bv = bias[u.biasBase + (z % u.aPeriod) * u.M + row0 + 1u];
  if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(acc1_0[0] + bv); }
  if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(acc1_0[1] + bv); }
  if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(acc1_0[2] + bv); }
  if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(acc1_0[3] + bv); }
  if (col0 + 4u < u.N) { C[cr + col0 + 4u] = act(acc1_1[0] + bv); }
  if (col0 + 5u < u.N) { C[cr + col0 + 5u] = act(acc1_1[1] + bv); }
  if (col0 + 6u < u.N) { C[cr + col0 + 6u] = act(acc1_1[2] + bv); }
  if (col0 + 7u < u.N) { C[cr + col0 + 7u] = act(acc1_1[3] + bv); }
}
if (row0 + 2u < u.M) {
  let cr = cOff + (row0 + 2u) * u.ldc;
  let bv = bias[u.biasBase + (z % u.aPeriod) * u.M + row0 + 2u];
  if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(acc2_0[0] + bv); }
  if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(acc2_0[1] + bv); }
  if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(acc2_0[2] + bv); }
  if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(acc2_0[3] + bv); }
  if (col0 + 4u < u.N) { C[cr + col0 + 4u] = act(acc2_1[0] + bv); }
  if (col0 + 5u < u.N) { C[cr + col0 + 5u] = act(acc2_1[1] + bv); }
  if (col0 + 6u < u.N) { C[cr + col0 + 6u] = act(acc2_1[2] + bv); }
  if (col0 + 7u < u.N) { C[cr + col0 + 7u] = act(acc2_1[3] + bv); }
}
if (row0 + 3u < u.M) {
  let cr = cOff + (row0 + 3u) * u.ldc;
  let bv = bias[u.biasBase + (z % u.aPeriod) * u.M + row0 + 3u];
  if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(acc3_0[0] + bv); }
  if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(acc3_0[1] + bv); }
  if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(acc3_0[2] + bv); }
  if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(acc3_0[3] + bv); }
  if (col0 + 4u < u.N) { C[cr + col0 + 4u] = act(acc3_1[0] + bv); }
  if (col0 + 5u < u.N) { C[cr + col0 + 5u] = act(acc3_1[1] + bv); }
  if (col0 + 6u < u.N) { C[cr + col0 + 6u] = act(acc3_1[2] + bv); }
  if (col0 + 7u < u.N) { C[cr + col0 + 7u] = act(acc3_1[3] + bv); }
}
}