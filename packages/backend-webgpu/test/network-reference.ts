import { comparePoolShapeResize, compareWithElementBounds } from '@convroute/conformance';
import { type Backend, type OpSpec, type Shape, seededRandom, shapeSize, Tensor } from '@convroute/core';
import { expect } from 'vitest';
import type { WebGpuBackend } from '../src/index.ts';

export interface NetDataOptions {
  /** NaN, +-inf and -0, a few percent each. */
  specials?: boolean;
  /** Subnormal values (the WGSL bounds allow them to flush). */
  subnormals?: boolean;
  /** Largest binary exponent of the wide-range values (default 20). */
  maxExponent?: number;
}

/** Seeded float32 data: mostly uniform in [-1, 1], wide-range values, zeros, small integers. */
export function netData(n: number, seed: number, o: NetDataOptions = {}): Float32Array {
  const rnd = seededRandom(seed);
  const maxExp = o.maxExponent ?? 20;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rnd();
    if (o.specials && r < 0.08) out[i] = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0][Math.floor(rnd() * 4)];
    else if (o.subnormals && r < 0.14) out[i] = (rnd() < 0.5 ? -1 : 1) * Math.floor(1 + rnd() * (2 ** 23 - 1)) * 2 ** -149;
    else if (r < 0.6) out[i] = rnd() * 2 - 1;
    else if (r < 0.85) out[i] = (rnd() < 0.5 ? -1 : 1) * (1 + rnd()) * 2 ** (Math.floor(rnd() * (2 * maxExp + 1)) - maxExp);
    else if (r < 0.93) out[i] = 0;
    else out[i] = Math.floor(rnd() * 17) - 8;
  }
  return out;
}

export const tensor = (shape: Shape, seed: number, o?: NetDataOptions) => Tensor.fromData(netData(shapeSize(shape), seed, o), shape);

/** |t|, element by element (for the A of a bound: the op run on magnitudes). */
export const absTensor = (t: Tensor) => Tensor.fromData(t.data.map(Math.abs), t.shape);

/** The exact CPU backend's result (every network op has one). */
export function reference(cpu: Backend, op: OpSpec, inputs: readonly Tensor[]): Promise<Tensor> {
  return cpu.run(op, op.op as never, inputs);
}

/**
 * Runs `op` on WebGPU and on the exact CPU backend and holds every element to `bound(i, ref)`
 * (0: bitwise; conformance's wgsl-op-bounds.ts). Returns the two outputs.
 */
export async function expectWithinBound(
  gpu: WebGpuBackend,
  cpu: Backend,
  op: OpSpec,
  inputs: readonly Tensor[],
  bound: (i: number, ref: number) => number,
  label: string,
): Promise<{ y: Tensor; ref: Tensor }> {
  const y = await gpu.run(op, op.op as never, inputs);
  const ref = await reference(cpu, op, inputs);
  expect(y.shape).toEqual(ref.shape);
  const r = compareWithElementBounds(y.data, ref.data, (i) => bound(i, ref.data[i]), `webgpu ${label}`);
  expect(r.ok, r.message).toBe(true);
  return { y, ref };
}

/** The element of `t` that output index `i` of a broadcast to `out` reads (NumPy rules). */
export function broadcastAt(t: Tensor, out: readonly number[], i: number): number {
  let rem = i;
  let off = 0;
  let stride = 1;
  for (let d = out.length - 1; d >= 0; d--) {
    const c = rem % out[d];
    rem = Math.floor(rem / out[d]);
    const k = d - (out.length - t.shape.length);
    if (k >= 0) {
      if (t.shape[k] !== 1) off += c * stride;
      stride *= t.shape[k];
    }
  }
  return t.data[off];
}

/** Pooling, means and resize judged by the conformance model of that family (docs/error-model.md,
 * "Pooling, reductions and resize": copies bitwise, means and linear resize within gamma(n) A). */
export async function expectFamilyConforms(gpu: WebGpuBackend, op: OpSpec, inputs: readonly Tensor[], label: string): Promise<Tensor> {
  const y = await gpu.run(op, op.op as never, inputs);
  const r = comparePoolShapeResize(op, inputs, y, `webgpu ${label}`);
  expect(r.ok, r.message).toBe(true);
  return y;
}
