import type { GemmConfig } from './gemm-config.ts';
import { epilogue, header, im2colCorners, range, wgCol } from './gemm-parts.ts';

/**
 * The GEMM with B shared across a subgroup (B from a buffer as vec4s, or through the im2col index
 * map for implicit GEMM): lane l owns rows row0 + l*tm .. + tm - 1 and every lane
 * the same tn columns. Per block of `size` k-steps each lane loads B[k0 + l, cols] as tn/4 vec4s
 * and A[rows, k0 .. k0 + size) as vec4s along K; step kk broadcasts lane kk's B values. On
 * llvmpipe a per-lane load costs 11-17 FMAs' time and a broadcast about one (README, "Why loads
 * decide everything"), so per k-step this loads tn/(4 * size) + tm/4 vec4s per lane against the
 * subgroupA kernel's 1 + tm/size. Accumulates through block-local copies (see gemm.ts).
 */
export function subgroupBGemm(c: GemmConfig): string {
  const sg = c.subgroupB ?? 0;
  const { tm, tn } = c;
  const nv = tn / 4;
  const implicit = c.bSource.kind === 'im2col';
  if (c.variant !== 'register' || c.wgX !== sg || c.wgY !== 1 || c.transA || c.transB || !c.vecA || c.vecB === implicit || sg % 4 !== 0)
    throw new Error(
      'subgroupB needs the register variant, wgX = size (a multiple of 4), wgY = 1, vec4 A, vec4 B from a buffer or B through the im2col map, no transposes',
    );
  const accs = range(tm).flatMap((i) => range(tn).map((j) => `${i}_${j}`));
  const L: string[] = [header(c)];
  L.push(`@compute @workgroup_size(${sg}, 1, 1)`);
  L.push('fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(subgroup_invocation_id) lane: u32) {');
  L.push(`let col0 = ${wgCol(c)} * ${tn}u;`);
  L.push(`let row0 = (wid.y + u.yBase) * ${sg * tm}u + lane * ${tm}u;`);
  L.push('let z = wid.z + u.zBase;');
  // No early return: every lane stays active for subgroupBroadcast; loads clamp, stores check.
  L.push('let aOff = u.aBase + (z % u.aPeriod) * u.strideA;');
  L.push('let bOff = u.bBase + z * u.strideB;');
  for (const i of range(tm)) L.push(`let ra${i} = (aOff + min(row0 + ${i}u, u.M - 1u) * u.K) / 4u;`);
  // One row k of B for the tn columns, as tn/4 vec4s named `${name}${jj}`.
  let bRow: (k: string, name: string) => string[];
  if (c.bSource.kind === 'buffer') {
    L.push('let n4 = u.N / 4u; let bOff4 = bOff / 4u;');
    for (const jj of range(nv)) L.push(`let cb${jj} = min(col0 / 4u + ${jj}u, n4 - 1u);`);
    bRow = (k, name) => range(nv).map((jj) => `let ${name}${jj} = B[bOff4 + ${k} * n4 + cb${jj}];`);
  } else {
    // Implicit GEMM: B[k, l] = x[ch, oh*sH - top + p*dH, ow*sW - left + q*dW], k = (ch, p, q); the
    // columns' window corners are the same in every lane, each lane reads its own k.
    const g = c.bSource;
    L.push(...im2colCorners(g, tn));
    bRow = (k, name) => {
      const out = [
        `let ch_${name} = ${k} / ${g.kH * g.kW}u; let pq_${name} = ${k} % ${g.kH * g.kW}u;`,
        `let dy_${name} = i32(pq_${name} / ${g.kW}u) * ${g.dH}; let dx_${name} = i32(pq_${name} % ${g.kW}u) * ${g.dW};`,
        `let xc_${name} = i32(bOff + ch_${name} * ${g.h * g.w}u);`,
      ];
      for (const j of range(tn)) {
        out.push(
          `let y${j}_${name} = ih${j} + dy_${name}; let x${j}_${name} = iw${j} + dx_${name}; let ok${j}_${name} = y${j}_${name} >= 0 && y${j}_${name} < ${g.h} && x${j}_${name} >= 0 && x${j}_${name} < ${g.w};`,
          `let v${j}_${name} = select(0.0, B[select(0, xc_${name} + y${j}_${name} * ${g.w} + x${j}_${name}, ok${j}_${name})], ok${j}_${name});`,
        );
      }
      for (const jj of range(nv))
        out.push(
          `let ${name}${jj} = vec4<f32>(${range(4)
            .map((e) => `v${jj * 4 + e}_${name}`)
            .join(', ')});`,
        );
      return out;
    };
  }
  for (const n of accs) L.push(`var acc${n} = 0.0;`);
  L.push(`let kFull = (u.K / ${sg}u) * ${sg}u;`);
  L.push(`for (var k0 = 0u; k0 < kFull; k0 += ${sg}u) {`);
  L.push('let kb = min(k0 + lane, u.K - 1u);');
  L.push(...bRow('kb', 'bv'));
  for (const i of range(tm)) for (const q of range(sg / 4)) L.push(`let av${i}_${q} = A[ra${i} + k0 / 4u + ${q}u];`);
  for (const n of accs) L.push(`var t${n} = acc${n};`);
  for (const kk of range(sg)) {
    L.push('{');
    for (const jj of range(nv)) L.push(`let b${jj} = subgroupBroadcast(bv${jj}, ${kk}u);`);
    for (const i of range(tm)) {
      L.push(`let a${i} = av${i}_${kk >> 2}[${kk % 4}];`);
      for (const j of range(tn)) L.push(`t${i}_${j} = fma(a${i}, b${j >> 2}[${j % 4}], t${i}_${j});`);
    }
    L.push('}');
  }
  for (const n of accs) L.push(`acc${n} = t${n};`);
  L.push('}');
  // The remaining K % size steps (K is a multiple of 4): one k at a time.
  L.push('for (var k = kFull; k < u.K; k++) {');
  L.push(...bRow('k', 'b'));
  for (const i of range(tm)) {
    L.push(`let a${i} = A[ra${i} + k / 4u][k % 4u];`);
    for (const j of range(tn)) L.push(`acc${i}_${j} = fma(a${i}, b${j >> 2}[${j % 4}], acc${i}_${j});`);
  }
  L.push('}');
  L.push(epilogue(c, (i, j) => `acc${i}_${j}`));
  L.push('}');
  return L.join('\n');
}
