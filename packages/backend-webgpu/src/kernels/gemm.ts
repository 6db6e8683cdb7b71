import { kernelTypes } from '../f16.ts';
import { activationKey, residualKey } from '../wgsl.ts';
import type { GemmConfig } from './gemm-config.ts';
import { epilogue, header, im2colCorners, loadFns, range, wgCol } from './gemm-parts.ts';
import { subgroupBGemm } from './gemm-subgroup-b.ts';
import { tiledGemm } from './gemm-tiled.ts';

export type { GemmBSource, GemmConfig } from './gemm-config.ts';
export { GEMM_PARAMS, GEMM_PARAMS_SPLIT_X } from './gemm-parts.ts';

export function gemmKey(c: GemmConfig): string {
  const src = c.bSource.kind === 'buffer' ? 'buf' : `im2col(${Object.values(c.bSource).join(',')})`;
  return `gemm:${c.variant}:${c.tm}x${c.tn}:wg${c.wgX}x${c.wgY}:bk${c.bk}:tA${+c.transA}:tB${+c.transB}:v${+c.vecB}${c.vecA ? 'a' : ''}${c.scalarAcc ? ':s' : ''}${c.subgroupA ? `:sg${c.subgroupA}` : ''}${c.subgroupB ? `:sgB${c.subgroupB}` : ''}${c.doubleBuffer ? ':db' : ''}${c.splitX ? ':sx' : ''}${residualKey(c.residual)}:bias-${c.bias}:${activationKey(c.activation)}:${src}${kernelTypes(c.precision).key}`;
}

/** WGSL for one GEMM configuration. */
export function gemmWgsl(c: GemmConfig): string {
  if (c.tn % 4 !== 0) throw new Error('tn must be a multiple of 4');
  if (
    (c.precision ?? 'f32') !== 'f32' &&
    !(c.variant === 'register' && c.scalarAcc && !c.vecA && !c.vecB && !c.subgroupA && !c.subgroupB && c.bSource.kind === 'buffer')
  )
    throw new Error(`internal: precision ${c.precision} has only the scalar register GEMM with buffer B (${gemmKey(c)})`);
  if (c.subgroupB) return subgroupBGemm(c);
  if (c.variant === 'tiled') return tiledGemm(c);
  return c.variant === 'register' ? registerGemm(c) : sharedGemm(c);
}

function registerGemm(c: GemmConfig): string {
  const { tm, tn } = c;
  const nv = tn / 4;
  const sc = c.scalarAcc === true;
  const t = kernelTypes(c.precision);
  const acc = (i: number, jj: number) => `acc${i}_${jj}`;
  // acc[i][j] as an expression, and one k-step's update of row i's accumulators from a scalar
  // A value and the vec4s b0..b(nv-1). `pre` names the variables updated: `acc` (loop-carried) or
  // `t` (block-local copies, see blockLocals).
  const accAt = (i: number, j: number) => (sc ? `acc${i}_${j}` : `${acc(i, Math.floor(j / 4))}[${j % 4}]`);
  const update = (i: number, a: string, b: (jj: number) => string, pre = 'acc') =>
    range(nv).flatMap((jj) =>
      sc
        ? range(4).map((e) => `${pre}${i}_${jj * 4 + e} = fma(${a}, ${b(jj)}[${e}], ${pre}${i}_${jj * 4 + e});`)
        : [`${pre}${i}_${jj} = fma(vec4<f32>(${a}), ${b(jj)}, ${pre}${i}_${jj});`],
    );
  // llvmpipe runs every loop under an execution mask and blends each write to a loop-carried
  // variable with it (mul + add + blend per FMA); block-local copies are plain SSA values, so a
  // block of k-steps updates copies and writes each accumulator back once: about twice as fast on
  // lavapipe (bench/results/lavapipe-kernel-tuning.md, "FMA chains under llvmpipe").
  const accNames = () => (sc ? range(tm).flatMap((i) => range(tn).map((j) => `${i}_${j}`)) : range(tm).flatMap((i) => range(nv).map((jj) => `${i}_${jj}`)));
  const blockLocals = () => accNames().map((n) => `var t${n} = acc${n};`);
  const writeBack = () => accNames().map((n) => `acc${n} = t${n};`);
  const L: string[] = [header(c)];
  L.push(`@compute @workgroup_size(${c.wgX}, ${c.wgY}, 1)`);
  const sgA = c.subgroupA ?? 0;
  if (sgA && (c.wgX !== sgA || c.wgY !== 1 || c.transA || c.vecA || c.bSource.kind !== 'buffer'))
    throw new Error('subgroupA needs wgX = size, wgY = 1, !transA, !vecA, buffer B');
  L.push(
    `fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>${sgA ? ', @builtin(subgroup_invocation_id) lane: u32' : ''}) {`,
  );
  L.push(`let col0 = (${wgCol(c)} * ${c.wgX}u + lid.x) * ${tn}u;`);
  // With one invocation row per workgroup, row0 depends on workgroup_id only: uniform, so a
  // compiler may load A with scalar loads instead of per-lane gathers.
  L.push(c.wgY === 1 ? `let row0 = (wid.y + u.yBase) * ${tm}u;` : `let row0 = ((wid.y + u.yBase) * ${c.wgY}u + lid.y) * ${tm}u;`);
  L.push('let z = wid.z + u.zBase;');
  // No early return: rows and columns are clamped for loads and checked at the stores, and every
  // lane stays active for subgroupBroadcast.
  L.push('let aOff = u.aBase + (z % u.aPeriod) * u.strideA;');
  L.push('let bOff = u.bBase + z * u.strideB;');
  for (const i of range(tm)) L.push(`let r${i} = min(row0 + ${i}u, u.M - 1u);`);
  for (const i of range(tm)) {
    if (sc) for (const j of range(tn)) L.push(t.precision === 'f32' ? `var ${acc(i, j)} = 0.0;` : `var ${acc(i, j)}: ${t.at} = 0.0;`);
    else for (const jj of range(nv)) L.push(`var ${acc(i, jj)} = vec4<f32>(0.0);`);
  }
  const aLoad = (i: number, k: string) => t.load(c.transA ? `A[aOff + ${k} * u.M + r${i}]` : `A[aOff + r${i} * u.K + ${k}]`);
  const fmas = (k: string) => {
    const s: string[] = [];
    for (const i of range(tm)) {
      s.push(`let a${i} = ${aLoad(i, k)};`);
      s.push(...update(i, `a${i}`, (jj) => `b${jj}`));
    }
    return s.join('\n');
  };
  const bLoads = () =>
    c.vecB
      ? ['let brow = bOff4 + k * n4;', ...range(nv).map((jj) => `let b${jj} = B[brow + cb${jj}];`)]
      : range(nv).map(
          (jj) =>
            `let b${jj} = vec4<${t.at}>(${range(4)
              .map((e) => t.load(c.transB ? `B[bOff + cb${jj * 4 + e} * u.K + k]` : `B[bOff + k * u.N + cb${jj * 4 + e}]`))
              .join(', ')});`,
        );
  if (c.bSource.kind === 'buffer') {
    if (c.vecB) {
      L.push('let n4 = u.N / 4u; let bOff4 = bOff / 4u;');
      for (const jj of range(nv)) L.push(`let cb${jj} = min(col0 / 4u + ${jj}u, n4 - 1u);`);
    } else {
      for (const j of range(tn)) L.push(`let cb${j} = min(col0 + ${j}u, u.N - 1u);`);
    }
    if (c.vecA) {
      if (c.transA || !c.vecB) throw new Error('vecA needs !transA and vecB');
      // Four k per iteration: one vec4 load per A row, then four rank-1 updates.
      for (const i of range(tm)) L.push(`let ra${i} = (aOff + r${i} * u.K) / 4u;`);
      L.push('for (var k4 = 0u; k4 < u.K / 4u; k4++) {');
      for (const i of range(tm)) L.push(`let av${i} = A[ra${i} + k4];`);
      for (const e of range(4)) {
        L.push(`{ let brow = bOff4 + (k4 * 4u + ${e}u) * n4;`);
        for (const jj of range(nv)) L.push(`let b${jj} = B[brow + cb${jj}];`);
        for (const i of range(tm)) L.push(...update(i, `av${i}[${e}]`, (jj) => `b${jj}`));
        L.push('}');
      }
      L.push('}');
      L.push(epilogue(c, accAt));
      L.push('}');
      return L.join('\n');
    }
    let kStart = '0u';
    if (sgA) {
      // Whole blocks of sgA k-steps with broadcast A; the rest by the per-step loop below. (vec4 A
      // loads shared over 4 * sgA k-steps measured slower: bench/results/lavapipe-kernel-tuning.md.)
      L.push(`let kFull = (u.K / ${sgA}u) * ${sgA}u;`);
      L.push(`for (var k0 = 0u; k0 < kFull; k0 += ${sgA}u) {`);
      for (const i of range(tm)) L.push(`let av${i} = A[aOff + r${i} * u.K + k0 + lane];`);
      L.push(...blockLocals());
      for (const kk of range(sgA)) {
        L.push('{');
        L.push(`let k = k0 + ${kk}u;`);
        L.push(...bLoads());
        for (const i of range(tm)) {
          L.push(`let a${i} = subgroupBroadcast(av${i}, ${kk}u);`);
          L.push(...update(i, `a${i}`, (jj) => `b${jj}`, 't'));
        }
        L.push('}');
      }
      L.push(...writeBack());
      L.push('}');
      kStart = 'kFull';
    }
    L.push(`for (var k = ${kStart}; k < u.K; k++) {`);
    L.push(...bLoads());
    L.push(fmas('k'));
    L.push('}');
  } else {
    const s = c.bSource;
    L.push(...im2colCorners(s, tn));
    L.push('var kk = 0u;');
    L.push('for (var ch = 0u; ch < u.loopC; ch++) {');
    L.push(`let xc = i32(bOff + ch * ${s.h * s.w}u);`);
    L.push('for (var p = 0; p < i32(u.loopKH); p++) {');
    for (const j of range(tn)) {
      L.push(`let y${j} = ih${j} + p * ${s.dH}; let rok${j} = y${j} >= 0 && y${j} < ${s.h}; let rb${j} = xc + y${j} * ${s.w};`);
    }
    L.push('for (var q = 0; q < i32(u.loopKW); q++) {');
    for (const j of range(tn)) {
      L.push(`let x${j} = iw${j} + q * ${s.dW}; let ok${j} = rok${j} && x${j} >= 0 && x${j} < ${s.w};`);
      L.push(`let v${j} = select(0.0, B[select(0, rb${j} + x${j}, ok${j})], ok${j});`);
    }
    for (const jj of range(nv))
      L.push(
        `let b${jj} = vec4<f32>(${range(4)
          .map((e) => `v${jj * 4 + e}`)
          .join(', ')});`,
      );
    L.push(fmas('kk'));
    L.push('kk++;');
    L.push('}}}');
  }
  L.push(epilogue(c, accAt));
  L.push('}');
  return L.join('\n');
}

/** Classic shared-memory tiling: the workgroup stages a bk-deep slice of A and B in workgroup
 * memory, then each invocation accumulates its tm x tn block from there. */
function sharedGemm(c: GemmConfig): string {
  const { tm, tn, wgX, wgY, bk } = c;
  const bm = tm * wgY;
  const bn = tn * wgX;
  const threads = wgX * wgY;
  const nv = tn / 4;
  const acc = (i: number, jj: number) => `acc${i}_${jj}`;
  const L: string[] = [header(c)];
  L.push(`var<workgroup> As: array<f32, ${bk * bm}>;`);
  L.push(`var<workgroup> Bs: array<f32, ${bk * bn}>;`);
  L.push(loadFns(c));
  L.push(`@compute @workgroup_size(${wgX}, ${wgY}, 1)`);
  L.push('fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {');
  L.push(`let tileCol = ${wgCol(c)} * ${bn}u; let tileRow = (wid.y + u.yBase) * ${bm}u;`);
  L.push(`let col0 = tileCol + lid.x * ${tn}u; let row0 = tileRow + lid.y * ${tm}u;`);
  L.push('let z = wid.z + u.zBase;');
  L.push('let aOff = u.aBase + (z % u.aPeriod) * u.strideA;');
  L.push('let bOff = u.bBase + z * u.strideB;');
  for (const i of range(tm)) for (const jj of range(nv)) L.push(`var ${acc(i, jj)} = vec4<f32>(0.0);`);
  L.push(`for (var k0 = 0u; k0 < u.K; k0 += ${bk}u) {`);
  L.push(`for (var e = li; e < ${bk * bm}u; e += ${threads}u) { let kk = e / ${bm}u; let r = e % ${bm}u; As[e] = loadA(aOff, tileRow + r, k0 + kk); }`);
  L.push(`for (var e = li; e < ${bk * bn}u; e += ${threads}u) { let kk = e / ${bn}u; let cc = e % ${bn}u; Bs[e] = loadB(bOff, k0 + kk, tileCol + cc); }`);
  L.push('workgroupBarrier();');
  L.push(`for (var kk = 0u; kk < ${bk}u; kk++) {`);
  for (const jj of range(nv)) {
    const base = `kk * ${bn}u + lid.x * ${tn}u + ${jj * 4}u`;
    L.push(`let b${jj} = vec4<f32>(Bs[${base}], Bs[${base} + 1u], Bs[${base} + 2u], Bs[${base} + 3u]);`);
  }
  for (const i of range(tm)) {
    L.push(`let a${i} = vec4<f32>(As[kk * ${bm}u + lid.y * ${tm}u + ${i}u]);`);
    for (const jj of range(nv)) L.push(`${acc(i, jj)} = fma(a${i}, b${jj}, ${acc(i, jj)});`);
  }
  L.push('}');
  L.push('workgroupBarrier();');
  L.push('}');
  L.push('if (row0 >= u.M || col0 >= u.N) { return; }');
  L.push(epilogue(c, (i, j) => `${acc(i, Math.floor(j / 4))}[${j % 4}]`));
  L.push('}');
  return L.join('\n');
}
