struct Params {
  loopC: u32,
  loopKH: u32,
  loopKW: u32,
  yBase: u32,
  zBase: u32,
}
@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read> Wt: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> Y: array<f32>;
@group(0) @binding(4) var<storage, read> bias: array<f32>;
fn act(v: f32) -> f32 { return select(v, 0.0, v < 0.0); }
@compute @workgroup_size(8, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
let xi = wid.x * 8u + lid.x;
let yy = wid.y + u.yBase; let z = wid.z + u.zBase;
let blk = yy / 8u; let oh = i32(yy % 8u);
if (xi >= 2u || blk >= 1u) { return; }
let j0 = i32(xi % 2u + 2u * (xi / 2u) * 4u);
if (j0 >= 6) { return; }
let gr = z % 3u; let n = z / 3u;
let xBase = i32(z * 24u);
let wBase = i32((gr * 1u + blk) * 18u);
var acc0_0 = vec4<f32>(0.0);
var acc1_0 = vec4<f32>(0.0);
var acc2_0 = vec4<f32>(0.0);
var acc3_0 = vec4<f32>(0.0);
for (var p = 0; p < i32(u.loopKH); p++) {
let numH = oh + 1 - p * 1;
if (numH < 0 || numH % 2 != 0) { continue; }
let a = numH / 2;
if (a >= 4) { continue; }
for (var q = 0; q < i32(u.loopKW); q++) {
let numW = j0 + 1 - q * 1;
if (numW % 2 != 0) { continue; }
let b0 = numW / 2;
let ok0 = b0 + 0 >= 0 && b0 + 0 < 3 && j0 + 0 < 6;
let ok1 = b0 + 1 >= 0 && b0 + 1 < 3 && j0 + 2 < 6;
let ok2 = b0 + 2 >= 0 && b0 + 2 < 3 && j0 + 4 < 6;
let ok3 = b0 + 3 >= 0 && b0 + 3 < 3 && j0 + 6 < 6;
let wTap = wBase + ((p * 3 + q) * 2) * 1;
for (var ch = 0; ch < i32(u.loopC); ch++) {
let row = xBase + (ch * 4 + a) * 3 + b0;
let v0 = vec4<f32>(select(0.0, X[select(0, row + 0, ok0)], ok0));
let v1 = vec4<f32>(select(0.0, X[select(0, row + 1, ok1)], ok1));
let v2 = vec4<f32>(select(0.0, X[select(0, row + 2, ok2)], ok2));
let v3 = vec4<f32>(select(0.0, X[select(0, row + 3, ok3)], ok3));
let w0 = Wt[wTap + ch * 1 + 0];
acc0_0 = fma(v0, w0, acc0_0);
acc1_0 = fma(v1, w0, acc1_0);
acc2_0 = fma(v2, w0, acc2_0);
acc3_0 = fma(v3, w0, acc3_0);
}}}
{ let o = blk * 4u + 0u;
if (o < 2u) {
let oc = gr * 2u + o;
let yRow = i32(((n * 6u + oc) * 8u + u32(oh)) * 6u);
if (j0 + 0 < 6) { Y[yRow + j0 + 0] = act(acc0_0[0] + bias[oc]); }
if (j0 + 2 < 6) { Y[yRow + j0 + 2] = act(acc1_0[0] + bias[oc]); }
if (j0 + 4 < 6) { Y[yRow + j0 + 4] = act(acc2_0[0] + bias[oc]); }
if (j0 + 6 < 6) { Y[yRow + j0 + 6] = act(acc3_0[0] + bias[oc]); }
}}
{ let o = blk * 4u + 1u;
if (o < 2u) {
let oc = gr * 2u + o;
let yRow = i32(((n * 6u + oc) * 8u + u32(oh)) * 6u);
if (j0 + 0 < 6) { Y[yRow + j0 + 0] = act(acc0_0[1] + bias[oc]); }
if (j0 + 2 < 6) { Y[yRow + j0 + 2] = act(acc1_0[1] + bias[oc]); }
if (j0 + 4 < 6) { Y[yRow + j0 + 4] = act(acc2_0[1] + bias[oc]); }
if (j0 + 6 < 6) { Y[yRow + j0 + 6] = act(acc3_0[1] + bias[oc]); }
}}
{ let o = blk * 4u + 2u;
if (o < 2u) {
let oc = gr * 2u + o;
let yRow = i32(((n * 6u + oc) * 8u + u32(oh)) * 6u);
if (j0 + 0 < 6) { Y[yRow + j0 + 0] = act(acc0_0[2] + bias[oc]); }
if (j0 + 2 < 6) { Y[yRow + j0 + 2] = act(acc1_0[2] + bias[oc]); }
if (j0 + 4 < 6) { Y[yRow + j0 + 4] = act(acc2_0[2] + bias[oc]); }
if (j0 + 6 < 6) { Y[yRow + j0 + 6] = act(acc3_0[2] + bias[oc]); }
}}
{ let o = blk * 4u + 3u;
if (o < 2u) {
let oc = gr * 2u + o;
let yRow = i32(((n * 6u + oc) * 8u + u32(oh)) * 6u);
if (j0 + 0 < 6) { Y[yRow + j0 + 0] = act(acc0_0[3] + bias[oc]); }
if (j0 + 2 < 6) { Y[yRow + j0 + 2] = act(acc1_0[3] + bias[oc]); }
if (j0 + 4 < 6) { Y[yRow + j0 + 4] = act(acc2_0[3] + bias[oc]); }
if (j0 + 6 < 6) { Y[yRow + j0 + 6] = act(acc3_0[3] + bias[oc]); }
}}
}