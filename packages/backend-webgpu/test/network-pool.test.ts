import { createCpuBackend } from '@convroute/backend-cpu';
import { batchnormBound, errorBound, fcParams, propertySeed, runSeed, scaledGemmBound, softmaxRowBounds } from '@convroute/conformance';
import {
  averagepoolSpec,
  batchnormalizationSpec,
  gemmSpec,
  globalaveragepoolSpec,
  matmulSpec,
  maxpoolSpec,
  type OpSpec,
  reducemeanSpec,
  type Shape,
  shapeSize,
  softmaxSpec,
  Tensor,
} from '@convroute/core';
import * as fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { gpuBackendOrSkip } from './gpu.ts';
import { absTensor, broadcastAt, expectFamilyConforms, expectWithinBound, reference, tensor } from './network-reference.ts';

const gpu = await gpuBackendOrSkip();
// Three workgroups per dispatch and dimension: grids split along x as a huge tensor's would.
const split = gpu && (await gpuBackendOrSkip({ device: gpu.acquired!.device, maxWorkgroupsPerDimension: 3 }));
const cpu = createCpuBackend({ mode: 'exact' });
afterAll(() => {
  split?.dispose();
  gpu?.dispose();
});

/** The CPU's documented distance to the real result for softmax (docs/semantics.md: ulp/2 plus
 * (n + 3 + |x_i - max|) 2^-52 relative, below 0.01 ulp for the rows here), in ulps. */
const CPU_SOFTMAX_ULPS = 0.51;
/** The CPU's step-rounded batchnorm (docs/semantics.md) is within 2.25 ulp of the real q * scale:
 * x - mean, var + eps, sqrt, the division and the product each rounded (u, u/2, u, u, u). */
const CPU_BATCHNORM_QS_ULPS = 2.25;

const poolArb = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    c: fc.integer({ min: 1, max: 3 }),
    h: fc.integer({ min: 1, max: 9 }),
    w: fc.integer({ min: 1, max: 9 }),
    kernel: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
    stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    padding: fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)),
    ceilMode: fc.boolean(),
    countIncludePad: fc.boolean(),
  })
  .map((r) => ({ ...r, padding: r.padding.map((p, k) => Math.min(p, r.kernel[k % 2] - 1)) as [number, number, number, number] }));

type PoolCase = typeof poolArb extends fc.Arbitrary<infer T> ? T : never;

function poolOps(r: PoolCase): OpSpec[] | null {
  const input: Shape = [r.n, r.c, r.h, r.w];
  const base = { input, kernel: r.kernel, stride: r.stride, dilation: r.dilation, padding: r.padding, ceilMode: r.ceilMode };
  try {
    return [
      { op: 'maxpool', spec: maxpoolSpec(base) },
      { op: 'averagepool', spec: averagepoolSpec({ ...base, countIncludePad: r.countIncludePad }) },
    ];
  } catch {
    return null; // a window larger than the padded input: the spec refuses it (core's tests)
  }
}

/** A mean kernel under the conformance model of means (the reciprocal multiply meets it). */
function checkMean(o: OpSpec, x: Tensor, label: string, backend = gpu!) {
  return expectFamilyConforms(backend, o, [x], label);
}

describe.skipIf(!gpu)('webgpu pooling and means', () => {
  it('maxpool bitwise, averagepool within the mean bound: kernel, stride, dilation, 4-sided padding, ceil mode, count_include_pad', async () => {
    await fc.assert(
      fc.asyncProperty(poolArb, fc.nat(10_000), async (r, seed) => {
        const ops = poolOps(r);
        if (!ops) return;
        const x = tensor([r.n, r.c, r.h, r.w], seed, { specials: seed % 3 === 0 });
        await expectFamilyConforms(gpu!, ops[0], [x], `maxpool ${JSON.stringify(r)}`);
        await checkMean(ops[1], x, `averagepool ${JSON.stringify(r)}`);
      }),
      fcParams('webgpu pooling', { seed: propertySeed(runSeed(), 'webgpu pooling') }, 40),
    );
  });

  it('globalaveragepool and reducemean over any axes, keepdims or not', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 5 }).chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.subarray(
              s.map((_, d) => d),
              { minLength: 1 },
            ),
            fc.boolean(),
          ),
        ),
        fc.nat(10_000),
        async ([input, axes, keepdims], seed) => {
          const x = tensor(input, seed, { specials: seed % 4 === 0 });
          await checkMean({ op: 'reducemean', spec: reducemeanSpec({ input, axes, keepdims }) }, x, `reducemean [${input}] axes [${axes}]`);
          if (input.length >= 3) {
            await checkMean({ op: 'globalaveragepool', spec: globalaveragepoolSpec({ input }) }, x, `globalaveragepool [${input}]`);
          }
        },
      ),
      fcParams('webgpu means', { seed: propertySeed(runSeed(), 'webgpu means') }, 30),
    );
  });

  it('maxpool keeps a NaN tap: found with seed 1251566669 (lavapipe folds v != v to false; the kernel tests the bits)', async () => {
    const x = Tensor.fromData(new Float32Array([1, Number.NaN, -2, Number.NEGATIVE_INFINITY, 3, Number.NaN, 0, 5, -1]), [1, 1, 3, 3]);
    for (const kernel of [1, 2] as const) {
      const { y } = await expectWithinBound(
        gpu!,
        cpu,
        { op: 'maxpool', spec: maxpoolSpec({ input: x.shape, kernel }) },
        [x],
        () => 0,
        `maxpool ${kernel}x${kernel} NaN`,
      );
      expect(Number.isNaN(y.data[1])).toBe(true);
    }
  });

  it('globalaveragepool over a 56x56 plane (a long sum) and averagepool windows wholly in the padding', async () => {
    const x = tensor([1, 2, 56, 56], 5);
    await checkMean({ op: 'globalaveragepool', spec: globalaveragepoolSpec({ input: x.shape }) }, x, 'globalaveragepool 56x56');
    const pad = { input: [1, 1, 2, 2], kernel: [3, 3], stride: 3, padding: [2, 2, 2, 2], ceilMode: true } as const;
    const y = tensor([1, 1, 2, 2], 6);
    await checkMean({ op: 'averagepool', spec: averagepoolSpec({ ...pad, countIncludePad: true }) }, y, 'averagepool include pad');
    await expectWithinBound(gpu!, cpu, { op: 'maxpool', spec: maxpoolSpec(pad) }, [y], () => 0, 'maxpool edge windows');
  });
});

describe.skipIf(!gpu)('webgpu batchnormalization and softmax', () => {
  it('batchnormalization within its bound: ranks 2 to 5, random statistics, epsilon', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 5 }),
        fc.constantFrom(0, 1e-5, 1e-3),
        fc.nat(10_000),
        async (input, epsilon, seed) => {
          const o: OpSpec = { op: 'batchnormalization', spec: batchnormalizationSpec({ input, epsilon }) };
          const c = input[1];
          const x = tensor(input, seed, { maxExponent: 8 });
          const scale = tensor([c], seed + 1, { maxExponent: 4 });
          const bias = tensor([c], seed + 2, { maxExponent: 4 });
          const mean = tensor([c], seed + 3, { maxExponent: 4 });
          const v = Tensor.fromData(
            tensor([c], seed + 4, { maxExponent: 4 }).data.map((t) => Math.abs(t) + (seed % 2 ? 0 : 0.25)),
            [c],
          );
          const inner = shapeSize(input.slice(2));
          const qs = (i: number) => {
            const ch = Math.floor(i / inner) % c;
            return Math.abs(((x.data[i] - mean.data[ch]) / Math.sqrt(v.data[ch] + o.spec.epsilon)) * scale.data[ch]);
          };
          await expectWithinBound(
            gpu!,
            cpu,
            o,
            [x, scale, bias, mean, v],
            (i, ref) => batchnormBound(qs(i), ref, 0.5, CPU_BATCHNORM_QS_ULPS),
            `batchnorm [${input}] eps ${epsilon}`,
          );
        },
      ),
      fcParams('webgpu batchnorm', { seed: propertySeed(runSeed(), 'webgpu batchnorm') }, 25),
    );
  });

  it('softmax along every axis within its bound: rows longer than the workgroup, wide ranges, NaN and inf rows', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }).chain((s) => fc.tuple(fc.constant(s), fc.nat(s.length - 1))),
        fc.integer({ min: 1, max: 150 }),
        fc.nat(10_000),
        async ([base, axis], len, seed) => {
          const input = base.map((d, k) => (k === axis ? len : d));
          const o: OpSpec = { op: 'softmax', spec: softmaxSpec({ input, axis }) };
          const x = tensor(input, seed, { maxExponent: 6, specials: seed % 5 === 0 });
          const ref = await reference(cpu, o, [x]);
          const bounds = softmaxBounds(input, axis, x.data, ref.data);
          await expectWithinBound(gpu!, cpu, o, [x], (i) => bounds[i], `softmax [${input}] axis ${axis}`);
        },
      ),
      fcParams('webgpu softmax', { seed: propertySeed(runSeed(), 'webgpu softmax') }, 30),
    );
  });
});

describe.skipIf(!gpu)('webgpu softmax on special rows', () => {
  it('a -inf term is exactly 0, a NaN or +inf makes the row NaN (seed 2063324245 found the bound undefined there)', async () => {
    const inf = Number.POSITIVE_INFINITY;
    const x = Tensor.fromData(new Float32Array([0, -inf, 1, 2, Number.NaN, 1, 3, inf, 1, -inf, -inf, 4]), [4, 3]);
    const o: OpSpec = { op: 'softmax', spec: softmaxSpec({ input: x.shape, axis: 1 }) };
    const ref = await reference(cpu, o, [x]);
    const bounds = softmaxBounds(x.shape, 1, x.data, ref.data);
    const { y } = await expectWithinBound(gpu!, cpu, o, [x], (i) => bounds[i], 'softmax special rows');
    expect(y.data[1]).toBe(0);
    expect([3, 4, 5, 6, 7, 8].every((i) => Number.isNaN(y.data[i]))).toBe(true);
  });
});

describe.skipIf(!gpu)('webgpu softmax, pooling and means on grids split along x', () => {
  it('10 softmax rows (10 workgroups), 750 max-pooled outputs and 60 means over 3-workgroup chunks', async () => {
    const x = tensor([2, 5, 6, 7], 77);
    const sm: OpSpec = { op: 'softmax', spec: softmaxSpec({ input: [10, 21], axis: 1 }) };
    const xs = tensor([10, 21], 78);
    const ref = await reference(cpu, sm, [xs]);
    const bounds = softmaxBounds([10, 21], 1, xs.data, ref.data);
    await expectWithinBound(split!, cpu, sm, [xs], (i) => bounds[i], 'softmax split');
    const mp: OpSpec = { op: 'maxpool', spec: maxpoolSpec({ input: [5, 6, 6, 6], kernel: [2, 2], stride: 1 }) };
    await expectWithinBound(split!, cpu, mp, [tensor([5, 6, 6, 6], 79)], () => 0, 'maxpool split');
    await checkMean({ op: 'reducemean', spec: reducemeanSpec({ input: x.shape, axes: [3] }) }, x, 'reducemean split', split!);
  });
});

/** softmaxRowBounds per row of `shape` along `axis`, scattered back to element order. */
function softmaxBounds(shape: Shape, axis: number, x: Float32Array, ref: Float32Array): Float64Array {
  const len = shape[axis];
  const inner = shapeSize(shape.slice(axis + 1));
  const out = new Float64Array(x.length);
  for (let o = 0; o < shapeSize(shape.slice(0, axis)); o++) {
    for (let j = 0; j < inner; j++) {
      const idx = Array.from({ length: len }, (_, l) => o * len * inner + l * inner + j);
      const b = softmaxRowBounds(
        idx.map((k) => x[k]),
        idx.map((k) => ref[k]),
        CPU_SOFTMAX_ULPS,
      );
      idx.forEach((k, l) => {
        out[k] = b[l];
      });
    }
  }
  return out;
}

describe.skipIf(!gpu)('webgpu matmul (the GEMM kernels, batched)', () => {
  it('within the reordering bound: rank-1 operands, batch broadcast on either side or both', async () => {
    const cases: [Shape, Shape][] = [
      [[5], [5, 3]],
      [[4, 6], [6]],
      [[7], [7]],
      [
        [3, 4, 6],
        [6, 8],
      ],
      [
        [4, 6],
        [2, 6, 5],
      ],
      [
        [2, 1, 3, 9],
        [1, 3, 9, 4],
      ], // both broadcast: one launch per output matrix
      [
        [2, 3, 5, 8],
        [2, 3, 8, 12],
      ],
      [
        [1, 33, 40],
        [40, 17],
      ],
    ];
    for (const [a, b] of cases) {
      const o: OpSpec = { op: 'matmul', spec: matmulSpec({ a, b }) };
      const xs = [tensor(a, a.length * 7 + 1), tensor(b, b.length * 5 + 2)];
      const abs = await reference(cpu, o, xs.map(absTensor));
      const k = o.spec.k;
      await expectWithinBound(gpu!, cpu, o, xs, (i, ref) => errorBound(k, abs.data[i] * (1 + 2 ** -23), ref), `matmul [${a}] x [${b}]`);
    }
  });
});

describe.skipIf(!gpu)('webgpu gemm with alpha, beta and a broadcast bias (the GEMM, then one scaling pass)', () => {
  it('within the scaled-GEMM bound: every bias shape ONNX allows, transposes, batch, activations', async () => {
    const [m, n, k] = [5, 6, 7];
    const biasShapes: (Shape | null)[] = [null, [], [n], [1, n], [m, 1], [m, n], [1, 1]];
    let run = 0;
    for (const biasShape of biasShapes) {
      for (const [alpha, beta, transA, transB, batched, act] of [
        [0.5, 1, false, false, false, 'none'],
        [1, -2, true, false, false, 'relu'],
        [-1.25, 0.75, false, true, true, 'none'],
        [3, 0, true, true, false, 'relu'],
        [2, 0.5, false, false, true, { kind: 'clamp', min: -1, max: 2 }],
      ] as const) {
        run++;
        const a = batched ? [2, transA ? k : m, transA ? m : k] : [transA ? k : m, transA ? m : k];
        const b = batched ? [2, transB ? n : k, transB ? k : n] : [transB ? n : k, transB ? k : n];
        const spec = gemmSpec({ a, b, transA, transB, alpha, beta, activation: act, ...(biasShape ? { biasShape } : {}) });
        const o: OpSpec = { op: 'gemm', spec };
        const xs = [tensor(a, run), tensor(b, run + 100), ...(biasShape ? [tensor(biasShape, run + 200)] : [])];
        const absSum = await reference(cpu, { op: 'gemm', spec: gemmSpec({ a, b, transA, transB }) }, xs.slice(0, 2).map(absTensor));
        const c = xs[2];
        const betaC = (i: number) => (c && biasShape ? beta * broadcastAt(c, [m, n], i % (m * n)) : 0);
        const label = `gemm alpha ${alpha} beta ${beta} bias [${biasShape}] tA ${transA} tB ${transB} batch ${batched} ${JSON.stringify(act)}`;
        await expectWithinBound(gpu!, cpu, o, xs, (i, ref) => scaledGemmBound(k, absSum.data[i] * (1 + 2 ** -23), alpha, betaC(i), ref), label);
      }
    }
    expect(gpu!.runtime.pipelineKeys().filter((key) => key.startsWith('gemm-epilogue:'))).toEqual(
      expect.arrayContaining([
        'gemm-epilogue:bias:none',
        'gemm-epilogue:bias:relu',
        'gemm-epilogue:bias:clamp(-1,2)',
        'gemm-epilogue:nobias:none',
        'gemm-epilogue:nobias:relu',
        'gemm-epilogue:nobias:clamp(-1,2)',
      ]),
    );
  });
});
