import { compareWithBound, conv2dInputs, f16ErrorModel, f16Operands, referenceConv2d } from '@convroute/conformance';
import {
  type Activation,
  type Conv2dSpecInit,
  conv2dReductionLength,
  conv2dSpec,
  F16_CONV_METHODS,
  gemmSpec,
  type Method,
  type Precision,
  Tensor,
} from '@convroute/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { WebGpuBackend } from '../src/index.ts';
import { gpuBackendOrSkip } from './gpu.ts';

// Issue 14, fp16: every generated f16 kernel variant (GEMM with and without a row bias, im2col
// gathers, direct; each activation; both f16 precisions; the row-tiled im2col-gemm and the
// x-split grid) runs on lavapipe and is held to the fp16 bound (docs/error-model.md, "fp16").
const first = await gpuBackendOrSkip();
const hasF16 = first?.acquired?.features.includes('shader-f16') ?? false;
const backends = new Map<string, WebGpuBackend>();
async function backendFor(precision: Precision, extra: { im2colBudgetBytes?: number; maxWorkgroupsPerDimension?: number } = {}): Promise<WebGpuBackend> {
  const key = `${precision}:${JSON.stringify(extra)}`;
  let b = backends.get(key);
  if (!b) {
    b = (await gpuBackendOrSkip({ device: first!.acquired!.device, ownDevice: false, precision, ...extra }))!;
    backends.set(key, b);
  }
  return b;
}
afterAll(() => {
  for (const b of backends.values()) b.dispose();
  first?.dispose();
});

const ACTIVATIONS: Activation[] = [{ kind: 'none' }, { kind: 'relu' }, { kind: 'clamp', min: -0.75, max: 1.5 }];

/** Runs and compares under the fp16 model; returns the comparison. */
async function runF16(be: WebGpuBackend, init: Conv2dSpecInit, method: Method, seed: number, inputs?: Tensor[]) {
  const spec = conv2dSpec(init);
  const xs = inputs ?? conv2dInputs(spec, 'float', seed, 8, 4);
  const ref = await referenceConv2d(spec, xs);
  const y = await be.run({ op: 'conv2d', spec }, method, xs);
  const model = f16ErrorModel(be.precision as Exclude<Precision, 'f32'>, f16Operands(xs));
  return compareWithBound(y, ref.y, ref.abs, conv2dReductionLength(spec), { shape: y.shape, label: `webgpu ${method} ${be.precision}`, model });
}

const CASES: { method: Method; init: Conv2dSpecInit }[] = [
  { method: 'direct', init: { input: [2, 6, 7, 9], weight: [10, 3, 3, 3], padding: 1, groups: 2 } },
  { method: 'pointwise', init: { input: [1, 12, 5, 8], weight: [9, 12, 1, 1] } },
  { method: 'pointwise', init: { input: [2, 5, 7, 6], weight: [6, 5, 1, 1], stride: 2, padding: [1, 0, 0, 1] } },
  { method: 'im2col-gemm', init: { input: [1, 4, 9, 7], weight: [8, 4, 3, 3], stride: [2, 1], padding: 1, dilation: [1, 2] } },
];

describe.skipIf(!hasF16)('webgpu f16 kernels on lavapipe', () => {
  for (const precision of ['f16-storage', 'f16'] as const) {
    for (const { method, init } of CASES) {
      // Each activation once, each with and without bias: the variants the generators emit.
      for (const [bias, activation] of [
        [false, ACTIVATIONS[0]],
        [true, ACTIVATIONS[0]],
        [true, ACTIVATIONS[1]],
        [false, ACTIVATIONS[2]],
      ] as const) {
        it(`${precision} ${method} ${JSON.stringify(init)} bias ${bias} ${activation.kind}`, async () => {
          const be = await backendFor(precision);
          const r = await runF16(be, { ...init, bias, activation }, method, 7);
          expect(r.ok, r.message).toBe(true);
          expect(r.overflow).toBe(0);
        });
      }
    }
    it(`${precision} im2col-gemm tiled by output rows (small scratch budget)`, async () => {
      const be = await backendFor(precision, { im2colBudgetBytes: 4096 });
      const r = await runF16(be, { input: [2, 6, 12, 10], weight: [8, 3, 3, 3], padding: 1, groups: 2, bias: true }, 'im2col-gemm', 3);
      expect(r.ok, r.message).toBe(true);
      expect(be.runtime.pipelineKeys().filter((k) => k.endsWith(`:p-${precision}`)).length).toBeGreaterThan(0);
    });
    it(`${precision} GEMM with its grid split along x`, async () => {
      const be = await backendFor(precision, { maxWorkgroupsPerDimension: 2 });
      const r = await runF16(be, { input: [1, 8, 9, 11], weight: [4, 8, 1, 1], bias: true, activation: 'relu' }, 'pointwise', 5);
      expect(r.ok, r.message).toBe(true);
      expect(be.runtime.pipelineKeys().some((k) => k.startsWith('gemm:') && k.includes(':sx:') && k.endsWith(`:p-${precision}`))).toBe(true);
    });
  }

  it('every f16 pipeline the tests built enables f16 and names its precision', async () => {
    const keys = [...backends.values()].flatMap((b) => b.runtime.pipelineKeys());
    for (const p of ['f16-storage', 'f16']) {
      for (const kind of ['gemm:', 'im2col:', 'direct:'])
        expect(
          keys.some((k) => k.startsWith(kind) && k.endsWith(`:p-${p}`)),
          `${kind} ${p}`,
        ).toBe(true);
      for (const bias of ['bias-none', 'bias-row'])
        expect(
          keys.some((k) => k.includes(bias) && k.endsWith(`:p-${p}`)),
          `${bias} ${p}`,
        ).toBe(true);
    }
  });

  it('f16-storage sums small integers exactly (stored exactly in f16, products and sums in f32): bitwise', async () => {
    const be = await backendFor('f16-storage');
    for (const method of F16_CONV_METHODS) {
      const init =
        method === 'pointwise' ? { input: [1, 7, 6, 5], weight: [5, 7, 1, 1], bias: true } : { input: [1, 3, 6, 5], weight: [5, 3, 3, 3], bias: true };
      const spec = conv2dSpec(init);
      const xs = conv2dInputs(spec, 'small-int', 11);
      const ref = await referenceConv2d(spec, xs);
      const y = await be.run({ op: 'conv2d', spec }, method, xs);
      expect(Array.from(y.data)).toEqual(Array.from(ref.y.data));
    }
  });

  it('f16 rounds a product sum the f32 reference keeps: 2049 is not an f16 value', async () => {
    // 2048 + 1 = 2049 needs 12 significant bits; f16 has 11, so f16 arithmetic gives 2048 (ties
    // to even) while f16-storage (f32 sums) gives 2049: the two variants really differ.
    const spec = conv2dSpec({ input: [1, 2, 1, 1], weight: [1, 2, 1, 1] });
    const xs = [Tensor.fromData(new Float32Array([2048, 1]), [1, 2, 1, 1]), Tensor.fromData(new Float32Array([1, 1]), [1, 2, 1, 1])];
    // And 1 + 2^-12 is stored as 1 by both f16 precisions: the storage really is f16.
    const near1 = [Tensor.fromData(new Float32Array([1 + 2 ** -12, 0]), [1, 2, 1, 1]), xs[1]];
    for (const method of F16_CONV_METHODS) {
      expect((await (await backendFor('f16-storage')).run({ op: 'conv2d', spec }, method, xs)).data[0]).toBe(2049);
      expect((await (await backendFor('f16')).run({ op: 'conv2d', spec }, method, xs)).data[0]).toBe(2048);
      for (const p of ['f16-storage', 'f16'] as const) expect((await (await backendFor(p)).run({ op: 'conv2d', spec }, method, near1)).data[0]).toBe(1);
    }
  });

  it('an f16 sum past 65504 comes out +Infinity and the checker reports it as overflow, not a bound violation', async () => {
    const spec = conv2dSpec({ input: [1, 4, 1, 1], weight: [1, 4, 1, 1] });
    const xs = [Tensor.fromData(new Float32Array([200, 200, 200, 200]), [1, 4, 1, 1]), Tensor.fromData(new Float32Array([100, 100, 100, 100]), [1, 4, 1, 1])];
    const r = await runF16(await backendFor('f16'), { input: [1, 4, 1, 1], weight: [1, 4, 1, 1] }, 'direct', 0, xs);
    expect(r.ok, r.message).toBe(true);
    expect(r.overflow).toBe(1);
    expect(r.overflowInfinite).toBe(1);
    expect(r.message).toMatch(/1 may overflow f16 \(1 came out \+-Infinity\)/);
    // f16-storage sums in f32: 80000 is no overflow there, and the bound holds.
    const s = await runF16(await backendFor('f16-storage'), { input: [1, 4, 1, 1], weight: [1, 4, 1, 1] }, 'direct', 0, xs);
    expect(s.ok, s.message).toBe(true);
    expect(s.overflow).toBe(0);
    expect((await (await backendFor('f16-storage')).run({ op: 'conv2d', spec }, 'direct', xs)).data[0]).toBe(80000);
  });

  it('the methods without f16 kernels, and the other ops, are UNSUPPORTED_METHOD naming the precision', async () => {
    const be = await backendFor('f16');
    const spec = conv2dSpec({ input: [1, 4, 5, 5], weight: [4, 1, 3, 3], groups: 4 });
    const xs = conv2dInputs(spec, 'float', 1);
    expect(be.methodsFor({ op: 'conv2d', spec })).toEqual(['direct', 'im2col-gemm']);
    for (const m of ['depthwise', 'implicit-gemm'] as const) {
      await expect(be.run({ op: 'conv2d', spec }, m, xs)).rejects.toThrow(
        new RegExp(`UNSUPPORTED_METHOD: method = "${m}": precision f16 runs conv2d with direct, pointwise, im2col-gemm only`),
      );
    }
    const t = conv2dSpec({ input: [1, 2, 3, 3], weight: [2, 3, 2, 2], transposed: true });
    await expect(be.run({ op: 'conv2d', spec: t }, 'transposed', conv2dInputs(t, 'float', 1))).rejects.toThrow(/UNSUPPORTED_METHOD.*precision f16/);
    const g = { op: 'gemm' as const, spec: gemmSpec({ a: [2, 3], b: [3, 4] }) };
    expect(be.methodsFor(g)).toEqual([]);
    await expect(be.run(g, 'gemm', [Tensor.zeros([2, 3]), Tensor.zeros([3, 4])])).rejects.toThrow(/UNSUPPORTED_METHOD: method = "gemm": precision f16/);
  });
});
