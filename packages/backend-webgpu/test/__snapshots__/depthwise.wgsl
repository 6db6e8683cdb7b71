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
let sx0 = ix0 + 0; let so0 = sx0 >= 0 && sx0 < 8;
let s0 = select(0.0, X[select(0, row + sx0, so0)], so0);
let sx1 = ix0 + 1; let so1 = sx1 >= 0 && sx1 < 8;
let s1 = select(0.0, X[select(0, row + sx1, so1)], so1);
let sx2 = ix0 + 2; let so2 = sx2 >= 0 && sx2 < 8;
let s2 = select(0.0, X[select(0, row + sx2, so2)], so2);
let sx3 = ix0 + 3; let so3 = sx3 >= 0 && sx3 < 8;
let s3 = select(0.0, X[select(0, row + sx3, so3)], so3);
let sx4 = ix0 + 4; let so4 = sx4 >= 0 && sx4 < 8;
let s4 = select(0.0, X[select(0, row + sx4, so4)], so4);
let sx5 = ix0 + 5; let so5 = sx5 >= 0 && sx5 < 8;
let s5 = select(0.0, X[select(0, row + sx5, so5)], so5);
let sx6 = ix0 + 6; let so6 = sx6 >= 0 && sx6 < 8;
let s6 = select(0.0, X[select(0, row + sx6, so6)], so6);
let sx7 = ix0 + 7; let so7 = sx7 >= 0 && sx7 < 8;
let s7 = select(0.0, X[select(0, row + sx7, so7)], so7);
let sx8 = ix0 + 8; let so8 = sx8 >= 0 && sx8 < 8;
let s8 = select(0.0, X[select(0, row + sx8, so8)], so8);
let sx9 = ix0 + 9; let so9 = sx9 >= 0 && sx9 < 8;
let s9 = select(0.0, X[select(0, row + sx9, so9)], so9);
{ let wv = vec4<f32>(Wt[wBase + p * 3 + 0]);
acc0 = fma(vec4<f32>(s0, s1, s2, s3), wv, acc0);
acc1 = fma(vec4<f32>(s4, s5, s6, s7), wv, acc1);
}
{ let wv = vec4<f32>(Wt[wBase + p * 3 + 1]);
acc0 = fma(vec4<f32>(s1, s2, s3, s4), wv, acc0);
acc1 = fma(vec4<f32>(s5, s6, s7, s8), wv, acc1);
}
{ let wv = vec4<f32>(Wt[wBase + p * 3 + 2]);
acc0 = fma(vec4<f32>(s2, s3, s4, s5), wv, acc0);
acc1 = fma(vec4<f32>(s6, s7, s8, s9), wv, acc1);
}
}
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