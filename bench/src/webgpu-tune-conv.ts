// Measures conv kernels under code-generation overrides (KernelTuning) on a few suite layers, to
// choose defaults by measurement. Interleaved rounds, best median kept (shared 2-core machine).
//   npx tsx bench/src/webgpu-tune-conv.ts [rounds] [case-name regex]
import { createWebGpuBackend, type KernelTuning } from '@convroute/backend-webgpu';
import { type Conv2dSpecInit, type ConvMethod, conv2dFlops, conv2dSpec, Tensor } from '@convroute/core';

const rounds = Number(process.argv[2] ?? 2);
const base = await createWebGpuBackend({ acquire: { log: () => {} } });
const only = new RegExp(process.argv[3] ?? '.');
const dwVariants: Record<string, KernelTuning> = {
  default: {},
  'tw8 th6 wg1x1x32': { depthwise: { tw: 8, th: 6, wgX: 1, wgY: 1, wgZ: 32 } },
  'tw8 th8 wg1x1x32': { depthwise: { tw: 8, th: 8, wgX: 1, wgY: 1, wgZ: 32 } },
  'tw16 th4 wg1x1x32': { depthwise: { tw: 16, th: 4, wgX: 1, wgY: 1, wgZ: 32 } },
  'tw12 th6 wg1x1x32': { depthwise: { tw: 12, th: 6, wgX: 1, wgY: 1, wgZ: 32 } },
  'tw4 th2 wg1x1x32': { depthwise: { tw: 4, th: 2, wgX: 1, wgY: 1, wgZ: 32 } },
  'tw8 th4 wg1x1x32': { depthwise: { tw: 8, th: 4, wgX: 1, wgY: 1, wgZ: 32 } },
  'tw4 th4 wg1x1x32': { depthwise: { tw: 4, th: 4, wgX: 1, wgY: 1, wgZ: 32 } },
  'tw8 th2 wg1x1x32': { depthwise: { tw: 8, th: 2, wgX: 1, wgY: 1, wgZ: 32 } },
  'tw4 wg2x32': { depthwise: { tw: 4, th: 1, wgX: 2, wgY: 32 } },
  'tw16 wg2x32': { depthwise: { tw: 16, th: 1, wgX: 2, wgY: 32 } },
  'tw8 wg8x8': { depthwise: { tw: 8, th: 1, wgX: 8, wgY: 8 } },
  'tw8 wg1x8': { depthwise: { tw: 8, th: 1, wgX: 1, wgY: 8 } },
  'tw4 th2 wg1x1x8': { depthwise: { tw: 4, th: 2, wgX: 1, wgY: 1, wgZ: 8 } },
  'tw4 th2 wg4x2x8': { depthwise: { tw: 4, th: 2, wgX: 4, wgY: 2, wgZ: 8 } },
  // lanes along the row (one channel plane per workgroup slice) rather than across channels
  'tw8 th4 wg8x1x1': { depthwise: { tw: 8, th: 4, wgX: 8, wgY: 1, wgZ: 1 } },
  'tw8 th4 wg8x1x4': { depthwise: { tw: 8, th: 4, wgX: 8, wgY: 1, wgZ: 4 } },
  'tw8 th4 wg4x1x8': { depthwise: { tw: 8, th: 4, wgX: 4, wgY: 1, wgZ: 8 } },
  'tw8 th4 wg8x4x1': { depthwise: { tw: 8, th: 4, wgX: 8, wgY: 4, wgZ: 1 } },
  'tw8 th4 wg16x2x1': { depthwise: { tw: 8, th: 4, wgX: 16, wgY: 2, wgZ: 1 } },
  'tw8 th2 wg4x1x8': { depthwise: { tw: 8, th: 2, wgX: 4, wgY: 1, wgZ: 8 } },
  'tw16 wg8x8': { depthwise: { tw: 16, th: 1, wgX: 8, wgY: 8 } },
  'tw8 wg8x1': { depthwise: { tw: 8, th: 1, wgX: 8, wgY: 1 } },
};
const dw = (c: number, hw: number, s: number, k = 3) => ({
  name: `dw ${c}x${hw}x${hw} ${k}x${k} s${s}`,
  init: { input: [1, c, hw, hw], weight: [c, 1, k, k], groups: c, padding: (k - 1) / 2, stride: s } as Conv2dSpecInit,
  method: 'depthwise' as ConvMethod,
  variants: dwVariants,
});
const cases: { name: string; init: Conv2dSpecInit; method: ConvMethod; variants: Record<string, KernelTuning> }[] = [
  dw(32, 112, 1),
  dw(96, 112, 2),
  dw(144, 56, 1),
  dw(144, 56, 2),
  dw(192, 28, 1),
  dw(192, 28, 2),
  dw(384, 14, 1),
  dw(576, 14, 2),
  dw(960, 7, 1),
  // ETVK's large-image depthwise layers (test_conv2d_dw.perf)
  dw(48, 256, 1),
  dw(48, 256, 1, 5),
  dw(96, 128, 1),
  dw(256, 128, 1),
  dw(24, 512, 2),
  dw(48, 256, 2),
  dw(96, 128, 2),
  {
    name: 'pw 64x14x14 -> 384',
    init: { input: [1, 64, 14, 14], weight: [384, 64, 1, 1] },
    method: 'pointwise',
    variants: { default: {}, 'sg 8x4': { gemm: { tm: 8, tn: 4 } }, 'sg 12x4': { gemm: { tm: 12, tn: 4 } } },
  },
  {
    name: 'pw 576x14x14 -> 96',
    init: { input: [1, 576, 14, 14], weight: [96, 576, 1, 1] },
    method: 'pointwise',
    variants: { default: {}, 'sg 8x4': { gemm: { tm: 8, tn: 4 } }, 'sg 12x4': { gemm: { tm: 12, tn: 4 } } },
  },
  {
    name: 'pw 320x7x7 -> 1280',
    init: { input: [1, 320, 7, 7], weight: [1280, 320, 1, 1] },
    method: 'pointwise',
    variants: { default: {}, 'sg 8x4': { gemm: { tm: 8, tn: 4 } }, 'sg 12x4': { gemm: { tm: 12, tn: 4 } } },
  },
  {
    name: 'conv 512x7x7 3x3 -> 512',
    init: { input: [1, 512, 7, 7], weight: [512, 512, 3, 3], padding: 1 },
    method: 'im2col-gemm',
    variants: {
      default: {},
      'sg 8x4': { gemm: { tm: 8, tn: 4 } },
      'sg 12x4': { gemm: { tm: 12, tn: 4 } },
      'sg 32x4': { gemm: { tm: 32, tn: 4 } },
      'sg 16x8': { gemm: { tm: 16, tn: 8 } },
      '8x8 wg4x4': { gemm: { tm: 8, tn: 8, wgX: 4, wgY: 4, subgroupA: undefined } },
      '8x4 wg8x2': { gemm: { tm: 8, tn: 4, wgX: 8, wgY: 2, subgroupA: undefined } },
    },
  },
  {
    name: 'conv 64x56x56 3x3 -> 64',
    init: { input: [1, 64, 56, 56], weight: [64, 64, 3, 3], padding: 1 },
    method: 'im2col-gemm',
    variants: { default: {}, 'sg 8x4': { gemm: { tm: 8, tn: 4 } }, 'sg 12x4': { gemm: { tm: 12, tn: 4 } } },
  },
  {
    name: 'conv 256x14x14 3x3 -> 256',
    init: { input: [1, 256, 14, 14], weight: [256, 256, 3, 3], padding: 1 },
    method: 'im2col-gemm',
    variants: { default: {}, 'sg 8x4': { gemm: { tm: 8, tn: 4 } }, 'sg 12x4': { gemm: { tm: 12, tn: 4 } } },
  },
  {
    name: 'conv 128x28x28 3x3 -> 128 b',
    init: { input: [1, 128, 28, 28], weight: [128, 128, 3, 3], padding: 1 },
    method: 'im2col-gemm',
    variants: { default: {}, 'sg 8x4': { gemm: { tm: 8, tn: 4 } }, 'sg 12x4': { gemm: { tm: 12, tn: 4 } } },
  },
  {
    name: 'conv 128x28x28 3x3 -> 128',
    init: { input: [1, 128, 28, 28], weight: [128, 128, 3, 3], padding: 1 },
    method: 'im2col-gemm',
    variants: { default: {}, 'vec4 A': { gemm: { vecA: true } } },
  },
];
const sg = (tm: number): KernelTuning => ({ gemm: { tm, tn: 4, wgX: 8, wgY: 1, variant: 'register', bk: 8, scalarAcc: true, subgroupA: 8 } });
const rowVariants = { default: {}, 'sg 10x4': sg(10), 'sg 12x4': sg(12), 'sg 14x4': sg(14) };
const pw = (cin: number, hw: number, cout: number) => ({
  name: `pw2 ${cin}x${hw}x${hw} -> ${cout}`,
  init: { input: [1, cin, hw, hw], weight: [cout, cin, 1, 1] } as Conv2dSpecInit,
  method: 'pointwise' as ConvMethod,
  variants: rowVariants,
});
const c3 = (c: number, hw: number, o: number) => ({
  name: `c3 ${c}x${hw}x${hw} 3x3 -> ${o}`,
  init: { input: [1, c, hw, hw], weight: [o, c, 3, 3], padding: 1 } as Conv2dSpecInit,
  method: 'im2col-gemm' as ConvMethod,
  variants: rowVariants,
});
const short = { default: {}, 'sg 8x4': sg(8), 'sg 12x4': sg(12) };
cases.push(
  { ...pw(32, 112, 16), variants: short },
  {
    name: 'c0 3x224x224 3x3 s2 -> 32',
    init: { input: [1, 3, 224, 224], weight: [32, 3, 3, 3], padding: 1, stride: 2 },
    method: 'im2col-gemm',
    variants: short,
  },
);
cases.push(c3(128, 28, 128), c3(256, 14, 256), c3(512, 7, 512));
cases.push(pw(32, 28, 192), pw(24, 56, 144), pw(16, 112, 96), pw(576, 14, 96), pw(960, 7, 160), pw(384, 14, 64));
const best: Record<string, number> = {};
const backends = new Map<string, Awaited<ReturnType<typeof createWebGpuBackend>>>();
for (let r = 0; r < rounds; r++) {
  for (const c of cases.filter((c) => only.test(c.name))) {
    const spec = conv2dSpec(c.init);
    const inputs = [
      Tensor.fromData(new Float32Array(spec.input.reduce((a, b) => a * b)).fill(0.5), spec.input),
      Tensor.fromData(new Float32Array(spec.weight.reduce((a, b) => a * b)).fill(0.25), spec.weight),
    ];
    for (const [name, tuning] of Object.entries(c.variants)) {
      const key = JSON.stringify(tuning);
      if (!backends.has(key)) backends.set(key, await createWebGpuBackend({ device: base.acquired!.device, tuning }));
      const be = backends.get(key)!;
      const p = await be.prepare({ op: 'conv2d', spec }, c.method, inputs);
      await p.execute();
      const ts: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        await p.execute();
        ts.push(performance.now() - t0);
      }
      p.release();
      const g = conv2dFlops(spec) / ts.sort((a, b) => a - b)[2] / 1e6;
      const k = `${c.name} | ${c.method} | ${name}`;
      best[k] = Math.max(best[k] ?? 0, g);
    }
  }
}
console.log(`${base.description}; GFLOP/s, best of ${rounds} rounds of median-of-5`);
for (const [k, g] of Object.entries(best)) console.log(`| ${k} | ${g.toFixed(2)} |`);
base.dispose();
process.exit(0);
