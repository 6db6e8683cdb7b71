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
var<workgroup> As: array<vec4<f32>, 64>;
var<workgroup> Bs: array<vec4<f32>, 64>;
fn loadA(aOff: u32, row: u32, k: u32) -> f32 { if (row >= u.M || k >= u.K) { return 0.0; } return A[aOff + k * u.M + row]; }
fn loadB(bOff: u32, k: u32, col: u32) -> f32 { if (col >= u.N || k >= u.K) { return 0.0; } return B[bOff + col * u.K + k]; }
@compute @workgroup_size(8, 8, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
let tileCol = wid.x * 32u; let tileRow = (wid.y + u.yBase) * 32u;
let z = wid.z + u.zBase;
let aOff = u.aBase + (z % u.aPeriod) * u.strideA;
let bOff = u.bBase + z * u.strideB;
var pa0: f32;
var pa1: f32;
var pa2: f32;
var pa3: f32;
var pb0: f32;
var pb1: f32;
var pb2: f32;
var pb3: f32;
var acc0_0 = vec4<f32>(0.0);
var acc1_0 = vec4<f32>(0.0);
var acc2_0 = vec4<f32>(0.0);
var acc3_0 = vec4<f32>(0.0);
let tiles = (u.K + 7u) / 8u;
for (var t = 0u; t < tiles; t++) {
let k0 = t * 8u;
{
let r0 = (li + 0u) % 32u; let kk0 = (li + 0u) / 32u;
pa0 = loadA(aOff, tileRow + r0, k0 + kk0);
}
{
let r1 = (li + 64u) % 32u; let kk1 = (li + 64u) / 32u;
pa1 = loadA(aOff, tileRow + r1, k0 + kk1);
}
{
let r2 = (li + 128u) % 32u; let kk2 = (li + 128u) / 32u;
pa2 = loadA(aOff, tileRow + r2, k0 + kk2);
}
{
let r3 = (li + 192u) % 32u; let kk3 = (li + 192u) / 32u;
pa3 = loadA(aOff, tileRow + r3, k0 + kk3);
}
{
let kk0 = (li + 0u) % 8u; let cc0 = (li + 0u) / 8u;
pb0 = loadB(bOff, k0 + kk0, tileCol + cc0);
}
{
let kk1 = (li + 64u) % 8u; let cc1 = (li + 64u) / 8u;
pb1 = loadB(bOff, k0 + kk1, tileCol + cc1);
}
{
let kk2 = (li + 128u) % 8u; let cc2 = (li + 128u) / 8u;
pb2 = loadB(bOff, k0 + kk2, tileCol + cc2);
}
{
let kk3 = (li + 192u) % 8u; let cc3 = (li + 192u) / 8u;
pb3 = loadB(bOff, k0 + kk3, tileCol + cc3);
}
{
let r0 = (li + 0u) % 32u; let kk0 = (li + 0u) / 32u;
As[(0u + kk0) * 8u + r0 / 4u][r0 % 4u] = pa0;
}
{
let r1 = (li + 64u) % 32u; let kk1 = (li + 64u) / 32u;
As[(0u + kk1) * 8u + r1 / 4u][r1 % 4u] = pa1;
}
{
let r2 = (li + 128u) % 32u; let kk2 = (li + 128u) / 32u;
As[(0u + kk2) * 8u + r2 / 4u][r2 % 4u] = pa2;
}
{
let r3 = (li + 192u) % 32u; let kk3 = (li + 192u) / 32u;
As[(0u + kk3) * 8u + r3 / 4u][r3 % 4u] = pa3;
}
{
let kk0 = (li + 0u) % 8u; let cc0 = (li + 0u) / 8u;
Bs[(0u + kk0) * 8u + cc0 / 4u][cc0 % 4u] = pb0;
}
{
let kk1 = (li + 64u) % 8u; let cc1 = (li + 64u) / 8u;
Bs[(0u + kk1) * 8u + cc1 / 4u][cc1 % 4u] = pb1;
}
{
let kk2 = (li + 128u) % 8u; let cc2 = (li + 128u) / 8u;
Bs[(0u + kk2) * 8u + cc2 / 4u][cc2 % 4u] = pb2;
}
{
let kk3 = (li + 192u) % 8u; let cc3 = (li + 192u) / 8u;
Bs[(0u + kk3) * 8u + cc3 / 4u][cc3 % 4u] = pb3;
}
workgroupBarrier();
{
let a0 = As[(0u + 0u) * 8u + lid.y + 0u];
let b0 = Bs[(0u + 0u) * 8u + lid.x + 0u];
acc0_0 = fma(vec4<f32>(a0[0]), b0, acc0_0);
acc1_0 = fma(vec4<f32>(a0[1]), b0, acc1_0);
acc2_0 = fma(vec4<f32>(a0[2]), b0, acc2_0);
acc3_0 = fma(vec4<f32>(a0[3]), b0, acc3_0);
}
{
let a0 = As[(0u + 1u) * 8u + lid.y + 0u];
let b0 = Bs[(0u + 1u) * 8u + lid.x + 0u];
acc0_0 = fma(vec4<f32>(a0[0]), b0, acc0_0);
acc1_0 = fma(vec4<f32>(a0[1]), b0, acc1_0);
acc2_0 = fma(vec4<f32>(a0[2]), b0, acc2_0);
acc3_0 = fma(vec4<f32>(a0[3]), b0, acc3_0);
}
{
let a0 = As[(0u + 2u) * 8u + lid.y + 0u];
let b0 = Bs[(0u + 2u) * 8u + lid.x + 0u];
acc0_0 = fma(vec4<f32>(a0[0]), b0, acc0_0);
acc1_0 = fma(vec4<f32>(a0[1]), b0, acc1_0);
acc2_0 = fma(vec4<f32>(a0[2]), b0, acc2_0);
acc3_0 = fma(vec4<f32>(a0[3]), b0, acc3_0);
}
{
let a0 = As[(0u + 3u) * 8u + lid.y + 0u];
let b0 = Bs[(0u + 3u) * 8u + lid.x + 0u];
acc0_0 = fma(vec4<f32>(a0[0]), b0, acc0_0);
acc1_0 = fma(vec4<f32>(a0[1]), b0, acc1_0);
acc2_0 = fma(vec4<f32>(a0[2]), b0, acc2_0);
acc3_0 = fma(vec4<f32>(a0[3]), b0, acc3_0);
}
{
let a0 = As[(0u + 4u) * 8u + lid.y + 0u];
let b0 = Bs[(0u + 4u) * 8u + lid.x + 0u];
acc0_0 = fma(vec4<f32>(a0[0]), b0, acc0_0);
acc1_0 = fma(vec4<f32>(a0[1]), b0, acc1_0);
acc2_0 = fma(vec4<f32>(a0[2]), b0, acc2_0);
acc3_0 = fma(vec4<f32>(a0[3]), b0, acc3_0);
}
{
let a0 = As[(0u + 5u) * 8u + lid.y + 0u];
let b0 = Bs[(0u + 5u) * 8u + lid.x + 0u];
acc0_0 = fma(vec4<f32>(a0[0]), b0, acc0_0);
acc1_0 = fma(vec4<f32>(a0[1]), b0, acc1_0);
acc2_0 = fma(vec4<f32>(a0[2]), b0, acc2_0);
acc3_0 = fma(vec4<f32>(a0[3]), b0, acc3_0);
}
{
let a0 = As[(0u + 6u) * 8u + lid.y + 0u];
let b0 = Bs[(0u + 6u) * 8u + lid.x + 0u];
acc0_0 = fma(vec4<f32>(a0[0]), b0, acc0_0);
acc1_0 = fma(vec4<f32>(a0[1]), b0, acc1_0);
acc2_0 = fma(vec4<f32>(a0[2]), b0, acc2_0);
acc3_0 = fma(vec4<f32>(a0[3]), b0, acc3_0);
}
{
let a0 = As[(0u + 7u) * 8u + lid.y + 0u];
let b0 = Bs[(0u + 7u) * 8u + lid.x + 0u];
acc0_0 = fma(vec4<f32>(a0[0]), b0, acc0_0);
acc1_0 = fma(vec4<f32>(a0[1]), b0, acc1_0);
acc2_0 = fma(vec4<f32>(a0[2]), b0, acc2_0);
acc3_0 = fma(vec4<f32>(a0[3]), b0, acc3_0);
}
workgroupBarrier();
}
let cOff = u.cBase + z * u.strideC;
{ let row = tileRow + (lid.y + 0u) * 4u + 0u;
if (row < u.M) {
let cr = cOff + row * u.ldc;
let col0 = tileCol + (lid.x + 0u) * 4u;
if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(acc0_0[0] + bias[u.biasBase + col0 + 0u]); }
if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(acc0_0[1] + bias[u.biasBase + col0 + 1u]); }
if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(acc0_0[2] + bias[u.biasBase + col0 + 2u]); }
if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(acc0_0[3] + bias[u.biasBase + col0 + 3u]); }
}}
{ let row = tileRow + (lid.y + 0u) * 4u + 1u;
if (row < u.M) {
let cr = cOff + row * u.ldc;
let col0 = tileCol + (lid.x + 0u) * 4u;
if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(acc1_0[0] + bias[u.biasBase + col0 + 0u]); }
if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(acc1_0[1] + bias[u.biasBase + col0 + 1u]); }
if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(acc1_0[2] + bias[u.biasBase + col0 + 2u]); }
if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(acc1_0[3] + bias[u.biasBase + col0 + 3u]); }
}}
{ let row = tileRow + (lid.y + 0u) * 4u + 2u;
if (row < u.M) {
let cr = cOff + row * u.ldc;
let col0 = tileCol + (lid.x + 0u) * 4u;
if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(acc2_0[0] + bias[u.biasBase + col0 + 0u]); }
if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(acc2_0[1] + bias[u.biasBase + col0 + 1u]); }
if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(acc2_0[2] + bias[u.biasBase + col0 + 2u]); }
if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(acc2_0[3] + bias[u.biasBase + col0 + 3u]); }
}}
{ let row = tileRow + (lid.y + 0u) * 4u + 3u;
if (row < u.M) {
let cr = cOff + row * u.ldc;
let col0 = tileCol + (lid.x + 0u) * 4u;
if (col0 + 0u < u.N) { C[cr + col0 + 0u] = act(acc3_0[0] + bias[u.biasBase + col0 + 0u]); }
if (col0 + 1u < u.N) { C[cr + col0 + 1u] = act(acc3_0[1] + bias[u.biasBase + col0 + 1u]); }
if (col0 + 2u < u.N) { C[cr + col0 + 2u] = act(acc3_0[2] + bias[u.biasBase + col0 + 2u]); }
if (col0 + 3u < u.N) { C[cr + col0 + 3u] = act(acc3_0[3] + bias[u.biasBase + col0 + 3u]); }
}}
}