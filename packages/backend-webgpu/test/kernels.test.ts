import { conv2dInputs, conv2dSpecArb, dataSeedArb, fcParams } from '@convroute/conformance';
import { type Conv2dSpec, type Conv2dSpecInit, conv2dSpec, convMethodsFor, Tensor } from '@convroute/core';
import * as fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { gpuBackendOrSkip } from './gpu.ts';
import { expectMatchesReference } from './reference.ts';

const backend = await gpuBackendOrSkip();
// A 256-byte im2col budget: every conv below tiles its scratch by single output rows.
const tiny = backend && (await gpuBackendOrSkip({ device: backend.acquired!.device, im2colBudgetBytes: 256, maxFlopsPerSubmit: 4096 }));
afterAll(() => {
  tiny?.dispose();
  backend?.dispose();
});

const spec = (init: Conv2dSpecInit): Conv2dSpec => conv2dSpec(init);

describe.skipIf(!backend)('webgpu kernels beyond the conformance suite', () => {
  it('declares every method core allows, plus im2col and gemm for those ops', () => {
    const s = spec({ input: [1, 4, 5, 5], weight: [4, 1, 3, 3], groups: 4 });
    expect(backend!.methodsFor({ op: 'conv2d', spec: s })).toEqual(convMethodsFor(s));
    expect(backend!.methodsFor({ op: 'conv2d', spec: s })).toContain('depthwise');
  });

  it('undeclared methods are refused with UNSUPPORTED_METHOD', async () => {
    const s = spec({ input: [1, 4, 5, 5], weight: [4, 4, 3, 3] });
    const xs = conv2dInputs(s, 'float', 1);
    await expect(backend!.run({ op: 'conv2d', spec: s }, 'depthwise', xs)).rejects.toThrow(/UNSUPPORTED_METHOD/);
    await expect(backend!.run({ op: 'conv2d', spec: s }, 'transposed', xs)).rejects.toThrow(/UNSUPPORTED_METHOD/);
    await expect(backend!.prepare({ op: 'conv2d', spec: s }, 'depthwise', xs)).rejects.toThrow(/UNSUPPORTED_METHOD/);
  });

  it('a prepared run (Backend.prepare) is read after execute, and neither after release', async () => {
    const s = spec({ input: [1, 4, 5, 5], weight: [4, 4, 3, 3], padding: 1 });
    const xs = conv2dInputs(s, 'small-int', 1);
    const want = await backend!.run({ op: 'conv2d', spec: s }, 'direct', xs);
    const p = await backend!.prepare({ op: 'conv2d', spec: s }, 'direct', xs);
    expect(p.clock).toBe('queue');
    await expect(p.read()).rejects.toMatchObject({ code: 'NOT_EXECUTED' });
    await p.execute();
    await p.execute();
    expect([...(await p.read()).data]).toEqual([...want.data]);
    p.release();
    await expect(p.execute()).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(p.read()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('im2col-gemm under a budget that forces many row tiles (batch 2, groups 2, bias, relu)', async () => {
    const s = spec({ input: [2, 6, 9, 7], weight: [8, 3, 3, 3], groups: 2, padding: 1, stride: [2, 1], bias: true, activation: 'relu' });
    await expectMatchesReference(tiny!, s, 'im2col-gemm', 'small-int');
    await expectMatchesReference(tiny!, s, 'im2col-gemm', 'float', 2);
    const p = await tiny!.prepare({ op: 'conv2d', spec: s }, 'im2col-gemm', conv2dInputs(s, 'float', 3));
    p.release();
  });

  it('tiny submissions (dispatches chunked along y and z) give the same answers', async () => {
    let submits = 0;
    const q = backend!.acquired!.device.queue;
    const orig = q.submit.bind(q);
    q.submit = (b: Iterable<GPUCommandBuffer>) => {
      submits++;
      orig(b);
    };
    try {
      for (const m of ['direct', 'implicit-gemm', 'depthwise'] as const) {
        const s = spec({ input: [2, 8, 11, 9], weight: [8, 1, 3, 3], groups: 8, padding: 1 });
        if (m !== 'depthwise') await expectMatchesReference(tiny!, spec({ input: [2, 8, 11, 9], weight: [12, 8, 3, 3], padding: 1, bias: true }), m, 'float');
        else await expectMatchesReference(tiny!, s, m, 'small-int');
      }
      await expectMatchesReference(tiny!, spec({ input: [2, 4, 5, 6], weight: [4, 3, 3, 2], transposed: true, stride: 2, bias: true }), 'transposed', 'float');
    } finally {
      q.submit = orig;
    }
    expect(submits).toBeGreaterThan(20);
  });

  it('register tiles fully used and ragged: 19 output channels, 13x11 output, batch 3', async () => {
    const s = spec({ input: [3, 10, 13, 11], weight: [19, 10, 3, 3], padding: 1, bias: true, activation: { kind: 'clamp', min: -20, max: 30 } });
    for (const m of convMethodsFor(s)) await expectMatchesReference(backend!, s, m, 'small-int');
  });

  it('strided pointwise gathers its subsampled input: batch 3, odd output size, bias, relu', async () => {
    for (const stride of [2, [3, 2]] as const) {
      const s = spec({ input: [3, 6, 9, 11], weight: [7, 6, 1, 1], stride: stride as number | number[], bias: true, activation: 'relu' });
      await expectMatchesReference(backend!, s, 'pointwise', 'small-int');
      await expectMatchesReference(backend!, s, 'pointwise', 'float', 8);
      await expectMatchesReference(tiny!, s, 'pointwise', 'float', 9);
    }
  });

  it('depthwise on wide rows (16-column tiles, row strips, lanes along the row) and with taps too wide for a strip', async () => {
    const wide = spec({ input: [2, 3, 9, 70], weight: [3, 1, 3, 5], groups: 3, padding: [1, 2, 0, 1], stride: [1, 1], dilation: [2, 1], bias: true });
    await expectMatchesReference(backend!, wide, 'depthwise', 'small-int');
    await expectMatchesReference(backend!, wide, 'depthwise', 'float', 5);
    const strided = spec({ input: [1, 2, 7, 80], weight: [2, 1, 3, 3], groups: 2, padding: 1, stride: 2 });
    await expectMatchesReference(backend!, strided, 'depthwise', 'float', 6);
    const gapped = spec({ input: [1, 2, 5, 50], weight: [2, 1, 2, 7], groups: 2, padding: [0, 3, 0, 3], dilation: [1, 6] });
    await expectMatchesReference(backend!, gapped, 'depthwise', 'small-int');
    // 128+ output columns: lanes along the row, 8 channels per workgroup (3 here), ragged tiles
    const long = spec({ input: [2, 3, 7, 141], weight: [3, 1, 3, 3], groups: 3, padding: 1, bias: true });
    await expectMatchesReference(backend!, long, 'depthwise', 'small-int');
    await expectMatchesReference(backend!, long, 'depthwise', 'float', 7);
  });

  it('depthwise 2-D blocked kernel: channels per workgroup not dividing N*C, ragged rows and columns, dilation, strides through tuning', async () => {
    const blocked = await gpuBackendOrSkip({ device: backend!.acquired!.device, tuning: { depthwise: { tw: 4, th: 3, wgX: 2, wgY: 1, wgZ: 3 } } });
    try {
      const cases = [
        spec({ input: [2, 5, 11, 13], weight: [5, 1, 3, 3], groups: 5, padding: 1, bias: true, activation: { kind: 'relu' } }),
        spec({ input: [1, 7, 9, 10], weight: [7, 1, 3, 2], groups: 7, padding: [2, 1, 0, 1], dilation: [2, 3] }),
        spec({ input: [3, 2, 12, 9], weight: [2, 1, 3, 3], groups: 2, padding: 1, stride: [2, 3] }),
        spec({ input: [1, 4, 3, 3], weight: [4, 1, 5, 5], groups: 4, padding: 2 }),
      ];
      for (const s of cases) {
        await expectMatchesReference(blocked!, s, 'depthwise', 'small-int');
        await expectMatchesReference(blocked!, s, 'depthwise', 'float', 7);
      }
    } finally {
      blocked?.dispose();
    }
  });

  it('reports GPU time from timestamp queries when the adapter has them', async () => {
    const s = spec({ input: [1, 8, 16, 16], weight: [8, 8, 3, 3], padding: 1 });
    const p = await backend!.prepare({ op: 'conv2d', spec: s }, 'im2col-gemm', conv2dInputs(s, 'float', 1));
    const ms = await p.execute({ timestamps: true });
    p.release();
    if (backend!.runtime.device.features.has('timestamp-query')) expect(ms).toBeGreaterThan(0);
    else expect(ms).toBeNull();
  });

  it('clamp with an infinite bound is one-sided', async () => {
    const s = spec({ input: [1, 3, 5, 5], weight: [5, 3, 3, 3], activation: { kind: 'clamp', min: Number.NEGATIVE_INFINITY, max: 1.5 } });
    for (const m of convMethodsFor(s)) await expectMatchesReference(backend!, s, m, 'float');
  });

  it('pipelines and packed weights are cached: a second run compiles nothing', async () => {
    const s = spec({ input: [1, 6, 8, 8], weight: [10, 6, 3, 3], padding: 1 });
    const xs = conv2dInputs(s, 'float', 4);
    for (const m of convMethodsFor(s)) await backend!.run({ op: 'conv2d', spec: s }, m, xs);
    const before = backend!.runtime.pipelineCount;
    for (const m of convMethodsFor(s)) await backend!.run({ op: 'conv2d', spec: s }, m, [Tensor.fromData(xs[0].data, xs[0].shape), xs[1]]);
    expect(backend!.runtime.pipelineCount).toBe(before);
  });

  it('larger random convs than the conformance defaults (fast-check, every method)', async () => {
    const arb = conv2dSpecArb({ maxBatch: 2, maxGroups: 2, maxChannelsPerGroup: 12, maxKernel: 5, maxExtraSpatial: 12 });
    await fc.assert(
      fc.asyncProperty(arb, dataSeedArb, fc.boolean(), async (s, seed, ints) => {
        for (const m of convMethodsFor(s)) await expectMatchesReference(backend!, s, m, ints ? 'small-int' : 'float', seed);
      }),
      fcParams('webgpu larger convs', {}, 6),
    );
  });
});
