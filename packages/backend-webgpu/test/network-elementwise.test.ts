import { createCpuBackend } from '@convroute/backend-cpu';
import { binaryBound, fcParams, hardsigmoidBound, hardswishBound, pieceLinearBound, propertySeed, runSeed, sigmoidBound } from '@convroute/conformance';
import {
  addSpec,
  clipSpec,
  divSpec,
  hardsigmoidSpec,
  hardswishSpec,
  identitySpec,
  leakyreluSpec,
  mulSpec,
  type OpSpec,
  reluSpec,
  type Shape,
  sigmoidSpec,
  subSpec,
  Tensor,
} from '@convroute/core';
import * as fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { WebGpuBackend } from '../src/index.ts';
import { gpuBackendOrSkip } from './gpu.ts';
import { broadcastAt, expectWithinBound, tensor } from './network-reference.ts';

const gpu = await gpuBackendOrSkip();
// Three workgroups per dispatch and dimension: the flat grids split along x as a huge tensor's would.
const split = gpu && (await gpuBackendOrSkip({ device: gpu.acquired!.device, maxWorkgroupsPerDimension: 3 }));
const cpu = createCpuBackend({ mode: 'exact' });
afterAll(() => {
  split?.dispose();
  gpu?.dispose();
});

const BINARY = { add: addSpec, sub: subSpec, mul: mulSpec, div: divSpec } as const;
type BinaryOp = keyof typeof BINARY;
/** The CPU's documented distance to the real result for sigmoid and hardswish, in ulps
 * (docs/semantics.md: hardswish rounded once, sigmoid within ulp/2 + 2^-51 |sigma|, < 0.51 ulp). */
const CPU_TRANSCENDENTAL_ULPS = 0.51;

/** Extents up to 4 per axis, rank 0 to 6, and a broadcast partner: each axis kept or set to 1,
 * leading axes dropped, either side first. */
const broadcastPairArb = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 6 })
  .chain((a) =>
    fc.tuple(fc.constant(a), fc.array(fc.boolean(), { minLength: a.length, maxLength: a.length }), fc.integer({ min: 0, max: a.length }), fc.boolean()),
  )
  .map(([a, ones, drop, swap]): [Shape, Shape] => {
    const b = a.map((d, k) => (ones[k] ? 1 : d)).slice(drop);
    return swap ? [b, a] : [a, b];
  });

async function checkBinary(backend: WebGpuBackend, op: BinaryOp, a: Tensor, b: Tensor) {
  const spec = BINARY[op]({ a: a.shape, b: b.shape });
  const out = spec.output;
  const o = { op, spec } as OpSpec;
  const bound = (i: number, ref: number) => binaryBound(op, broadcastAt(a, out, i), broadcastAt(b, out, i), ref);
  return expectWithinBound(backend, cpu, o, [a, b], bound, `${op} [${a.shape}] [${b.shape}]`);
}

describe.skipIf(!gpu)('webgpu binary elementwise (broadcast strides from the host)', () => {
  it('add/sub/mul bitwise the exact CPU result, div within its bound: random shapes, broadcasts and specials', async () => {
    await fc.assert(
      fc.asyncProperty(broadcastPairArb, fc.constantFrom<BinaryOp>('add', 'sub', 'mul', 'div'), fc.nat(10_000), async ([sa, sb], op, seed) => {
        await checkBinary(gpu!, op, tensor(sa, seed, { specials: true }), tensor(sb, seed + 1, { specials: true }));
      }),
      fcParams('webgpu binary ops', { seed: propertySeed(runSeed(), 'webgpu binary ops') }, 40),
    );
  });

  it('subnormal operands and results: within the flush allowance', async () => {
    for (const op of ['add', 'sub', 'mul', 'div'] as const) {
      await checkBinary(gpu!, op, tensor([5, 7], 11, { subnormals: true }), tensor([5, 7], 12, { subnormals: true, maxExponent: 60 }));
    }
  });

  it('div by divisors above 2^126 (scaled into the range WGSL bounds) and near overflow', async () => {
    const a = Tensor.fromData(new Float32Array([1, -3e38, 2 ** 127, 7, 0, -1e-30, 3.4e38, 1]), [8]);
    const b = Tensor.fromData(new Float32Array([2 ** 127, 2 ** 126 * 1.5, -3e38, 3.4e38, 2 ** 127, 2 ** 127, 0.5, 3]), [8]);
    const { y } = await checkBinary(gpu!, 'div', a, b);
    expect(y.data[6]).toBe(Number.POSITIVE_INFINITY);
  });

  it('the broadcast and same-shape kernels both run, and a grid split along x gives the same answer', async () => {
    await checkBinary(split!, 'mul', tensor([3, 70], 1), tensor([70], 2)); // 210 elements: 4 workgroups, split 3 + 1
    await checkBinary(split!, 'sub', tensor([1000], 3), tensor([1000], 4)); // 16 workgroups in chunks of 3
    const keys = split!.runtime.pipelineKeys();
    expect(keys).toContain('binary:mul:bcast2');
    expect(keys).toContain('binary:sub:same');
  });

  it('a broadcast of rank 8 whose axes merge runs; one that needs 7 axes of index math is UNSUPPORTED_METHOD', async () => {
    await checkBinary(gpu!, 'add', tensor([2, 2, 2, 2, 2, 2, 2, 2], 5), tensor([2, 2, 2, 2, 2, 2, 2, 2], 6));
    // Alternating broadcast axes never merge: 8 axes of index math.
    const spec = addSpec({ a: [2, 1, 2, 1, 2, 1, 2, 2], b: [1, 2, 1, 2, 1, 2, 1, 2] });
    expect(gpu!.methodsFor({ op: 'add', spec })).toEqual([]);
    await expect(gpu!.run({ op: 'add', spec }, 'add', [tensor(spec.a, 7), tensor(spec.b, 8)])).rejects.toMatchObject({ code: 'UNSUPPORTED_METHOD' });
  });
});

const UNARY = ['relu', 'sigmoid', 'hardsigmoid', 'hardswish', 'leakyrelu', 'clip', 'identity'] as const;
type UnaryOp = (typeof UNARY)[number];

function unaryOp(op: UnaryOp, input: Shape, alpha: number, beta: number): OpSpec {
  switch (op) {
    case 'hardsigmoid':
      return { op, spec: hardsigmoidSpec({ input, alpha, beta }) };
    case 'leakyrelu':
      return { op, spec: leakyreluSpec({ input, alpha }) };
    case 'clip':
      return { op, spec: clipSpec({ input, min: Math.min(alpha, beta), max: Math.max(alpha, beta) }) };
    case 'relu':
      return { op, spec: reluSpec({ input }) };
    case 'sigmoid':
      return { op, spec: sigmoidSpec({ input }) };
    case 'hardswish':
      return { op, spec: hardswishSpec({ input }) };
    case 'identity':
      return { op, spec: identitySpec({ input }) };
  }
}

function unaryBound(o: OpSpec, x: number, ref: number): number {
  switch (o.op) {
    case 'sigmoid':
      return sigmoidBound(x, ref, CPU_TRANSCENDENTAL_ULPS);
    case 'hardswish':
      return hardswishBound(x, ref, CPU_TRANSCENDENTAL_ULPS);
    case 'hardsigmoid':
      return hardsigmoidBound(x, o.spec.alpha, o.spec.beta, ref, 0.5);
    case 'identity':
      return 0;
    default:
      return pieceLinearBound(x, ref);
  }
}

async function checkUnary(backend: WebGpuBackend, o: OpSpec, x: Tensor) {
  return expectWithinBound(backend, cpu, o, [x], (i, ref) => unaryBound(o, x.data[i], ref), `${o.op} [${x.shape}]`);
}

describe.skipIf(!gpu)('webgpu unary elementwise', () => {
  it('every unary op within its bound (bitwise where WGSL rounds correctly): random shapes, attributes, specials', async () => {
    const attr = fc.oneof(fc.double({ min: -4, max: 4, noNaN: true }), fc.constantFrom(0, 0.2, 0.5, 1 / 6, 6));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...UNARY),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
        attr,
        attr,
        fc.nat(10_000),
        fc.boolean(),
        async (op, shape, alpha, beta, seed, wide) => {
          await checkUnary(gpu!, unaryOp(op, shape, alpha, beta), tensor(shape, seed, { specials: true, maxExponent: wide ? 20 : 4 }));
        },
      ),
      fcParams('webgpu unary ops', { seed: propertySeed(runSeed(), 'webgpu unary ops') }, 50),
    );
  });

  it('sigmoid over its whole range: exp arguments to -104, the underflow and the saturation', async () => {
    const xs = Float32Array.from({ length: 421 }, (_, i) => -105 + i * 0.5);
    await checkUnary(split!, unaryOp('sigmoid', [421], 0, 0), Tensor.fromData(xs, [421]));
  });

  it('hardswish and hardsigmoid at their kinks, clip with infinite and equal bounds, relu and leakyrelu on -0 and NaN', async () => {
    const xs = Tensor.fromData(
      new Float32Array([-3, 3, -2.5, 2.5, -0, 0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-40, -1e-40, 6]),
      [12],
    );
    for (const op of UNARY) await checkUnary(gpu!, unaryOp(op, [12], 0.2, 0.5), xs);
    await checkUnary(gpu!, { op: 'clip', spec: clipSpec({ input: [12], min: Number.NEGATIVE_INFINITY, max: 6 }) }, xs);
    await checkUnary(gpu!, { op: 'clip', spec: clipSpec({ input: [12], min: 1, max: 1 }) }, xs);
    await checkUnary(gpu!, { op: 'clip', spec: clipSpec({ input: [12] }) }, xs);
  });
});
