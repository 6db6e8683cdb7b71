struct Params {
  loopC: u32,
  loopKH: u32,
  loopKW: u32,
  yBase: u32,
  zBase: u32,
}
@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read> Wt: array<f32>;
@group(0) @binding(3) var<storage, read_write> Y: array<f32>;
@group(0) @binding(4) var<storage, read> bias: array<f32>;
fn act(v: f32) -> f32 { return select(v, 0.0, v < 0.0); }
@compute @workgroup_size(1, 1, 4)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
let ow0 = (wid.x * 1u + lid.x) * 4u;
let oh0 = ((wid.y + u.yBase) * 1u + lid.y) * 4u;
let zz = (wid.z + u.zBase) * 4u + lid.z;
let z = min(zz, 9u);
let ch = z % 5u;
let xBase = i32(z * 64u);
let wBase = ch * 9u;
let w0 = Wt[wBase + 0u];
let w1 = Wt[wBase + 1u];
let w2 = Wt[wBase + 2u];
let w3 = Wt[wBase + 3u];
let w4 = Wt[wBase + 4u];
let w5 = Wt[wBase + 5u];
let w6 = Wt[wBase + 6u];
let w7 = Wt[wBase + 7u];
let w8 = Wt[wBase + 8u];
let ix0 = i32(ow0 * 1u) - 1;
let iy0 = i32(oh0 * 1u) - 1;
let sx0 = ix0 + 0; let sc0 = clamp(sx0, 0, 7); let so0 = sx0 == sc0;
let sx1 = ix0 + 1; let sc1 = clamp(sx1, 0, 7); let so1 = sx1 == sc1;
let sx2 = ix0 + 2; let sc2 = clamp(sx2, 0, 7); let so2 = sx2 == sc2;
let sx3 = ix0 + 3; let sc3 = clamp(sx3, 0, 7); let so3 = sx3 == sc3;
let sx4 = ix0 + 4; let sc4 = clamp(sx4, 0, 7); let so4 = sx4 == sc4;
let sx5 = ix0 + 5; let sc5 = clamp(sx5, 0, 7); let so5 = sx5 == sc5;
var acc0_0 = 0.0;
var acc0_1 = 0.0;
var acc0_2 = 0.0;
var acc0_3 = 0.0;
var acc1_0 = 0.0;
var acc1_1 = 0.0;
var acc1_2 = 0.0;
var acc1_3 = 0.0;
var acc2_0 = 0.0;
var acc2_1 = 0.0;
var acc2_2 = 0.0;
var acc2_3 = 0.0;
var acc3_0 = 0.0;
var acc3_1 = 0.0;
var acc3_2 = 0.0;
var acc3_3 = 0.0;
{
let y = iy0 + 0; let yok = y >= 0 && y < 8; let rb = xBase + clamp(y, 0, 7) * 8;
let s0 = select(0.0, X[rb + sc0], yok && so0);
let s1 = select(0.0, X[rb + sc1], yok && so1);
let s2 = select(0.0, X[rb + sc2], yok && so2);
let s3 = select(0.0, X[rb + sc3], yok && so3);
let s4 = select(0.0, X[rb + sc4], yok && so4);
let s5 = select(0.0, X[rb + sc5], yok && so5);
acc0_0 = fma(s0, w0, acc0_0);
acc0_1 = fma(s1, w0, acc0_1);
acc0_2 = fma(s2, w0, acc0_2);
acc0_3 = fma(s3, w0, acc0_3);
acc0_0 = fma(s1, w1, acc0_0);
acc0_1 = fma(s2, w1, acc0_1);
acc0_2 = fma(s3, w1, acc0_2);
acc0_3 = fma(s4, w1, acc0_3);
acc0_0 = fma(s2, w2, acc0_0);
acc0_1 = fma(s3, w2, acc0_1);
acc0_2 = fma(s4, w2, acc0_2);
acc0_3 = fma(s5, w2, acc0_3);
}
{
let y = iy0 + 1; let yok = y >= 0 && y < 8; let rb = xBase + clamp(y, 0, 7) * 8;
let s0 = select(0.0, X[rb + sc0], yok && so0);
let s1 = select(0.0, X[rb + sc1], yok && so1);
let s2 = select(0.0, X[rb + sc2], yok && so2);
let s3 = select(0.0, X[rb + sc3], yok && so3);
let s4 = select(0.0, X[rb + sc4], yok && so4);
let s5 = select(0.0, X[rb + sc5], yok && so5);
acc0_0 = fma(s0, w3, acc0_0);
acc0_1 = fma(s1, w3, acc0_1);
acc0_2 = fma(s2, w3, acc0_2);
acc0_3 = fma(s3, w3, acc0_3);
acc0_0 = fma(s1, w4, acc0_0);
acc0_1 = fma(s2, w4, acc0_1);
acc0_2 = fma(s3, w4, acc0_2);
acc0_3 = fma(s4, w4, acc0_3);
acc0_0 = fma(s2, w5, acc0_0);
acc0_1 = fma(s3, w5, acc0_1);
acc0_2 = fma(s4, w5, acc0_2);
acc0_3 = fma(s5, w5, acc0_3);
acc1_0 = fma(s0, w0, acc1_0);
acc1_1 = fma(s1, w0, acc1_1);
acc1_2 = fma(s2, w0, acc1_2);
acc1_3 = fma(s3, w0, acc1_3);
acc1_0 = fma(s1, w1, acc1_0);
acc1_1 = fma(s2, w1, acc1_1);
acc1_2 = fma(s3, w1, acc1_2);
acc1_3 = fma(s4, w1, acc1_3);
acc1_0 = fma(s2, w2, acc1_0);
acc1_1 = fma(s3, w2, acc1_1);
acc1_2 = fma(s4, w2, acc1_2);
acc1_3 = fma(s5, w2, acc1_3);
}
{
let y = iy0 + 2; let yok = y >= 0 && y < 8; let rb = xBase + clamp(y, 0, 7) * 8;
let s0 = select(0.0, X[rb + sc0], yok && so0);
let s1 = select(0.0, X[rb + sc1], yok && so1);
let s2 = select(0.0, X[rb + sc2], yok && so2);
let s3 = select(0.0, X[rb + sc3], yok && so3);
let s4 = select(0.0, X[rb + sc4], yok && so4);
let s5 = select(0.0, X[rb + sc5], yok && so5);
acc0_0 = fma(s0, w6, acc0_0);
acc0_1 = fma(s1, w6, acc0_1);
acc0_2 = fma(s2, w6, acc0_2);
acc0_3 = fma(s3, w6, acc0_3);
acc0_0 = fma(s1, w7, acc0_0);
acc0_1 = fma(s2, w7, acc0_1);
acc0_2 = fma(s3, w7, acc0_2);
acc0_3 = fma(s4, w7, acc0_3);
acc0_0 = fma(s2, w8, acc0_0);
acc0_1 = fma(s3, w8, acc0_1);
acc0_2 = fma(s4, w8, acc0_2);
acc0_3 = fma(s5, w8, acc0_3);
acc1_0 = fma(s0, w3, acc1_0);
acc1_1 = fma(s1, w3, acc1_1);
acc1_2 = fma(s2, w3, acc1_2);
acc1_3 = fma(s3, w3, acc1_3);
acc1_0 = fma(s1, w4, acc1_0);
acc1_1 = fma(s2, w4, acc1_1);
acc1_2 = fma(s3, w4, acc1_2);
acc1_3 = fma(s4, w4, acc1_3);
acc1_0 = fma(s2, w5, acc1_0);
acc1_1 = fma(s3, w5, acc1_1);
acc1_2 = fma(s4, w5, acc1_2);
acc1_3 = fma(s5, w5, acc1_3);
acc2_0 = fma(s0, w0, acc2_0);
acc2_1 = fma(s1, w0, acc2_1);
acc2_2 = fma(s2, w0, acc2_2);
acc2_3 = fma(s3, w0, acc2_3);
acc2_0 = fma(s1, w1, acc2_0);
acc2_1 = fma(s2, w1, acc2_1);
acc2_2 = fma(s3, w1, acc2_2);
acc2_3 = fma(s4, w1, acc2_3);
acc2_0 = fma(s2, w2, acc2_0);
acc2_1 = fma(s3, w2, acc2_1);
acc2_2 = fma(s4, w2, acc2_2);
acc2_3 = fma(s5, w2, acc2_3);
}
{
let y = iy0 + 3; let yok = y >= 0 && y < 8; let rb = xBase + clamp(y, 0, 7) * 8;
let s0 = select(0.0, X[rb + sc0], yok && so0);
let s1 = select(0.0, X[rb + sc1], yok && so1);
let s2 = select(0.0, X[rb + sc2], yok && so2);
let s3 = select(0.0, X[rb + sc3], yok && so3);
let s4 = select(0.0, X[rb + sc4], yok && so4);
let s5 = select(0.0, X[rb + sc5], yok && so5);
acc1_0 = fma(s0, w6, acc1_0);
acc1_1 = fma(s1, w6, acc1_1);
acc1_2 = fma(s2, w6, acc1_2);
acc1_3 = fma(s3, w6, acc1_3);
acc1_0 = fma(s1, w7, acc1_0);
acc1_1 = fma(s2, w7, acc1_1);
acc1_2 = fma(s3, w7, acc1_2);
acc1_3 = fma(s4, w7, acc1_3);
acc1_0 = fma(s2, w8, acc1_0);
acc1_1 = fma(s3, w8, acc1_1);
acc1_2 = fma(s4, w8, acc1_2);
acc1_3 = fma(s5, w8, acc1_3);
acc2_0 = fma(s0, w3, acc2_0);
acc2_1 = fma(s1, w3, acc2_1);
acc2_2 = fma(s2, w3, acc2_2);
acc2_3 = fma(s3, w3, acc2_3);
acc2_0 = fma(s1, w4, acc2_0);
acc2_1 = fma(s2, w4, acc2_1);
acc2_2 = fma(s3, w4, acc2_2);
acc2_3 = fma(s4, w4, acc2_3);
acc2_0 = fma(s2, w5, acc2_0);
acc2_1 = fma(s3, w5, acc2_1);
acc2_2 = fma(s4, w5, acc2_2);
acc2_3 = fma(s5, w5, acc2_3);
acc3_0 = fma(s0, w0, acc3_0);
acc3_1 = fma(s1, w0, acc3_1);
acc3_2 = fma(s2, w0, acc3_2);
acc3_3 = fma(s3, w0, acc3_3);
acc3_0 = fma(s1, w1, acc3_0);
acc3_1 = fma(s2, w1, acc3_1);
acc3_2 = fma(s3, w1, acc3_2);
acc3_3 = fma(s4, w1, acc3_3);
acc3_0 = fma(s2, w2, acc3_0);
acc3_1 = fma(s3, w2, acc3_1);
acc3_2 = fma(s4, w2, acc3_2);
acc3_3 = fma(s5, w2, acc3_3);
}
{
let y = iy0 + 4; let yok = y >= 0 && y < 8; let rb = xBase + clamp(y, 0, 7) * 8;
let s0 = select(0.0, X[rb + sc0], yok && so0);
let s1 = select(0.0, X[rb + sc1], yok && so1);
let s2 = select(0.0, X[rb + sc2], yok && so2);
let s3 = select(0.0, X[rb + sc3], yok && so3);
let s4 = select(0.0, X[rb + sc4], yok && so4);
let s5 = select(0.0, X[rb + sc5], yok && so5);
acc2_0 = fma(s0, w6, acc2_0);
acc2_1 = fma(s1, w6, acc2_1);
acc2_2 = fma(s2, w6, acc2_2);
acc2_3 = fma(s3, w6, acc2_3);
acc2_0 = fma(s1, w7, acc2_0);
acc2_1 = fma(s2, w7, acc2_1);
acc2_2 = fma(s3, w7, acc2_2);
acc2_3 = fma(s4, w7, acc2_3);
acc2_0 = fma(s2, w8, acc2_0);
acc2_1 = fma(s3, w8, acc2_1);
acc2_2 = fma(s4, w8, acc2_2);
acc2_3 = fma(s5, w8, acc2_3);
acc3_0 = fma(s0, w3, acc3_0);
acc3_1 = fma(s1, w3, acc3_1);
acc3_2 = fma(s2, w3, acc3_2);
acc3_3 = fma(s3, w3, acc3_3);
acc3_0 = fma(s1, w4, acc3_0);
acc3_1 = fma(s2, w4, acc3_1);
acc3_2 = fma(s3, w4, acc3_2);
acc3_3 = fma(s4, w4, acc3_3);
acc3_0 = fma(s2, w5, acc3_0);
acc3_1 = fma(s3, w5, acc3_1);
acc3_2 = fma(s4, w5, acc3_2);
acc3_3 = fma(s5, w5, acc3_3);
}
{
let y = iy0 + 5; let yok = y >= 0 && y < 8; let rb = xBase + clamp(y, 0, 7) * 8;
let s0 = select(0.0, X[rb + sc0], yok && so0);
let s1 = select(0.0, X[rb + sc1], yok && so1);
let s2 = select(0.0, X[rb + sc2], yok && so2);
let s3 = select(0.0, X[rb + sc3], yok && so3);
let s4 = select(0.0, X[rb + sc4], yok && so4);
let s5 = select(0.0, X[rb + sc5], yok && so5);
acc3_0 = fma(s0, w6, acc3_0);
acc3_1 = fma(s1, w6, acc3_1);
acc3_2 = fma(s2, w6, acc3_2);
acc3_3 = fma(s3, w6, acc3_3);
acc3_0 = fma(s1, w7, acc3_0);
acc3_1 = fma(s2, w7, acc3_1);
acc3_2 = fma(s3, w7, acc3_2);
acc3_3 = fma(s4, w7, acc3_3);
acc3_0 = fma(s2, w8, acc3_0);
acc3_1 = fma(s3, w8, acc3_1);
acc3_2 = fma(s4, w8, acc3_2);
acc3_3 = fma(s5, w8, acc3_3);
}
let bv = bias[ch];
if (oh0 + 0u < 8u && zz == z) {
let yOff = (z * 8u + oh0 + 0u) * 8u + ow0;
if (ow0 + 0u < 8u) { Y[yOff + 0u] = act(acc0_0 + bv); }
if (ow0 + 1u < 8u) { Y[yOff + 1u] = act(acc0_1 + bv); }
if (ow0 + 2u < 8u) { Y[yOff + 2u] = act(acc0_2 + bv); }
if (ow0 + 3u < 8u) { Y[yOff + 3u] = act(acc0_3 + bv); }
}
if (oh0 + 1u < 8u && zz == z) {
let yOff = (z * 8u + oh0 + 1u) * 8u + ow0;
if (ow0 + 0u < 8u) { Y[yOff + 0u] = act(acc1_0 + bv); }
if (ow0 + 1u < 8u) { Y[yOff + 1u] = act(acc1_1 + bv); }
if (ow0 + 2u < 8u) { Y[yOff + 2u] = act(acc1_2 + bv); }
if (ow0 + 3u < 8u) { Y[yOff + 3u] = act(acc1_3 + bv); }
}
if (oh0 + 2u < 8u && zz == z) {
let yOff = (z * 8u + oh0 + 2u) * 8u + ow0;
if (ow0 + 0u < 8u) { Y[yOff + 0u] = act(acc2_0 + bv); }
if (ow0 + 1u < 8u) { Y[yOff + 1u] = act(acc2_1 + bv); }
if (ow0 + 2u < 8u) { Y[yOff + 2u] = act(acc2_2 + bv); }
if (ow0 + 3u < 8u) { Y[yOff + 3u] = act(acc2_3 + bv); }
}
if (oh0 + 3u < 8u && zz == z) {
let yOff = (z * 8u + oh0 + 3u) * 8u + ow0;
if (ow0 + 0u < 8u) { Y[yOff + 0u] = act(acc3_0 + bv); }
if (ow0 + 1u < 8u) { Y[yOff + 1u] = act(acc3_1 + bv); }
if (ow0 + 2u < 8u) { Y[yOff + 2u] = act(acc3_2 + bv); }
if (ow0 + 3u < 8u) { Y[yOff + 3u] = act(acc3_3 + bv); }
}
}