import type { GemmConfig } from './gemm.ts';
import { epilogue, header } from './gemm-parts.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * The GEMM with B shared across a subgroup: lane l owns rows row0 + l*tm .. + tm - 1 and every lane
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
  if (c.variant !== 'register' || c.wgX !== sg || c.wgY !== 1 || c.transA || c.transB || !c.vecA || !c.vecB || c.bSource.kind !== 'buffer' || sg % 4 !== 0)
    throw new Error('subgroupB needs the register variant, wgX = size (a multiple of 4), wgY = 1, vec4 A and B from buffers, no transposes');
  const accs = range(tm).flatMap((i) => range(tn).map((j) => `${i}_${j}`));
  const L: string[] = [header(c)];
  L.push(`@compute @workgroup_size(${sg}, 1, 1)`);
  L.push('fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(subgroup_invocation_id) lane: u32) {');
  L.push(`let col0 = wid.x * ${tn}u;`);
  L.push(`let row0 = (wid.y + u.yBase) * ${sg * tm}u + lane * ${tm}u;`);
  L.push('let z = wid.z + u.zBase;');
  // No early return: every lane stays active for subgroupBroadcast; loads clamp, stores check.
  L.push('let aOff = u.aBase + (z % u.aPeriod) * u.strideA;');
  L.push('let bOff = u.bBase + z * u.strideB;');
  L.push('let n4 = u.N / 4u; let bOff4 = bOff / 4u;');
  for (const i of range(tm)) L.push(`let ra${i} = (aOff + min(row0 + ${i}u, u.M - 1u) * u.K) / 4u;`);
  for (const jj of range(nv)) L.push(`let cb${jj} = min(col0 / 4u + ${jj}u, n4 - 1u);`);
  for (const n of accs) L.push(`var acc${n} = 0.0;`);
  L.push(`let kFull = (u.K / ${sg}u) * ${sg}u;`);
  L.push(`for (var k0 = 0u; k0 < kFull; k0 += ${sg}u) {`);
  L.push(`let kb = min(k0 + lane, u.K - 1u);`);
  for (const jj of range(nv)) L.push(`let bv${jj} = B[bOff4 + kb * n4 + cb${jj}];`);
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
  for (const jj of range(nv)) L.push(`let b${jj} = B[bOff4 + k * n4 + cb${jj}];`);
  for (const i of range(tm)) {
    L.push(`let a${i} = A[ra${i} + k / 4u][k % 4u];`);
    for (const j of range(tn)) L.push(`acc${i}_${j} = fma(a${i}, b${j >> 2}[${j % 4}], acc${i}_${j});`);
  }
  L.push('}');
  L.push(epilogue(c, (i, j) => `acc${i}_${j}`));
  L.push('}');
  return L.join('\n');
}
