// Chooses the GEMM code-generation variant by measurement (issue 4: on llvmpipe, staging through
// workgroup memory with barriers was 3-4x slower than register blocks read from storage;
// docs/webgpu-on-linux.md). Rounds are interleaved and the best median per variant kept, since other
// processes share this 2-core machine.
//   npx tsx bench/src/webgpu-tune.ts [rounds] [variant-name regex]
import { createWebGpuBackend, type GemmConfig, gemmDispatch } from '@convroute/backend-webgpu';

const rounds = Number(process.argv[2] ?? 3);
const be = await createWebGpuBackend({ acquire: { log: () => {} } });
const rt = be.runtime;
const base: GemmConfig = {
  tm: 8,
  tn: 8,
  wgX: 8,
  wgY: 8,
  variant: 'register',
  bk: 8,
  transA: false,
  transB: false,
  vecB: true,
  bias: 'none',
  activation: { kind: 'none' },
  bSource: { kind: 'buffer' },
};
const only = new RegExp(process.argv[3] ?? '.');
const allVariants: Record<string, Partial<GemmConfig>> = {
  'reg 8x8 wg8x8': {},
  'reg 8x8 wg4x4': { wgX: 4, wgY: 4 },
  'reg 8x8 wg8x2': { wgX: 8, wgY: 2 },
  'reg 8x8 wg2x8': { wgX: 2, wgY: 8 },
  'reg 8x8 wg4x4 vec4 A': { wgX: 4, wgY: 4, vecA: true },
  'reg 8x8 wg8x2 vec4 A': { wgX: 8, wgY: 2, vecA: true },
  'reg 4x8 wg4x4 vec4 A': { tm: 4, wgX: 4, wgY: 4, vecA: true },
  'reg 8x8 wg4x2': { wgX: 4, wgY: 2 },
  'reg 8x8 wg8x1': { wgX: 8, wgY: 1 },
  'reg 8x8 wg16x1': { wgX: 16, wgY: 1 },
  'reg 8x8 wg32x1': { wgX: 32, wgY: 1 },
  'reg 16x8 wg16x1': { tm: 16, wgX: 16, wgY: 1 },
  'reg 16x8 wg8x1': { tm: 16, wgX: 8, wgY: 1 },
  'reg 24x8 wg8x1': { tm: 24, wgX: 8, wgY: 1 },
  'reg 32x8 wg8x1': { tm: 32, wgX: 8, wgY: 1 },
  'reg 16x4 wg8x1': { tm: 16, tn: 4, wgX: 8, wgY: 1 },
  'reg 16x4 wg16x1': { tm: 16, tn: 4, wgX: 16, wgY: 1 },
  'reg 32x4 wg16x1': { tm: 32, tn: 4, wgX: 16, wgY: 1 },
  'reg 8x8 wg2x4': { wgX: 2, wgY: 4 },
  'reg 8x16 wg4x4': { tn: 16, wgX: 4, wgY: 4 },
  'reg 16x8 wg4x4': { tm: 16, wgX: 4, wgY: 4 },
  'reg 12x8 wg4x4': { tm: 12, wgX: 4, wgY: 4 },
  'reg 4x8 wg8x4': { tm: 4, wgX: 8, wgY: 4 },
  'reg 8x4 wg4x8': { tn: 4, wgX: 4, wgY: 8 },
  'reg 4x4 wg8x8': { tm: 4, tn: 4 },
  'reg 8x8 wg4x4 scalar B': { wgX: 4, wgY: 4, vecB: false },
  'shared 4x4 wg16x16 bk8': { variant: 'shared', tm: 4, tn: 4, wgX: 16, wgY: 16 },
  'shared 8x8 wg8x8 bk8': { variant: 'shared' },
  'scalar 8x8 wg4x4': { wgX: 4, wgY: 4, scalarAcc: true },
  'scalar 8x8 wg16x1': { wgX: 16, wgY: 1, scalarAcc: true },
  'scalar 8x8 wg8x1': { wgX: 8, wgY: 1, scalarAcc: true },
  'scalar 4x8 wg4x4': { tm: 4, wgX: 4, wgY: 4, scalarAcc: true },
  'scalar 4x8 wg16x1': { tm: 4, wgX: 16, wgY: 1, scalarAcc: true },
  'scalar 8x4 wg16x1': { tn: 4, wgX: 16, wgY: 1, scalarAcc: true },
  'scalar 16x4 wg16x1': { tm: 16, tn: 4, wgX: 16, wgY: 1, scalarAcc: true },
  'scalar 4x4 wg16x1': { tm: 4, tn: 4, wgX: 16, wgY: 1, scalarAcc: true },
  'scalar 8x8 wg4x4 vec4 A': { wgX: 4, wgY: 4, vecA: true, scalarAcc: true },
  'scalar 8x8 wg16x1 vec4 A': { wgX: 16, wgY: 1, vecA: true, scalarAcc: true },
  // Subgroup-broadcast A (needs the subgroups feature; lavapipe's subgroup size is 8).
  'sg 16x4': { tm: 16, tn: 4, wgX: 8, wgY: 1, scalarAcc: true, subgroupA: 8 },
  'sg 8x8': { tm: 8, tn: 8, wgX: 8, wgY: 1, scalarAcc: true, subgroupA: 8 },
  'sg 16x8': { tm: 16, tn: 8, wgX: 8, wgY: 1, scalarAcc: true, subgroupA: 8 },
  'sg 24x4': { tm: 24, tn: 4, wgX: 8, wgY: 1, scalarAcc: true, subgroupA: 8 },
  'sg 32x4': { tm: 32, tn: 4, wgX: 8, wgY: 1, scalarAcc: true, subgroupA: 8 },
  'sg 16x4 vec4 acc': { tm: 16, tn: 4, wgX: 8, wgY: 1, subgroupA: 8 },
  'sg 12x4': { tm: 12, tn: 4, wgX: 8, wgY: 1, scalarAcc: true, subgroupA: 8 },
  // B shared across the subgroup, lanes own rows (vec4 A along K): tm rows per lane x tn columns
  'sgB 4x12': { tm: 4, tn: 12, wgX: 8, wgY: 1, subgroupB: 8, vecA: true },
  'sgB 4x16': { tm: 4, tn: 16, wgX: 8, wgY: 1, subgroupB: 8, vecA: true },
  'sgB 2x24': { tm: 2, tn: 24, wgX: 8, wgY: 1, subgroupB: 8, vecA: true },
  'sgB 4x8': { tm: 4, tn: 8, wgX: 8, wgY: 1, subgroupB: 8, vecA: true },
  'sgB 8x8': { tm: 8, tn: 8, wgX: 8, wgY: 1, subgroupB: 8, vecA: true },
  'sgB 2x16': { tm: 2, tn: 16, wgX: 8, wgY: 1, subgroupB: 8, vecA: true },
  'sgB 4x20': { tm: 4, tn: 20, wgX: 8, wgY: 1, subgroupB: 8, vecA: true },
  'sgB 4x24': { tm: 4, tn: 24, wgX: 8, wgY: 1, subgroupB: 8, vecA: true },
  'sgB 3x16': { tm: 3, tn: 16, wgX: 8, wgY: 1, subgroupB: 8, vecA: true },
  'sgB 6x12': { tm: 6, tn: 12, wgX: 8, wgY: 1, subgroupB: 8, vecA: true },
  'sgB 5x16': { tm: 5, tn: 16, wgX: 8, wgY: 1, subgroupB: 8, vecA: true },
};
const variants = Object.fromEntries(Object.entries(allVariants).filter(([k]) => only.test(k)));
const shapes = [
  { name: 'gemm 512^3', m: 512, n: 512, k: 512 },
  { name: 'conv 64x3136x576', m: 64, n: 3136, k: 576 },
  { name: 'conv 256x196x2304', m: 256, n: 196, k: 2304 },
  { name: 'pw 96x12544x16', m: 96, n: 12544, k: 16 },
  { name: 'pw 144x3136x24', m: 144, n: 3136, k: 24 },
  { name: 'pw 192x784x32', m: 192, n: 784, k: 32 },
  { name: 'pw 576x196x96', m: 576, n: 196, k: 96 },
  { name: 'pw 960x49x160', m: 960, n: 49, k: 160 },
];
const best: Record<string, Record<string, number>> = {};
for (let r = 0; r < rounds; r++) {
  for (const s of shapes) {
    const a = rt.upload(new Float32Array(s.m * s.k).fill(0.5));
    const b = rt.upload(new Float32Array(s.k * s.n).fill(0.25));
    const c = rt.alloc(s.m * s.n);
    for (const [name, v] of Object.entries(variants)) {
      const d = await gemmDispatch(
        rt,
        {
          ...base,
          ...v,
          vecB: (v.vecB ?? base.vecB) && s.n % 4 === 0,
          ...(v.subgroupB && (s.n % 4 !== 0 || s.k % 4 !== 0) ? { subgroupB: undefined, vecA: false } : {}),
        },
        { m: s.m, n: s.n, k: s.k, batch: 1, strideA: 0, strideB: 0, strideC: 0, a, b, c },
      );
      await rt.execute([d]);
      const ts: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await rt.execute([d]);
        ts.push(performance.now() - t0);
      }
      rt.releaseDispatch(d);
      const g = (2 * s.m * s.n * s.k) / ts.sort((x, y) => x - y)[1] / 1e6;
      best[name] ??= {};
      best[name][s.name] = Math.max(best[name][s.name] ?? 0, g);
    }
    rt.release(a);
    rt.release(b);
    rt.release(c);
  }
}
console.log(`${be.description}, LP_NUM_THREADS=${process.env.LP_NUM_THREADS}; GFLOP/s, best of ${rounds} interleaved rounds`);
console.log(`| variant | ${shapes.map((s) => s.name).join(' | ')} |`);
console.log(`|---|${shapes.map(() => '---').join('|')}|`);
for (const [name, r] of Object.entries(best)) console.log(`| ${name} | ${shapes.map((s) => r[s.name].toFixed(2)).join(' | ')} |`);
be.dispose();
process.exit(0);
