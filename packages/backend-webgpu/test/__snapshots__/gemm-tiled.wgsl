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
@group(0) @binding(1) var<storage, read> A: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> B: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> C: array<f32>;
@group(0) @binding(4) var<storage, read> bias: array<f32>;
fn act(v: f32) -> f32 { return select(v, 0.0, v < 0.0); }
var<workgroup> As: array<vec4<f32>, 512>;
var<workgroup> Bs: array<vec4<f32>, 512>;
fn loadB(bOff: u32, k: u32, col: u32) -> f32 { if (col >= u.N || k >= u.K) { return 0.0; } return B[(bOff + k * u.N + col) / 4u][(bOff + k * u.N + col) % 4u]; }
@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
let tileCol = wid.x * 128u; let tileRow = (wid.y + u.yBase) * 128u;
let z = wid.z + u.zBase;
let aOff = u.aBase + (z % u.aPeriod) * u.strideA;
let bOff = u.bBase + z * u.strideB;
let k4 = u.K / 4u;
let n4 = u.N / 4u; let bOff4 = bOff / 4u;
var pa0: vec4<f32>;
var pb0: vec4<f32>;
var acc0_0 = vec4<f32>(0.0);
var acc0_1 = vec4<f32>(0.0);
var acc1_0 = vec4<f32>(0.0);
var acc1_1 = vec4<f32>(0.0);
var acc2_0 = vec4<f32>(0.0);
var acc2_1 = vec4<f32>(0.0);
var acc3_0 = vec4<f32>(0.0);
var acc3_1 = vec4<f32>(0.0);
var acc4_0 = vec4<f32>(0.0);
var acc4_1 = vec4<f32>(0.0);
var acc5_0 = vec4<f32>(0.0);
var acc5_1 = vec4<f32>(0.0);
var acc6_0 = vec4<f32>(0.0);
var acc6_1 = vec4<f32>(0.0);
var acc7_0 = vec4<f32>(0.0);
var acc7_1 = vec4<f32>(0.0);
let tiles = (u.K + 7u) / 8u;
{ let k0 = 0u;
{
let q0 = (li + 0u) % 2u; let r0 = (li + 0u) / 2u;
let ok0 = tileRow + r0 < u.M && k0 + q0 * 4u < u.K;
pa0 = select(vec4<f32>(0.0), A[(aOff / 4u) + min(tileRow + r0, u.M - 1u) * k4 + min(k0 / 4u + q0, k4 - 1u)], ok0);
}
{
let c0 = (li + 0u) % 32u; let kk0 = (li + 0u) / 32u;
let ok0 = tileCol + c0 * 4u < u.N && k0 + kk0 < u.K;
pb0 = select(vec4<f32>(0.0), B[bOff4 + min(k0 + kk0, u.K - 1u) * n4 + min(tileCol / 4u + c0, n4 - 1u)], ok0);
}
{
let q0 = (li + 0u) % 2u; let r0 = (li + 0u) / 2u;
As[(0u + q0 * 4u + 0u) * 32u + r0 / 4u][r0 % 4u] = pa0[0];
As[(0u + q0 * 4u + 1u) * 32u + r0 / 4u][r0 % 4u] = pa0[1];
As[(0u + q0 * 4u + 2u) * 32u + r0 / 4u][r0 % 4u] = pa0[2];
As[(0u + q0 * 4u + 3u) * 32u + r0 / 4u][r0 % 4u] = pa0[3];
}
{
let c0 = (li + 0u) % 32u; let kk0 = (li + 0u) / 32u;
Bs[(0u + kk0) * 32u + c0] = pb0;
}
}
workgroupBarrier();
for (var t = 0u; t < tiles; t++) {
let cur = (t % 2u) * 8u; let nxt = 8u - cur;
let more = t + 1u < tiles; let k0 = (t + 1u) * 8u;
if (more) {
{
let q0 = (li + 0u) % 2u; let r0 = (li + 0u) / 2u;
let ok0 = tileRow + r0 < u.M && k0 + q0 * 4u < u.K;
pa0 = select(vec4<f32>(0.0), A[(aOff / 4u) + min(tileRow + r0, u.M - 1u) * k4 + min(k0 / 4u + q0, k4 - 1u)], ok0);
}
{
let c0 = (li + 0u) % 32u; let kk0 = (li + 0u) / 32u;
let ok0 = tileCol + c0 * 4u < u.N && k0 + kk0 < u.K;
pb0 = select(vec4<f32>(0.0), B[bOff4 + min(k0 + kk0, u.K - 1u) * n4 + min(tileCol / 4u + c0, n4 - 1u)], ok0);
}
}
{
let a0 = As[(cur + 0u) * 32u + lid.y + 0u];
let a1 = As[(cur + 0u) * 32u + lid.y + 16u];
let b0 = Bs[(cur + 0u) * 32u + lid.x + 0u];
let b1 = Bs[(cur + 0u) * 32u + lid.x + 16u];
acc0_0 = fma(vec4<f32>(a0[0]), b0, acc0_0);
acc0_1 = fma(vec4<f32>(a0[0]), b1, acc0_1);
acc1_0 = fma(vec4<f32>(a0[1]), b0, acc1_0);
acc1_1 = fma(vec4<f32>(a0[1]), b1, acc1_1);
acc2_0 = fma(vec4<f32>(a0[2]), b0, acc2_0);
acc2_1 = fma(vec4<f32>(a0[2]), b1, acc2_1);
acc3_0 = fma(vec4<f32>(a0[3]), b0, acc3_0);
acc3_1 = fma(vec4<f32>(a0[3]), b1, acc3_1);
acc4_0 = fma(vec4<f32>(a1[0]), b0, acc4_0);
acc4_1 = fma(vec4<f32>(a1[0]), b1, acc4_1);
acc5_0 = fma(vec4<f32>(a1[1]), b0, acc5_0);
acc5_1 = fma(vec4<f32>(a1[1]), b1, acc5_1);
acc6_0 = fma(vec4<f32>(a1[2]), b0, acc6_0);
acc6_1 = fma(vec4<f32>(a1[2]), b1, acc6_1);
acc7_0 = fma(vec4<f32>(a1[3]), b0, acc7_0);
acc7_1 = fma(vec4<f32>(a1[3]), b1, acc7_1);
}
{
let a0 = As[(cur + 1u) * 32u + lid.y + 0u];
let a1 = As[(cur + 1u) * 32u + lid.y + 16u];
let b0 = Bs[(cur + 1u) * 32u + lid.x + 0u];
let b1 = Bs[(cur + 1u) * 32u + lid.x + 16u];
acc0_0 = fma(vec4<f32>(a0[0]), b0, acc0_0);
acc0_1 = fma(vec4<f32>(a0[0]), b1, acc0_1);
acc1_0 = fma(vec4<f32>(a0[1]), b0, acc1_0);
acc1_1 = fma(vec4<f32>(a0[1]), b1, acc1_1);
acc2_0 = fma(vec4<f32>(a0[2]), b0, acc2_0);
acc2_1 = fma(vec4<f32>(a0[2]), b1, acc2_1);
acc3_0 = fma(vec4<f32>(a0[3]), b0, acc3_0);
acc3_1 = fma(vec4<f32>(a0[3]), b1, acc3_1);
acc4_0 = fma(vec4<f32>(a1[0]), b0, acc4_0);
acc4_1 = fma(vec4<f32>(a1[0]), b1, acc4_1);
acc5_0 = fma(vec4<f32>(a1[1]), b0, acc5_0);
acc5_1 = fma(vec4<f32>(a1[1]), b1, acc5_1);
acc6_0 = fma(vec4<f32>(a1[2]), b0, acc6_0);
acc6_1 = fma(vec4<f32>(a1[2]), b1, acc6_1);
acc7_0 = fma(vec4<f32>(a1[3]), b0, acc7_0);
acc7_1 = fma(vec4<f32>(a1[3]), b1, acc7_1);
}
{
let a0 = As[(cur + 2u) * 32u + lid.y + 0u];
let a1 = As[(cur + 2u) * 32u + lid.y + 16u];
let b0 = Bs[(cur + 2u) * 32u + lid.x + 0u];
let b1 = Bs[(cur + 2u) * 32u + lid.x + 16u];
acc0_0 = fma(vec4<f32>(a0[0]), b0, acc0_0);
acc0_1 = fma(vec4<f32>(a0[0]), b1, acc0_1);
acc1_0 = fma(vec4<f32>(a0[1]), b0, acc1_0);
acc1_1 = fma(vec4<f32>(a0[1]), b1, acc1_1);
acc2_0 = fma(vec4<f32>(a0[2]), b0, acc2_0);
acc2_1 = fma(vec4<f32>(a0[2]), b1, acc2_1);
acc3_0 = fma(vec4<f32>(a0[3]), b0, acc3_0);
acc3_1 = fma(vec4<f32>(a0[3]), b1, acc3_1);
acc4_0 = fma(vec4<f32>(a1[0]), b0, acc4_0);
acc4_1 = fma(vec4<f32>(a1[0]), b1, acc4_1);
acc5_0 = fma(vec4<f32>(a1[1]), b0, acc5_0);
acc5_1 = fma(vec4<f32>(a1[1]), b1, acc5_1);
acc6_0 = fma(vec4<f32>(a1[2]), b0, acc6_0);
acc6_1 = fma(vec4<f32>(a1[2]), b1, acc6_1);
acc7_0 = fma(vec4<f32>(a1[3]), b0, acc7_0);
acc7_1 = fma(vec4<f32>(a1[3]), b1, acc7_1);
}
{
let a0 = As[(cur + 3u) * 32u + lid.y + 0u];
let a1 = As[(cur + 3u) * 32u + lid.y + 16u];
let b0 = Bs[(cur + 3u) * 32u + lid.x + 0u];
let b1 = Bs[(cur + 3u) * 32u + lid.x + 16u];
acc0_0 = fma(vec4<f32>(a0[0]), b0, acc0_0);
acc0_1 = fma(vec4<f32>(a0[0]), b1, acc0_1);
acc1_0 = fma(vec4<f32>(a0[1]), b0, acc1_0);
acc1_1 = fma(vec4<f32>(a0[1]), b1, acc1_1);
acc2_0 = fma(vec4<f32>(a0[2]), b0, acc2_0);
acc2_1 = fma(vec4<f32>(a0[2]), b1, acc2_1);
acc3_0 = fma(vec4<f32>(a0[3]), b0, acc3_0);
acc3_1 = fma(vec4<f32>(a0[3]), b1, acc3_1);
acc4_0 = fma(vec4<f32>(a1[0]), b0, acc4_0);
acc4_1 = fma(vec4<f32>(a1[0]), b1, acc4_1);
acc5_0 = fma(vec4<f32>(a1[1]), b0, acc5_0);
acc5_1 = fma(vec4<f32>(a1[1]), b1, acc5_1);
acc6_0 = fma(vec4<f32>(a1[2]), b0, acc6_0);
acc6_1 = fma(vec4<f32>(a1[2]), b1, acc6_1);
acc7_0 = fma(vec4<f32>(a1[3]), b0, acc7_0);
acc7_1 = fma(vec4<f32>(a1[3]), b1, acc7_1);
}
{
let a0 = As[(cur + 4u) * 32u + lid.y + 0u];
let a1 = As[(cur + 4u) * 32u + lid.y + 16u];
let b0 = Bs[(cur + 4u) * 32u + lid.x + 0u];
let b1 = Bs[(cur + 4u) * 32u + lid.x + 16u];
acc0_0 = fma(vec4<f32>(a0[0]), b0, acc0_0);
acc0_1 = fma(vec4<f32>(a0[0]), b1, acc0_1);
acc1_0 = fma(vec4<f32>(a0[1]), b0, acc1_0);
acc1_1 = fma(vec4<f32>(a0[1]), b1, acc1_1);
acc2_0 = fma(vec4<f32>(a0[2]), b0, acc2_0);
acc2_1 = fma(vec4<f32>(a0[2]), b1, acc2_1);
acc3_0 = fma(vec4<f32>(a0[3]), b0, acc3_0);
acc3_1 = fma(vec4<f32>(a0[3]), b1, acc3_1);
acc4_0 = fma(vec4<f32>(a1[0]), b0, acc4_0);
acc4_1 = fma(vec4<f32>(a1[0]), b1, acc4_1);
acc5_0 = fma(vec4<f32>(a1[1]), b0, acc5_0);
acc5_1 = fma(vec4<f32>(a1[1]), b1, acc5_1);
acc6_0 = fma(vec4<f32>(a1[2]), b0, acc6_0);
acc6_1 = fma(vec4<f32>(a1[2]), b1, acc6_1);
acc7_0 = fma(vec4<f32>(a1[3]), b0, acc7_0);
acc7_1 = fma(vec4<f32>(a1[3]), b1, acc7_1);
}
{
let a0 = As[(cur + 5u) * 32u + lid.y + 0u];
let a1 = As[(cur + 5u) * 32u + lid.y + 16u];
let b0 = Bs[(cur + 5u) * 32u + lid.x + 0u];
let b1 = Bs[(cur + 5u) * 32u + lid.x + 16u];
acc0_0 = fma(vec4<f32>(a0[0]), b0, acc0_0);
acc0_1 = fma(vec4<f32>(a0[0]), b1, acc0_1);
acc1_0 = fma(vec4<f32>(a0[1]), b0, acc1_0);
acc1_1 = fma(vec4<f32>(a0[1]), b1, acc1_1);
acc2_0 = fma(vec4<f32>(a0[2]), b0, acc2_0);
acc2_1 = fma(vec4<f32>(a0[2]), b1, acc2_1);
acc3_0 = fma(vec4<f32>(a0[3]), b0, acc3_0);
acc3_1 = fma(vec4<f32>(a0[3]), b1, acc3_1);
acc4_0 = fma(vec4<f32>(a1[0]), b0, acc4_0);
acc4_1 = fma(vec4<f32>(a1[0]), b1, acc4_1);
acc5_0 = fma(vec4<f32>(a1[1]), b0, acc5_0);
acc5_1 = fma(vec4<f32>(a1[1]), b1, acc5_1);
acc6_0 = fma(vec4<f32>(a1[2]), b0, acc6_0);
acc6_1 = fma(vec4<f32>(a1[2]), b1, acc6_1);
acc7_0 = fma(vec4<f32>(a1[3]), b0, acc7_0);
acc7_1 = fma(vec4<f32>(a1[3]), b1, acc7_1);
}
{
let a0 = As[(cur + 6u) * 32u + lid.y + 0u];
let a1 = As[(cur + 6u) * 32u + lid.y + 16u];
let b0 = Bs[(cur + 6u) * 32u + lid.x + 0u];
let b1 = Bs[(cur + 6u) * 32u + lid.x + 16u];
acc0_0 = fma(vec4<f32>(a0[0]), b0, acc0_0);
acc0_1 = fma(vec4<f32>(a0[0]), b1, acc0_1);
acc1_0 = fma(vec4<f32>(a0[1]), b0, acc1_0);
acc1_1 = fma(vec4<f32>(a0[1]), b1, acc1_1);
acc2_0 = fma(vec4<f32>(a0[2]), b0, acc2_0);
acc2_1 = fma(vec4<f32>(a0[2]), b1, acc2_1);
acc3_0 = fma(vec4<f32>(a0[3]), b0, acc3_0);
acc3_1 = fma(vec4<f32>(a0[3]), b1, acc3_1);
acc4_0 = fma(vec4<f32>(a1[0]), b0, acc4_0);
acc4_1 = fma(vec4<f32>(a1[0]), b1, acc4_1);
acc5_0 = fma(vec4<f32>(a1[1]), b0, acc5_0);
acc5_1 = fma(vec4<f32>(a1[1]), b1, acc5_1);
acc6_0 = fma(vec4<f32>(a1[2]), b0, acc6_0);
acc6_1 = fma(vec4<f32>(a1[2]), b1, acc6_1);
acc7_0 = fma(vec4<f32>(a1[3]), b0, acc7_0);
acc7_1 = fma(vec4<f32>(a1[3]), b1, acc7_1);
}
{
let a0 = As[(cur + 7u) * 32u + lid.y + 0u];
let a1 = As[(cur + 7u) * 32u + lid.y + 16u];
let b0 = Bs[(cur + 7u) * 32u + lid.x + 0u];
let b1 = Bs[(cur + 7u) * 32u + lid.x + 16u];
acc0_0 = fma(vec4<f32>(a0[0]), b0, acc0_0);
acc0_1 = fma(vec4<f32>(a0[0]), b1, acc0_1);
acc1_0 = fma(vec4<f32>(a0[1]), b0, acc1_0);
acc1_1 = fma(vec4<f32>(a0[1]), b1, acc1_1);
acc2_0 = fma(vec4<f32>(a0[2]), b0, acc2_0);
acc2_1 = fma(vec4<f32>(a0[2]), b1, acc2_1);
acc3_0 = fma(vec4<f32>(a0[3]), b0, acc3_0);
acc3_1 = fma(vec4<f32>(a0[3]), b1, acc3_1);
acc4_0 = fma(vec4<f32>(a1[0]), b0, acc4_0);
acc4_1 = fma(vec4<f32>(a1[0]), b1, acc4_1);
acc5_0 = fma(vec4<f32>(a1[1]), b0, acc5_0);
acc5_1 = fma(vec4<f32>(a1[1]), b1, acc5_1);
acc6_0 = fma(vec4<f32>(a1[2]), b0, acc6_0);
acc6_1 = fma(vec4<f32>(a1[2]), b1, acc6_1);
acc7_0 = fma(vec4<f32>(a1[3]), b0, acc7_0);
acc7_1 = fma(vec4<f32>(a1[3]), b1, acc7_1);
}
if (more) {
{
let q0 = (li + 0u) % 2u; let r0 = (li + 0u) / 2u;
As[(nxt + q0 * 4u + 0u) * 32u + r0 / 4u][r0 % 4u] = pa0[0];
As[(nxt + q0 * 4u + 1u) * 32u + r0 / 4u][r0 % 4u] = pa0[1];
As[(nxt + q0 * 4u + 2u) * 32u + r0 / 4u][r0 % 4u] = pa0[2];
As[(nxt + q0 * 4u + 3u) * 32u + r0 / 4u][r0 % 4u] = pa0[3];
}
{
let c0 = (li + 0u) % 32u; let kk0 = (li + 0u) / 32u;
Bs[(nxt + kk0) * 32u + c0] = pb0;
}
}
workgroupBarrier();
}
let cOff = u.cBase + z * u.strideC;
{ let row = tileRow + (lid.y + 0u) * 4u + 0u;
if (row < u.M) {
let cr = cOff + row * u.ldc;
let bv = bias[u.biasBase + (z % u.aPeriod) * u.M + row];
let col0 = tileCol + (lid.x + 0u) * 4u;
if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(acc0_0[0] + bv); }
if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(acc0_0[1] + bv); }
if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(acc0_0[2] + bv); }
if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(acc0_0[3] + bv); }
let col1 = tileCol + (lid.x + 16u) * 4u;
if (col1 + 0u < u.N) { C[cr + col1 + 0u] = act(acc0_1[0] + bv); }
if (col1 + 1u < u.N) { C[cr + col1 + 1u] = act(acc0_1[1] + bv); }
if (col1 + 2u < u.N) { C[cr + col1 + 2u] = act(acc0_1[2] + bv); }
if (col1 + 3u < u.N) { C[cr + col1 + 3u] = act(acc0_1[3] + bv); }
}}
{ let row = tileRow + (lid.y + 0u) * 4u + 1u;
if (row < u.M) {
let cr = cOff + row * u.ldc;
let bv = bias[u.biasBase + (z % u.aPeriod) * u.M + row];
let col0 = tileCol + (lid.x + 0u) * 4u;
if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(acc1_0[0] + bv); }
if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(acc1_0[1] + bv); }
if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(acc1_0[2] + bv); }
if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(acc1_0[3] + bv); }
let col1 = tileCol + (lid.x + 16u) * 4u;
if (col1 + 0u < u.N) { C[cr + col1 + 0u] = act(acc1_1[0] + bv); }
if (col1 + 1u < u.N) { C[cr + col1 + 1u] = act(acc1_1[1] + bv); }
if (col1 + 2u < u.N) { C[cr + col1 + 2u] = act(acc1_1[2] + bv); }
if (col1 + 3u < u.N) { C[cr + col1 + 3u] = act(acc1_1[3] + bv); }
}}
{ let row = tileRow + (lid.y + 0u) * 4u + 2u;
if (row < u.M) {
let cr = cOff + row * u.ldc;
let bv = bias[u.biasBase + (z % u.aPeriod) * u.M + row];
let col0 = tileCol + (lid.x + 0u) * 4u;
if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(acc2_0[0] + bv); }
if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(acc2_0[1] + bv); }
if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(acc2_0[2] + bv); }
if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(acc2_0[3] + bv); }
let col1 = tileCol + (lid.x + 16u) * 4u;
if (col1 + 0u < u.N) { C[cr + col1 + 0u] = act(acc2_1[0] + bv); }
if (col1 + 1u < u.N) { C[cr + col1 + 1u] = act(acc2_1[1] + bv); }
if (col1 + 2u < u.N) { C[cr + col1 + 2u] = act(acc2_1[2] + bv); }
if (col1 + 3u < u.N) { C[cr + col1 + 3u] = act(acc2_1[3] + bv); }
}}
{ let row = tileRow + (lid.y + 0u) * 4u + 3u;
if (row < u.M) {
let cr = cOff + row * u.ldc;
let bv = bias[u.biasBase + (z % u.aPeriod) * u.M + row];
let col0 = tileCol + (lid.x + 0u) * 4u;
if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(acc3_0[0] + bv); }
if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(acc3_0[1] + bv); }
if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(acc3_0[2] + bv); }
if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(acc3_0[3] + bv); }
let col1 = tileCol + (lid.x + 16u) * 4u;
if (col1 + 0u < u.N) { C[cr + col1 + 0u] = act(acc3_1[0] + bv); }
if (col1 + 1u < u.N) { C[cr + col1 + 1u] = act(acc3_1[1] + bv); }
if (col1 + 2u < u.N) { C[cr + col1 + 2u] = act(acc3_1[2] + bv); }
if (col1 + 3u < u.N) { C[cr + col1 + 3u] = act(acc3_1[3] + bv); }
}}
{ let row = tileRow + (lid.y + 16u) * 4u + 0u;
if (row < u.M) {
let cr = cOff + row * u.ldc;
let bv = bias[u.biasBase + (z % u.aPeriod) * u.M + row];
let col0 = tileCol + (lid.x + 0u) * 4u;
if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(acc4_0[0] + bv); }
if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(acc4_0[1] + bv); }
if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(acc4_0[2] + bv); }
if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(acc4_0[3] + bv); }
let col1 = tileCol + (lid.x + 16u) * 4u;
if (col1 + 0u < u.N) { C[cr + col1 + 0u] = act(acc4_1[0] + bv); }
if (col1 + 1u < u.N) { C[cr + col1 + 1u] = act(acc4_1[1] + bv); }
if (col1 + 2u < u.N) { C[cr + col1 + 2u] = act(acc4_1[2] + bv); }
if (col1 + 3u < u.N) { C[cr + col1 + 3u] = act(acc4_1[3] + bv); }
}}
{ let row = tileRow + (lid.y + 16u) * 4u + 1u;
if (row < u.M) {
let cr = cOff + row * u.ldc;
let bv = bias[u.biasBase + (z % u.aPeriod) * u.M + row];
let col0 = tileCol + (lid.x + 0u) * 4u;
if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(acc5_0[0] + bv); }
if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(acc5_0[1] + bv); }
if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(acc5_0[2] + bv); }
if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(acc5_0[3] + bv); }
let col1 = tileCol + (lid.x + 16u) * 4u;
if (col1 + 0u < u.N) { C[cr + col1 + 0u] = act(acc5_1[0] + bv); }
if (col1 + 1u < u.N) { C[cr + col1 + 1u] = act(acc5_1[1] + bv); }
if (col1 + 2u < u.N) { C[cr + col1 + 2u] = act(acc5_1[2] + bv); }
if (col1 + 3u < u.N) { C[cr + col1 + 3u] = act(acc5_1[3] + bv); }
}}
{ let row = tileRow + (lid.y + 16u) * 4u + 2u;
if (row < u.M) {
let cr = cOff + row * u.ldc;
let bv = bias[u.biasBase + (z % u.aPeriod) * u.M + row];
let col0 = tileCol + (lid.x + 0u) * 4u;
if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(acc6_0[0] + bv); }
if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(acc6_0[1] + bv); }
if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(acc6_0[2] + bv); }
if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(acc6_0[3] + bv); }
let col1 = tileCol + (lid.x + 16u) * 4u;
if (col1 + 0u < u.N) { C[cr + col1 + 0u] = act(acc6_1[0] + bv); }
if (col1 + 1u < u.N) { C[cr + col1 + 1u] = act(acc6_1[1] + bv); }
if (col1 + 2u < u.N) { C[cr + col1 + 2u] = act(acc6_1[2] + bv); }
if (col1 + 3u < u.N) { C[cr + col1 + 3u] = act(acc6_1[3] + bv); }
}}
{ let row = tileRow + (lid.y + 16u) * 4u + 3u;
if (row < u.M) {
let cr = cOff + row * u.ldc;
let bv = bias[u.biasBase + (z % u.aPeriod) * u.M + row];
let col0 = tileCol + (lid.x + 0u) * 4u;
if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(acc7_0[0] + bv); }
if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(acc7_0[1] + bv); }
if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(acc7_0[2] + bv); }
if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(acc7_0[3] + bv); }
let col1 = tileCol + (lid.x + 16u) * 4u;
if (col1 + 0u < u.N) { C[cr + col1 + 0u] = act(acc7_1[0] + bv); }
if (col1 + 1u < u.N) { C[cr + col1 + 1u] = act(acc7_1[1] + bv); }
if (col1 + 2u < u.N) { C[cr + col1 + 2u] = act(acc7_1[2] + bv); }
if (col1 + 3u < u.N) { C[cr + col1 + 3u] = act(acc7_1[3] + bv); }
}}
}