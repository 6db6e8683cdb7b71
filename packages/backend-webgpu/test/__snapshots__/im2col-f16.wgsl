enable f16;
struct Params {
  lt: u32,
  kTotal: u32,
  oh0: u32,
  zIn0: u32,
  yBase: u32,
  zBase: u32,
}
@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read> X: array<f16>;
@group(0) @binding(2) var<storage, read_write> O: array<f16>;
@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let l0 = (wid.x * 64u + lid.x) * 4u;
  let k = wid.y + u.yBase;
  let z = wid.z + u.zBase;
  if (l0 >= u.lt || k >= u.kTotal) { return; }
  let ch = k / 9u; let pq = k % 9u;
  let dy = i32(pq / 3u) * 1 - 1; let dx = i32(pq % 3u) * 2 - 0;
  let xOff = i32(((u.zIn0 + z) * 3u + ch) * 81u);
  let oOff = (z * u.kTotal + k) * u.lt;
  for (var e = 0u; e < 4u; e++) {
    let l = l0 + e;
    if (l >= u.lt) { break; }
    let y = i32((u.oh0 + l / 4u) * 2u) + dy;
    let x = i32((l % 4u) * 2u) + dx;
    let ok = y >= 0 && y < 9 && x >= 0 && x < 9;
    O[oOff + l] = select(0.0, X[select(0, xOff + y * 9 + x, ok)], ok);
  }
}