enable f16;
struct Params {
  loopC: u32,
  loopKH: u32,
  loopKW: u32,
  yBase: u32,
  zBase: u32,
}
@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read> X: array<f16>;
@group(0) @binding(2) var<storage, read> Wt: array<vec4<f16>>;
@group(0) @binding(3) var<storage, read_write> Y: array<f32>;
@group(0) @binding(4) var<storage, read> bias: array<f16>;
fn act(v: f32) -> f32 { var r = v; r = select(r, -1.50000000f, r < -1.50000000f); r = select(r, 6.00000000f, r > 6.00000000f); return r; }
@compute @workgroup_size(8, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
let ow0 = (wid.x * 8u + lid.x) * 4u;
let yy = wid.y + u.yBase; let z = wid.z + u.zBase;
let blk = yy / 5u; let oh = yy % 5u;
if (ow0 >= 4u || blk >= 1u) { return; }
let gr = z % 2u; let n = z / 2u;
let xBase = i32(z * 243u);
let wBase = (gr * 1u + blk) * 27u;
let ix0 = i32((ow0 + 0u) * 2u) - 0;
let ix1 = i32((ow0 + 1u) * 2u) - 0;
let ix2 = i32((ow0 + 2u) * 2u) - 0;
let ix3 = i32((ow0 + 3u) * 2u) - 0;
var acc0_0 = vec4<f16>(0.0);
var acc1_0 = vec4<f16>(0.0);
var acc2_0 = vec4<f16>(0.0);
var acc3_0 = vec4<f16>(0.0);
let iy0 = i32(oh * 2u) - 1;
for (var ch = 0; ch < i32(u.loopC); ch++) {
for (var p = 0; p < i32(u.loopKH); p++) {
let y = iy0 + p * 1;
if (y < 0 || y >= 9) { continue; }
let row = xBase + (ch * 9 + y) * 9;
let wRow = wBase + u32((ch * 3 + p) * 3);
for (var q = 0; q < i32(u.loopKW); q++) {
let x0 = ix0 + q * 2; let ok0 = x0 >= 0 && x0 < 9;
let v0 = vec4<f16>(select(0.0, X[select(0, row + x0, ok0)], ok0));
let x1 = ix1 + q * 2; let ok1 = x1 >= 0 && x1 < 9;
let v1 = vec4<f16>(select(0.0, X[select(0, row + x1, ok1)], ok1));
let x2 = ix2 + q * 2; let ok2 = x2 >= 0 && x2 < 9;
let v2 = vec4<f16>(select(0.0, X[select(0, row + x2, ok2)], ok2));
let x3 = ix3 + q * 2; let ok3 = x3 >= 0 && x3 < 9;
let v3 = vec4<f16>(select(0.0, X[select(0, row + x3, ok3)], ok3));
let w0 = Wt[wRow + u32(q * 1) + 0u];
acc0_0 = fma(v0, w0, acc0_0);
acc1_0 = fma(v1, w0, acc1_0);
acc2_0 = fma(v2, w0, acc2_0);
acc3_0 = fma(v3, w0, acc3_0);
}}}
{ let o = blk * 4u + 0u;
if (o < 4u) {
let oc = gr * 4u + o;
let yOff = ((n * 8u + oc) * 5u + oh) * 4u + ow0;
if (ow0 + 0u < 4u) { Y[yOff + 0u] = act(f32(acc0_0[0] + bias[oc])); }
if (ow0 + 1u < 4u) { Y[yOff + 1u] = act(f32(acc1_0[0] + bias[oc])); }
if (ow0 + 2u < 4u) { Y[yOff + 2u] = act(f32(acc2_0[0] + bias[oc])); }
if (ow0 + 3u < 4u) { Y[yOff + 3u] = act(f32(acc3_0[0] + bias[oc])); }
}}
{ let o = blk * 4u + 1u;
if (o < 4u) {
let oc = gr * 4u + o;
let yOff = ((n * 8u + oc) * 5u + oh) * 4u + ow0;
if (ow0 + 0u < 4u) { Y[yOff + 0u] = act(f32(acc0_0[1] + bias[oc])); }
if (ow0 + 1u < 4u) { Y[yOff + 1u] = act(f32(acc1_0[1] + bias[oc])); }
if (ow0 + 2u < 4u) { Y[yOff + 2u] = act(f32(acc2_0[1] + bias[oc])); }
if (ow0 + 3u < 4u) { Y[yOff + 3u] = act(f32(acc3_0[1] + bias[oc])); }
}}
{ let o = blk * 4u + 2u;
if (o < 4u) {
let oc = gr * 4u + o;
let yOff = ((n * 8u + oc) * 5u + oh) * 4u + ow0;
if (ow0 + 0u < 4u) { Y[yOff + 0u] = act(f32(acc0_0[2] + bias[oc])); }
if (ow0 + 1u < 4u) { Y[yOff + 1u] = act(f32(acc1_0[2] + bias[oc])); }
if (ow0 + 2u < 4u) { Y[yOff + 2u] = act(f32(acc2_0[2] + bias[oc])); }
if (ow0 + 3u < 4u) { Y[yOff + 3u] = act(f32(acc3_0[2] + bias[oc])); }
}}
{ let o = blk * 4u + 3u;
if (o < 4u) {
let oc = gr * 4u + o;
let yOff = ((n * 8u + oc) * 5u + oh) * 4u + ow0;
if (ow0 + 0u < 4u) { Y[yOff + 0u] = act(f32(acc0_0[3] + bias[oc])); }
if (ow0 + 1u < 4u) { Y[yOff + 1u] = act(f32(acc1_0[3] + bias[oc])); }
if (ow0 + 2u < 4u) { Y[yOff + 2u] = act(f32(acc2_0[3] + bias[oc])); }
if (ow0 + 3u < 4u) { Y[yOff + 3u] = act(f32(acc3_0[3] + bias[oc])); }
}}
}