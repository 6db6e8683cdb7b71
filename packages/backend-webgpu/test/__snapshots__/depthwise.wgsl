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

fn act(v: f32) -> f32 { return v; }
@compute @workgroup_size(4, 4, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
let ow0 = (wid.x * 4u + lid.x) * 8u;
let oh = (wid.y + u.yBase) * 4u + lid.y;
let z = wid.z + u.zBase;
if (ow0 >= 8u || oh >= 8u) { return; }
let ch = z % 5u;
let xBase = i32(z * 64u);
let wBase = i32(ch * 9u);
let ix0 = i32((ow0 + 0u) * 1u) - 1;
let ix1 = i32((ow0 + 1u) * 1u) - 1;
let ix2 = i32((ow0 + 2u) * 1u) - 1;
let ix3 = i32((ow0 + 3u) * 1u) - 1;
let ix4 = i32((ow0 + 4u) * 1u) - 1;
let ix5 = i32((ow0 + 5u) * 1u) - 1;
let ix6 = i32((ow0 + 6u) * 1u) - 1;
let ix7 = i32((ow0 + 7u) * 1u) - 1;
var acc0 = vec4<f32>(0.0);
var acc1 = vec4<f32>(0.0);
let iy0 = i32(oh * 1u) - 1;
for (var p = 0; p < i32(u.loopKH); p++) {
let y = iy0 + p * 1;
if (y < 0 || y >= 8) { continue; }
let row = xBase + y * 8;
for (var q = 0; q < i32(u.loopKW); q++) {
let wv = vec4<f32>(Wt[wBase + p * 3 + q]);
let x0 = ix0 + q * 1; let ok0 = x0 >= 0 && x0 < 8;
let v0 = select(0.0, X[select(0, row + x0, ok0)], ok0);
let x1 = ix1 + q * 1; let ok1 = x1 >= 0 && x1 < 8;
let v1 = select(0.0, X[select(0, row + x1, ok1)], ok1);
let x2 = ix2 + q * 1; let ok2 = x2 >= 0 && x2 < 8;
let v2 = select(0.0, X[select(0, row + x2, ok2)], ok2);
let x3 = ix3 + q * 1; let ok3 = x3 >= 0 && x3 < 8;
let v3 = select(0.0, X[select(0, row + x3, ok3)], ok3);
let x4 = ix4 + q * 1; let ok4 = x4 >= 0 && x4 < 8;
let v4 = select(0.0, X[select(0, row + x4, ok4)], ok4);
let x5 = ix5 + q * 1; let ok5 = x5 >= 0 && x5 < 8;
let v5 = select(0.0, X[select(0, row + x5, ok5)], ok5);
let x6 = ix6 + q * 1; let ok6 = x6 >= 0 && x6 < 8;
let v6 = select(0.0, X[select(0, row + x6, ok6)], ok6);
let x7 = ix7 + q * 1; let ok7 = x7 >= 0 && x7 < 8;
let v7 = select(0.0, X[select(0, row + x7, ok7)], ok7);
acc0 = fma(vec4<f32>(v0, v1, v2, v3), wv, acc0);
acc1 = fma(vec4<f32>(v4, v5, v6, v7), wv, acc1);
}}
let yOff = (z * 8u + oh) * 8u + ow0;

if (ow0 + 0u < 8u) { Y[yOff + 0u] = act(acc0[0]); }
if (ow0 + 1u < 8u) { Y[yOff + 1u] = act(acc0[1]); }
if (ow0 + 2u < 8u) { Y[yOff + 2u] = act(acc0[2]); }
if (ow0 + 3u < 8u) { Y[yOff + 3u] = act(acc0[3]); }
if (ow0 + 4u < 8u) { Y[yOff + 4u] = act(acc1[0]); }
if (ow0 + 5u < 8u) { Y[yOff + 5u] = act(acc1[1]); }
if (ow0 + 6u < 8u) { Y[yOff + 6u] = act(acc1[2]); }
if (ow0 + 7u < 8u) { Y[yOff + 7u] = act(acc1[3]); }
}