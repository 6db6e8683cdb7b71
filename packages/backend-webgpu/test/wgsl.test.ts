import { conv2dSpec } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { convGeometry, depthwiseWgsl, directWgsl, type GemmConfig, gemmKey, gemmWgsl, im2colWgsl, transposedWgsl } from '../src/index.ts';
import { f32Literal } from '../src/wgsl.ts';

// Generated WGSL for fixed specs, checked in, so any change to code generation shows in review.
const base: GemmConfig = {
  tm: 8,
  tn: 8,
  wgX: 4,
  wgY: 4,
  variant: 'register',
  bk: 8,
  transA: false,
  transB: false,
  vecB: true,
  bias: 'row',
  activation: { kind: 'relu' },
  bSource: { kind: 'buffer' },
};
const conv = convGeometry(conv2dSpec({ input: [1, 6, 9, 9], weight: [8, 3, 3, 3], groups: 2, stride: 2, padding: [1, 0, 1, 2], dilation: [1, 2] }));
const dw = convGeometry(conv2dSpec({ input: [2, 5, 8, 8], weight: [5, 1, 3, 3], groups: 5, padding: 1 }));
const tr = convGeometry(conv2dSpec({ input: [1, 6, 4, 3], weight: [6, 2, 3, 3], groups: 3, transposed: true, stride: 2, padding: 1, outputPadding: 1 }));
const clamp = { kind: 'clamp' as const, min: -1.5, max: 6 };

describe('WGSL snapshots', () => {
  it('gemm, register-blocked 8x8, vec4 B, row bias, relu', async () => {
    await expect(gemmWgsl(base)).toMatchFileSnapshot('__snapshots__/gemm-register.wgsl');
  });
  it('gemm, register-blocked 8x8, scalar accumulators', async () => {
    await expect(gemmWgsl({ ...base, scalarAcc: true })).toMatchFileSnapshot('__snapshots__/gemm-register-scalar.wgsl');
  });
  it('gemm, subgroup-broadcast A, 16x4 per lane', async () => {
    await expect(gemmWgsl({ ...base, tm: 16, tn: 4, wgX: 8, wgY: 1, scalarAcc: true, subgroupA: 8 })).toMatchFileSnapshot('__snapshots__/gemm-subgroup.wgsl');
  });
  it('gemm, subgroup-broadcast B, 4x16 per lane, vec4 A', async () => {
    const c: GemmConfig = { ...base, tm: 4, tn: 16, wgX: 8, wgY: 1, scalarAcc: true, subgroupB: 8, vecA: true };
    await expect(gemmWgsl(c)).toMatchFileSnapshot('__snapshots__/gemm-subgroup-b.wgsl');
  });
  it('implicit gemm with subgroup-broadcast B (im2col index map), 4x16 per lane', async () => {
    const g = convGeometry(conv2dSpec({ input: [1, 8, 9, 9], weight: [16, 8, 3, 3], stride: 2, padding: 1, dilation: [1, 2] }));
    const src = {
      kind: 'im2col' as const,
      cInG: g.cInG,
      h: g.h,
      w: g.w,
      kH: g.kH,
      kW: g.kW,
      sH: g.sH,
      sW: g.sW,
      top: g.top,
      left: g.left,
      dH: g.dH,
      dW: g.dW,
      wOut: g.wOut,
    };
    const c: GemmConfig = { ...base, tm: 4, tn: 16, wgX: 8, wgY: 1, scalarAcc: true, subgroupB: 8, vecA: true, vecB: false, bSource: src };
    await expect(gemmWgsl(c)).toMatchFileSnapshot('__snapshots__/gemm-implicit-subgroup-b.wgsl');
  });
  it('gemm, tiled for real GPUs: 128x128 double-buffered, vec4 A and B, row bias, relu', async () => {
    const c: GemmConfig = { ...base, variant: 'tiled', tm: 8, tn: 8, wgX: 16, wgY: 16, bk: 8, doubleBuffer: true, vecA: true };
    await expect(gemmWgsl(c)).toMatchFileSnapshot('__snapshots__/gemm-tiled.wgsl');
  });
  it('gemm, tiled, single-buffered, scalar transposed operands, column bias, clamp', async () => {
    const c: GemmConfig = {
      ...base,
      variant: 'tiled',
      tm: 4,
      tn: 4,
      wgX: 8,
      wgY: 8,
      bk: 8,
      transA: true,
      transB: true,
      vecB: false,
      bias: 'col',
      activation: clamp,
    };
    await expect(gemmWgsl(c)).toMatchFileSnapshot('__snapshots__/gemm-tiled-scalar.wgsl');
  });
  it('gemm, workgroup-memory staging, transposed operands, column bias, clamp', async () => {
    const c: GemmConfig = { ...base, variant: 'shared', tm: 4, tn: 4, transA: true, transB: true, vecB: false, bias: 'col', activation: clamp };
    await expect(gemmWgsl(c)).toMatchFileSnapshot('__snapshots__/gemm-shared.wgsl');
  });
  it('implicit gemm (im2col index map)', async () => {
    const { cInG, h, w, kH, kW, sH, sW, top, left, dH, dW, wOut } = conv;
    const c: GemmConfig = { ...base, tm: 4, vecB: false, bSource: { kind: 'im2col', cInG, h, w, kH, kW, sH, sW, top, left, dH, dW, wOut } };
    await expect(gemmWgsl(c)).toMatchFileSnapshot('__snapshots__/gemm-implicit.wgsl');
  });
  it('the f16 precisions: scalar register gemm, im2col gather, direct (issue 14)', async () => {
    for (const precision of ['f16-storage', 'f16'] as const) {
      const g: GemmConfig = { ...base, vecB: false, scalarAcc: true, precision };
      await expect(gemmWgsl(g)).toMatchFileSnapshot(`__snapshots__/gemm-register-scalar-${precision}.wgsl`);
      await expect(directWgsl(conv, { to: 4, tw: 4, wgX: 8, bias: true, activation: clamp, precision })).toMatchFileSnapshot(
        `__snapshots__/direct-${precision}.wgsl`,
      );
    }
    await expect(im2colWgsl(conv, 'f16')).toMatchFileSnapshot('__snapshots__/im2col-f16.wgsl');
    // The other GEMM forms have no f16 code: asking is an internal error, never f32 code.
    expect(() => gemmWgsl({ ...base, precision: 'f16' })).toThrow(/precision f16 has only the scalar register GEMM/);
  });
  it('im2col, direct, depthwise, transposed', async () => {
    await expect(im2colWgsl(conv)).toMatchFileSnapshot('__snapshots__/im2col.wgsl');
    await expect(directWgsl(conv, { to: 4, tw: 4, wgX: 8, bias: true, activation: clamp })).toMatchFileSnapshot('__snapshots__/direct.wgsl');
    await expect(depthwiseWgsl(dw, { tw: 8, wgX: 4, wgY: 4, bias: false, activation: { kind: 'none' } })).toMatchFileSnapshot('__snapshots__/depthwise.wgsl');
    await expect(depthwiseWgsl(dw, { tw: 4, th: 4, wgX: 1, wgY: 1, wgZ: 4, bias: true, activation: { kind: 'relu' } })).toMatchFileSnapshot(
      '__snapshots__/depthwise-blocked.wgsl',
    );
    await expect(transposedWgsl(tr, { to: 4, tw: 4, wgX: 8, bias: true, activation: { kind: 'relu' } })).toMatchFileSnapshot('__snapshots__/transposed.wgsl');
  });
  it('pipeline keys differ for every codegen input', () => {
    const variants: GemmConfig[] = [
      base,
      { ...base, tm: 4 },
      { ...base, variant: 'shared' },
      { ...base, vecB: false },
      { ...base, bias: 'col' },
      { ...base, activation: clamp },
      { ...base, activation: { ...clamp, max: 7 } },
      { ...base, transA: true },
      { ...base, scalarAcc: true },
      { ...base, wgX: 8, wgY: 1, subgroupA: 8 },
      { ...base, wgX: 8, wgY: 1, subgroupB: 8, vecA: true },
      { ...base, vecA: true },
    ];
    expect(new Set(variants.map(gemmKey)).size).toBe(variants.length);
  });
  it('float literals round-trip float32', () => {
    for (const v of [0.1, -1.5, 3.4028234663852886e38, 1e-45, 2 ** -126, 6]) {
      const lit = f32Literal(v);
      expect(Math.fround(Number.parseFloat(lit))).toBe(Math.fround(v));
    }
  });
});
