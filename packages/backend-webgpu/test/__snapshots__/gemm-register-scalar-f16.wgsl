enable f16;
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
@group(0) @binding(1) var<storage, read> A: array<f16>;
@group(0) @binding(2) var<storage, read> B: array<f16>;
@group(0) @binding(3) var<storage, read_write> C: array<f32>;
@group(0) @binding(4) var<storage, read> bias: array<f16>;
fn act(v: f32) -> f32 { return select(v, 0.0, v < 0.0); }
@compute @workgroup_size(4, 4, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
let col0 = (wid.x * 4u + lid.x) * 8u;
let row0 = ((wid.y + u.yBase) * 4u + lid.y) * 8u;
let z = wid.z + u.zBase;
let aOff = u.aBase + (z % u.aPeriod) * u.strideA;
let bOff = u.bBase + z * u.strideB;
let r0 = min(row0 + 0u, u.M - 1u);
let r1 = min(row0 + 1u, u.M - 1u);
let r2 = min(row0 + 2u, u.M - 1u);
let r3 = min(row0 + 3u, u.M - 1u);
let r4 = min(row0 + 4u, u.M - 1u);
let r5 = min(row0 + 5u, u.M - 1u);
let r6 = min(row0 + 6u, u.M - 1u);
let r7 = min(row0 + 7u, u.M - 1u);
var acc0_0: f16 = 0.0;
var acc0_1: f16 = 0.0;
var acc0_2: f16 = 0.0;
var acc0_3: f16 = 0.0;
var acc0_4: f16 = 0.0;
var acc0_5: f16 = 0.0;
var acc0_6: f16 = 0.0;
var acc0_7: f16 = 0.0;
var acc1_0: f16 = 0.0;
var acc1_1: f16 = 0.0;
var acc1_2: f16 = 0.0;
var acc1_3: f16 = 0.0;
var acc1_4: f16 = 0.0;
var acc1_5: f16 = 0.0;
var acc1_6: f16 = 0.0;
var acc1_7: f16 = 0.0;
var acc2_0: f16 = 0.0;
var acc2_1: f16 = 0.0;
var acc2_2: f16 = 0.0;
var acc2_3: f16 = 0.0;
var acc2_4: f16 = 0.0;
var acc2_5: f16 = 0.0;
var acc2_6: f16 = 0.0;
var acc2_7: f16 = 0.0;
var acc3_0: f16 = 0.0;
var acc3_1: f16 = 0.0;
var acc3_2: f16 = 0.0;
var acc3_3: f16 = 0.0;
var acc3_4: f16 = 0.0;
var acc3_5: f16 = 0.0;
var acc3_6: f16 = 0.0;
var acc3_7: f16 = 0.0;
var acc4_0: f16 = 0.0;
var acc4_1: f16 = 0.0;
var acc4_2: f16 = 0.0;
var acc4_3: f16 = 0.0;
var acc4_4: f16 = 0.0;
var acc4_5: f16 = 0.0;
var acc4_6: f16 = 0.0;
var acc4_7: f16 = 0.0;
var acc5_0: f16 = 0.0;
var acc5_1: f16 = 0.0;
var acc5_2: f16 = 0.0;
var acc5_3: f16 = 0.0;
var acc5_4: f16 = 0.0;
var acc5_5: f16 = 0.0;
var acc5_6: f16 = 0.0;
var acc5_7: f16 = 0.0;
var acc6_0: f16 = 0.0;
var acc6_1: f16 = 0.0;
var acc6_2: f16 = 0.0;
var acc6_3: f16 = 0.0;
var acc6_4: f16 = 0.0;
var acc6_5: f16 = 0.0;
var acc6_6: f16 = 0.0;
var acc6_7: f16 = 0.0;
var acc7_0: f16 = 0.0;
var acc7_1: f16 = 0.0;
var acc7_2: f16 = 0.0;
var acc7_3: f16 = 0.0;
var acc7_4: f16 = 0.0;
var acc7_5: f16 = 0.0;
var acc7_6: f16 = 0.0;
var acc7_7: f16 = 0.0;
let cb0 = min(col0 + 0u, u.N - 1u);
let cb1 = min(col0 + 1u, u.N - 1u);
let cb2 = min(col0 + 2u, u.N - 1u);
let cb3 = min(col0 + 3u, u.N - 1u);
let cb4 = min(col0 + 4u, u.N - 1u);
let cb5 = min(col0 + 5u, u.N - 1u);
let cb6 = min(col0 + 6u, u.N - 1u);
let cb7 = min(col0 + 7u, u.N - 1u);
for (var k = 0u; k < u.K; k++) {
let b0 = vec4<f16>(B[bOff + k * u.N + cb0], B[bOff + k * u.N + cb1], B[bOff + k * u.N + cb2], B[bOff + k * u.N + cb3]);
let b1 = vec4<f16>(B[bOff + k * u.N + cb4], B[bOff + k * u.N + cb5], B[bOff + k * u.N + cb6], B[bOff + k * u.N + cb7]);
let a0 = A[aOff + r0 * u.K + k];
acc0_0 = fma(a0, b0[0], acc0_0);
acc0_1 = fma(a0, b0[1], acc0_1);
acc0_2 = fma(a0, b0[2], acc0_2);
acc0_3 = fma(a0, b0[3], acc0_3);
acc0_4 = fma(a0, b1[0], acc0_4);
acc0_5 = fma(a0, b1[1], acc0_5);
acc0_6 = fma(a0, b1[2], acc0_6);
acc0_7 = fma(a0, b1[3], acc0_7);
let a1 = A[aOff + r1 * u.K + k];
acc1_0 = fma(a1, b0[0], acc1_0);
acc1_1 = fma(a1, b0[1], acc1_1);
acc1_2 = fma(a1, b0[2], acc1_2);
acc1_3 = fma(a1, b0[3], acc1_3);
acc1_4 = fma(a1, b1[0], acc1_4);
acc1_5 = fma(a1, b1[1], acc1_5);
acc1_6 = fma(a1, b1[2], acc1_6);
acc1_7 = fma(a1, b1[3], acc1_7);
let a2 = A[aOff + r2 * u.K + k];
acc2_0 = fma(a2, b0[0], acc2_0);
acc2_1 = fma(a2, b0[1], acc2_1);
acc2_2 = fma(a2, b0[2], acc2_2);
acc2_3 = fma(a2, b0[3], acc2_3);
acc2_4 = fma(a2, b1[0], acc2_4);
acc2_5 = fma(a2, b1[1], acc2_5);
acc2_6 = fma(a2, b1[2], acc2_6);
acc2_7 = fma(a2, b1[3], acc2_7);
let a3 = A[aOff + r3 * u.K + k];
acc3_0 = fma(a3, b0[0], acc3_0);
acc3_1 = fma(a3, b0[1], acc3_1);
acc3_2 = fma(a3, b0[2], acc3_2);
acc3_3 = fma(a3, b0[3], acc3_3);
acc3_4 = fma(a3, b1[0], acc3_4);
acc3_5 = fma(a3, b1[1], acc3_5);
acc3_6 = fma(a3, b1[2], acc3_6);
acc3_7 = fma(a3, b1[3], acc3_7);
let a4 = A[aOff + r4 * u.K + k];
acc4_0 = fma(a4, b0[0], acc4_0);
acc4_1 = fma(a4, b0[1], acc4_1);
acc4_2 = fma(a4, b0[2], acc4_2);
acc4_3 = fma(a4, b0[3], acc4_3);
acc4_4 = fma(a4, b1[0], acc4_4);
acc4_5 = fma(a4, b1[1], acc4_5);
acc4_6 = fma(a4, b1[2], acc4_6);
acc4_7 = fma(a4, b1[3], acc4_7);
let a5 = A[aOff + r5 * u.K + k];
acc5_0 = fma(a5, b0[0], acc5_0);
acc5_1 = fma(a5, b0[1], acc5_1);
acc5_2 = fma(a5, b0[2], acc5_2);
acc5_3 = fma(a5, b0[3], acc5_3);
acc5_4 = fma(a5, b1[0], acc5_4);
acc5_5 = fma(a5, b1[1], acc5_5);
acc5_6 = fma(a5, b1[2], acc5_6);
acc5_7 = fma(a5, b1[3], acc5_7);
let a6 = A[aOff + r6 * u.K + k];
acc6_0 = fma(a6, b0[0], acc6_0);
acc6_1 = fma(a6, b0[1], acc6_1);
acc6_2 = fma(a6, b0[2], acc6_2);
acc6_3 = fma(a6, b0[3], acc6_3);
acc6_4 = fma(a6, b1[0], acc6_4);
acc6_5 = fma(a6, b1[1], acc6_5);
acc6_6 = fma(a6, b1[2], acc6_6);
acc6_7 = fma(a6, b1[3], acc6_7);
let a7 = A[aOff + r7 * u.K + k];
acc7_0 = fma(a7, b0[0], acc7_0);
acc7_1 = fma(a7, b0[1], acc7_1);
acc7_2 = fma(a7, b0[2], acc7_2);
acc7_3 = fma(a7, b0[3], acc7_3);
acc7_4 = fma(a7, b1[0], acc7_4);
acc7_5 = fma(a7, b1[1], acc7_5);
acc7_6 = fma(a7, b1[2], acc7_6);
acc7_7 = fma(a7, b1[3], acc7_7);
}
let cOff = u.cBase + z * u.strideC;
if (row0 + 0u < u.M) {
  let cr = cOff + (row0 + 0u) * u.ldc;
  let bv = bias[u.biasBase + (z % u.aPeriod) * u.M + row0 + 0u];
  if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(f32(acc0_0 + bv)); }
  if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(f32(acc0_1 + bv)); }
  if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(f32(acc0_2 + bv)); }
  if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(f32(acc0_3 + bv)); }
  if (col0 + 4u < u.N) { C[cr + col0 + 4u] = act(f32(acc0_4 + bv)); }
  if (col0 + 5u < u.N) { C[cr + col0 + 5u] = act(f32(acc0_5 + bv)); }
  if (col0 + 6u < u.N) { C[cr + col0 + 6u] = act(f32(acc0_6 + bv)); }
  if (col0 + 7u < u.N) { C[cr + col0 + 7u] = act(f32(acc0_7 + bv)); }
}
if (row0 + 1u < u.M) {
  let cr = cOff + (row0 + 1u) * u.ldc;
  let bv = bias[u.biasBase + (z % u.aPeriod) * u.M + row0 + 1u];
  if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(f32(acc1_0 + bv)); }
  if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(f32(acc1_1 + bv)); }
  if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(f32(acc1_2 + bv)); }
  if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(f32(acc1_3 + bv)); }
  if (col0 + 4u < u.N) { C[cr + col0 + 4u] = act(f32(acc1_4 + bv)); }
  if (col0 + 5u < u.N) { C[cr + col0 + 5u] = act(f32(acc1_5 + bv)); }
  if (col0 + 6u < u.N) { C[cr + col0 + 6u] = act(f32(acc1_6 + bv)); }
  if (col0 + 7u < u.N) { C[cr + col0 + 7u] = act(f32(acc1_7 + bv)); }
}
if (row0 + 2u < u.M) {
  let cr = cOff + (row0 + 2u) * u.ldc;
  let bv = bias[u.biasBase + (z % u.aPeriod) * u.M + row0 + 2u];
  if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(f32(acc2_0 + bv)); }
  if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(f32(acc2_1 + bv)); }
  if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(f32(acc2_2 + bv)); }
  if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(f32(acc2_3 + bv)); }
  if (col0 + 4u < u.N) { C[cr + col0 + 4u] = act(f32(acc2_4 + bv)); }
  if (col0 + 5u < u.N) { C[cr + col0 + 5u] = act(f32(acc2_5 + bv)); }
  if (col0 + 6u < u.N) { C[cr + col0 + 6u] = act(f32(acc2_6 + bv)); }
  if (col0 + 7u < u.N) { C[cr + col0 + 7u] = act(f32(acc2_7 + bv)); }
}
if (row0 + 3u < u.M) {
  let cr = cOff + (row0 + 3u) * u.ldc;
  let bv = bias[u.biasBase + (z % u.aPeriod) * u.M + row0 + 3u];
  if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(f32(acc3_0 + bv)); }
  if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(f32(acc3_1 + bv)); }
  if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(f32(acc3_2 + bv)); }
  if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(f32(acc3_3 + bv)); }
  if (col0 + 4u < u.N) { C[cr + col0 + 4u] = act(f32(acc3_4 + bv)); }
  if (col0 + 5u < u.N) { C[cr + col0 + 5u] = act(f32(acc3_5 + bv)); }
  if (col0 + 6u < u.N) { C[cr + col0 + 6u] = act(f32(acc3_6 + bv)); }
  if (col0 + 7u < u.N) { C[cr + col0 + 7u] = act(f32(acc3_7 + bv)); }
}
if (row0 + 4u < u.M) {
  let cr = cOff + (row0 + 4u) * u.ldc;
  let bv = bias[u.biasBase + (z % u.aPeriod) * u.M + row0 + 4u];
  if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(f32(acc4_0 + bv)); }
  if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(f32(acc4_1 + bv)); }
  if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(f32(acc4_2 + bv)); }
  if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(f32(acc4_3 + bv)); }
  if (col0 + 4u < u.N) { C[cr + col0 + 4u] = act(f32(acc4_4 + bv)); }
  if (col0 + 5u < u.N) { C[cr + col0 + 5u] = act(f32(acc4_5 + bv)); }
  if (col0 + 6u < u.N) { C[cr + col0 + 6u] = act(f32(acc4_6 + bv)); }
  if (col0 + 7u < u.N) { C[cr + col0 + 7u] = act(f32(acc4_7 + bv)); }
}
if (row0 + 5u < u.M) {
  let cr = cOff + (row0 + 5u) * u.ldc;
  let bv = bias[u.biasBase + (z % u.aPeriod) * u.M + row0 + 5u];
  if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(f32(acc5_0 + bv)); }
  if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(f32(acc5_1 + bv)); }
  if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(f32(acc5_2 + bv)); }
  if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(f32(acc5_3 + bv)); }
  if (col0 + 4u < u.N) { C[cr + col0 + 4u] = act(f32(acc5_4 + bv)); }
  if (col0 + 5u < u.N) { C[cr + col0 + 5u] = act(f32(acc5_5 + bv)); }
  if (col0 + 6u < u.N) { C[cr + col0 + 6u] = act(f32(acc5_6 + bv)); }
  if (col0 + 7u < u.N) { C[cr + col0 + 7u] = act(f32(acc5_7 + bv)); }
}
if (row0 + 6u < u.M) {
  let cr = cOff + (row0 + 6u) * u.ldc;
  let bv = bias[u.biasBase + (z % u.aPeriod) * u.M + row0 + 6u];
  if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(f32(acc6_0 + bv)); }
  if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(f32(acc6_1 + bv)); }
  if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(f32(acc6_2 + bv)); }
  if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(f32(acc6_3 + bv)); }
  if (col0 + 4u < u.N) { C[cr + col0 + 4u] = act(f32(acc6_4 + bv)); }
  if (col0 + 5u < u.N) { C[cr + col0 + 5u] = act(f32(acc6_5 + bv)); }
  if (col0 + 6u < u.N) { C[cr + col0 + 6u] = act(f32(acc6_6 + bv)); }
  if (col0 + 7u < u.N) { C[cr + col0 + 7u] = act(f32(acc6_7 + bv)); }
}
if (row0 + 7u < u.M) {
  let cr = cOff + (row0 + 7u) * u.ldc;
  let bv = bias[u.biasBase + (z % u.aPeriod) * u.M + row0 + 7u];
  if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(f32(acc7_0 + bv)); }
  if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(f32(acc7_1 + bv)); }
  if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(f32(acc7_2 + bv)); }
  if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(f32(acc7_3 + bv)); }
  if (col0 + 4u < u.N) { C[cr + col0 + 4u] = act(f32(acc7_4 + bv)); }
  if (col0 + 5u < u.N) { C[cr + col0 + 5u] = act(f32(acc7_5 + bv)); }
  if (col0 + 6u < u.N) { C[cr + col0 + 6u] = act(f32(acc7_6 + bv)); }
  if (col0 + 7u < u.N) { C[cr + col0 + 7u] = act(f32(acc7_7 + bv)); }
}
}