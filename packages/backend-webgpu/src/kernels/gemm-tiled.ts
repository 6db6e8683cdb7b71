import { storeOutput } from '../wgsl.ts';
import type { GemmConfig } from './gemm-config.ts';
import { header, loadFns, range, wgCol } from './gemm-parts.ts';

/**
 * The GEMM for real GPUs (variant 'tiled'): the workgroup stages a (tm*wgY) x bk tile of A and a
 * bk x (tn*wgX) tile of B in workgroup memory (A transposed, so both are read as vec4 along the
 * output), and each invocation accumulates tm x tn outputs in vec4 registers. An invocation's rows
 * and columns are groups of 4 strided by the workgroup (row (ty + g*wgY)*4 + e), so neighbouring
 * lanes read neighbouring vec4s of workgroup memory (no bank conflicts). With `doubleBuffer` the
 * next tile's global loads are issued into registers before the current tile is used, and stored
 * to the other half of workgroup memory after: one barrier per tile. Global loads are vec4 where
 * the operands allow (vecA along K, vecB along N), else scalar through loadA / loadB (transposes,
 * the im2col index map). On llvmpipe barriers and workgroup memory are slow (README): this is not
 * lavapipe's kernel.
 */
export function tiledGemm(c: GemmConfig): string {
  const { tm, tn, wgX, wgY, bk } = c;
  if (tm % 4 !== 0 || tn % 4 !== 0 || bk % 4 !== 0) throw new Error('the tiled GEMM needs tm, tn and bk multiples of 4');
  if (c.vecA && c.transA) throw new Error('vec4 A needs !transA');
  const bm = tm * wgY;
  const bn = tn * wgX;
  const bm4 = bm / 4;
  const bn4 = bn / 4;
  const threads = wgX * wgY;
  const bufs = c.doubleBuffer ? 2 : 1;
  const L: string[] = [header(c)];
  L.push(`var<workgroup> As: array<vec4<f32>, ${bufs * bk * bm4}>;`);
  L.push(`var<workgroup> Bs: array<vec4<f32>, ${bufs * bk * bn4}>;`);
  L.push(loadFns(c, !c.vecA));
  L.push(`@compute @workgroup_size(${wgX}, ${wgY}, 1)`);
  L.push('fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {');
  L.push(`let tileCol = ${wgCol(c)} * ${bn}u; let tileRow = (wid.y + u.yBase) * ${bm}u;`);
  L.push('let z = wid.z + u.zBase;');
  L.push('let aOff = u.aBase + (z % u.aPeriod) * u.strideA;');
  L.push('let bOff = u.bBase + z * u.strideB;');
  if (c.vecA) L.push('let k4 = u.K / 4u;');
  if (c.vecB) L.push('let n4 = u.N / 4u; let bOff4 = bOff / 4u;');

  // Staging: per invocation, `slots` loads of each operand into registers, then stores.
  type Stage = { count: number; fetch: (e: string, s: number) => string[]; store: (e: string, s: number, buf: string) => string[] };
  const aStage: Stage = c.vecA
    ? {
        // bm rows x bk/4 vec4s along K; consecutive invocations read consecutive vec4s of a row.
        count: bm * (bk / 4),
        fetch: (e, s) => [
          `let q${s} = ${e} % ${bk / 4}u; let r${s} = ${e} / ${bk / 4}u;`,
          `let ok${s} = tileRow + r${s} < u.M && k0 + q${s} * 4u < u.K;`,
          `pa${s} = select(vec4<f32>(0.0), A[(aOff / 4u) + min(tileRow + r${s}, u.M - 1u) * k4 + min(k0 / 4u + q${s}, k4 - 1u)], ok${s});`,
        ],
        store: (e, s, buf) => [
          `let q${s} = ${e} % ${bk / 4}u; let r${s} = ${e} / ${bk / 4}u;`,
          ...range(4).map((x) => `As[(${buf} + q${s} * 4u + ${x}u) * ${bm4}u + r${s} / 4u][r${s} % 4u] = pa${s}[${x}];`),
        ],
      }
    : {
        // Scalars: consecutive invocations along the operand's contiguous dimension.
        count: bm * bk,
        fetch: (e, s) => [
          c.transA ? `let r${s} = ${e} % ${bm}u; let kk${s} = ${e} / ${bm}u;` : `let kk${s} = ${e} % ${bk}u; let r${s} = ${e} / ${bk}u;`,
          `pa${s} = loadA(aOff, tileRow + r${s}, k0 + kk${s});`,
        ],
        store: (e, s, buf) => [
          c.transA ? `let r${s} = ${e} % ${bm}u; let kk${s} = ${e} / ${bm}u;` : `let kk${s} = ${e} % ${bk}u; let r${s} = ${e} / ${bk}u;`,
          `As[(${buf} + kk${s}) * ${bm4}u + r${s} / 4u][r${s} % 4u] = pa${s};`,
        ],
      };
  const bStage: Stage = c.vecB
    ? {
        count: bk * bn4,
        fetch: (e, s) => [
          `let c${s} = ${e} % ${bn4}u; let kk${s} = ${e} / ${bn4}u;`,
          `let ok${s} = tileCol + c${s} * 4u < u.N && k0 + kk${s} < u.K;`,
          `pb${s} = select(vec4<f32>(0.0), B[bOff4 + min(k0 + kk${s}, u.K - 1u) * n4 + min(tileCol / 4u + c${s}, n4 - 1u)], ok${s});`,
        ],
        store: (e, s, buf) => [`let c${s} = ${e} % ${bn4}u; let kk${s} = ${e} / ${bn4}u;`, `Bs[(${buf} + kk${s}) * ${bn4}u + c${s}] = pb${s};`],
      }
    : {
        count: bk * bn,
        fetch: (e, s) => [
          c.transB ? `let kk${s} = ${e} % ${bk}u; let cc${s} = ${e} / ${bk}u;` : `let cc${s} = ${e} % ${bn}u; let kk${s} = ${e} / ${bn}u;`,
          `pb${s} = loadB(bOff, k0 + kk${s}, tileCol + cc${s});`,
        ],
        store: (e, s, buf) => [
          c.transB ? `let kk${s} = ${e} % ${bk}u; let cc${s} = ${e} / ${bk}u;` : `let cc${s} = ${e} % ${bn}u; let kk${s} = ${e} / ${bn}u;`,
          `Bs[(${buf} + kk${s}) * ${bn4}u + cc${s} / 4u][cc${s} % 4u] = pb${s};`,
        ],
      };
  const slots = (st: Stage) => Math.ceil(st.count / threads);
  // One block per slot; a slot past the tile's element count (count % threads != 0) is skipped.
  const each = (st: Stage, body: (e: string, s: number) => string[]) =>
    range(slots(st)).flatMap((s) => {
      const e = `(li + ${s * threads}u)`;
      const inner = body(e, s);
      return (s + 1) * threads > st.count ? [`if (${e} < ${st.count}u) {`, ...inner, '}'] : ['{', ...inner, '}'];
    });
  const aT = c.vecA ? 'vec4<f32>' : 'f32';
  const bT = c.vecB ? 'vec4<f32>' : 'f32';
  for (const s of range(slots(aStage))) L.push(`var pa${s}: ${aT};`);
  for (const s of range(slots(bStage))) L.push(`var pb${s}: ${bT};`);
  const fetch = () => [...each(aStage, aStage.fetch), ...each(bStage, bStage.fetch)];
  const store = (bufBase: string) => [...each(aStage, (e, s) => aStage.store(e, s, bufBase)), ...each(bStage, (e, s) => bStage.store(e, s, bufBase))];

  const mv = tm / 4;
  const nv = tn / 4;
  const acc = (i: number, jj: number) => `acc${i}_${jj}`;
  for (const i of range(tm)) for (const jj of range(nv)) L.push(`var ${acc(i, jj)} = vec4<f32>(0.0);`);
  // bk k-steps from the half of workgroup memory starting at k-row `buf`.
  const compute = (buf: string) => {
    const out: string[] = [];
    for (const kk of range(bk)) {
      out.push('{');
      for (const g of range(mv)) out.push(`let a${g} = As[(${buf} + ${kk}u) * ${bm4}u + lid.y + ${g * wgY}u];`);
      for (const jj of range(nv)) out.push(`let b${jj} = Bs[(${buf} + ${kk}u) * ${bn4}u + lid.x + ${jj * wgX}u];`);
      for (const i of range(tm)) for (const jj of range(nv)) out.push(`${acc(i, jj)} = fma(vec4<f32>(a${i >> 2}[${i % 4}]), b${jj}, ${acc(i, jj)});`);
      out.push('}');
    }
    return out;
  };
  L.push(`let tiles = (u.K + ${bk - 1}u) / ${bk}u;`);
  if (c.doubleBuffer) {
    L.push('{ let k0 = 0u;', ...fetch(), ...store('0u'), '}');
    L.push('workgroupBarrier();');
    L.push('for (var t = 0u; t < tiles; t++) {');
    L.push(`let cur = (t % 2u) * ${bk}u; let nxt = ${bk}u - cur;`);
    L.push(`let more = t + 1u < tiles; let k0 = (t + 1u) * ${bk}u;`);
    L.push('if (more) {', ...fetch(), '}');
    L.push(...compute('cur'));
    L.push('if (more) {', ...store('nxt'), '}');
    L.push('workgroupBarrier();');
    L.push('}');
  } else {
    L.push('for (var t = 0u; t < tiles; t++) {');
    L.push(`let k0 = t * ${bk}u;`);
    L.push(...fetch(), ...store('0u'));
    L.push('workgroupBarrier();');
    L.push(...compute('0u'));
    L.push('workgroupBarrier();');
    L.push('}');
  }
  // Epilogue: row i is tileRow + (lid.y + (i/4)*wgY)*4 + i%4, column group jj starts at
  // tileCol + (lid.x + jj*wgX)*4.
  L.push('let cOff = u.cBase + z * u.strideC;');
  for (const i of range(tm)) {
    L.push(`{ let row = tileRow + (lid.y + ${(i >> 2) * wgY}u) * 4u + ${i % 4}u;`);
    L.push('if (row < u.M) {');
    L.push('let cr = cOff + row * u.ldc;');
    if (c.bias === 'row') L.push('let bv = bias[u.biasBase + (z % u.aPeriod) * u.M + row];');
    for (const jj of range(nv)) {
      L.push(`let col${jj} = tileCol + (lid.x + ${jj * wgX}u) * 4u;`);
      for (const e of range(4)) {
        const b = c.bias === 'row' ? ' + bv' : c.bias === 'col' ? ` + bias[u.biasBase + col${jj} + ${e}u]` : '';
        L.push(`if (col${jj} + ${e}u < u.N) { ${storeOutput('C', `cr + col${jj} + ${e}u`, `${acc(i, jj)}[${e}]${b}`, c.residual)} }`);
      }
    }
    L.push('}}');
  }
  L.push('}');
  return L.join('\n');
}
