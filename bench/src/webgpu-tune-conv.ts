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
};
const dw = (c: number, hw: number, s: number) => ({
  name: `dw ${c}x${hw}x${hw} 3x3 s${s}`,
  init: { input: [1, c, hw, hw], weight: [c, 1, 3, 3], groups: c, padding: 1, stride: s } as Conv2dSpecInit,
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
  {
    name: 'pw 64x14x14 -> 384',
    init: { input: [1, 64, 14, 14], weight: [384, 64, 1, 1] },
    method: 'pointwise',
    variants: { default: {}, 'vec4 A': { gemm: { vecA: true } }, 'wg8x2 vec4 A': { gemm: { vecA: true, wgX: 8, wgY: 2 } } },
  },
  {
    name: 'conv 128x28x28 3x3 -> 128',
    init: { input: [1, 128, 28, 28], weight: [128, 128, 3, 3], padding: 1 },
    method: 'im2col-gemm',
    variants: { default: {}, 'vec4 A': { gemm: { vecA: true } } },
  },
];
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
