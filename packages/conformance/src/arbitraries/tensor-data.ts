import { type Conv2dSpec, conv2dBiasShape, conv2dReductionLength, type GemmSpec, type Shape, seededRandom, shapeSize, Tensor } from '@convroute/core';
import * as fc from 'fast-check';

/**
 * Tensor data is derived from a seed by a small PRNG rather than generated element by element:
 * tensors have hundreds or thousands of elements, and shrinking them one by one is slow and
 * rarely informative; shrinking happens on the spec (and the seed shrinks toward 0). The PRNG is
 * core's `seededRandom`.
 */
export type DataKind = 'float' | 'specials' | 'small-int';
export const DATA_KINDS: readonly DataKind[] = ['float', 'specials', 'small-int'];

interface FloatDataOptions {
  /** Sprinkle NaN, +inf, -inf and -0 (a few percent each). */
  specials?: boolean;
  /** Include subnormal values. The error model's n * 2^-126 term covers flushed subnormal
   * results, not flushed subnormal inputs (error |w| * |x| can exceed it), so off by default. */
  subnormals?: boolean;
  /** Largest binary exponent magnitude of the wide-range values (default 20: products stay far
   * from overflow, so the bound applies everywhere). */
  maxExponent?: number;
}

/** General float32 data: mostly uniform in [-1, 1], some wide-range values, zeros, small integers. */
function floatData(n: number, seed: number, options: FloatDataOptions = {}): Float32Array {
  const rnd = seededRandom(seed);
  const maxExp = options.maxExponent ?? 20;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rnd();
    if (options.specials && r < 0.1) {
      out[i] = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0][Math.floor(rnd() * 4)];
    } else if (options.subnormals && r < 0.15) {
      out[i] = (rnd() < 0.5 ? -1 : 1) * Math.floor(rnd() * 2 ** 23) * 2 ** -149;
    } else if (r < 0.6) {
      out[i] = rnd() * 2 - 1;
    } else if (r < 0.85) {
      const e = Math.floor(rnd() * (2 * maxExp + 1)) - maxExp;
      out[i] = (rnd() < 0.5 ? -1 : 1) * (1 + rnd()) * 2 ** e;
    } else if (r < 0.93) {
      out[i] = 0;
    } else {
      out[i] = Math.floor(rnd() * 17) - 8;
    }
  }
  return out;
}

/**
 * The largest B such that with |data| <= B, every partial sum of `reductionLength` products (and
 * a bias) is an integer of magnitude below 2^24, so float32 sums it exactly in any order
 * (docs/error-model.md, "Exactness on small integers"). `factor` scales for data that is later combined (a * x1 + b * x2).
 */
export function smallIntBound(reductionLength: number, maxBound = 8, factor = 1): number {
  const b = Math.min(maxBound, Math.floor(Math.sqrt((2 ** 24 - 1) / (Math.max(1, reductionLength) * factor))));
  if (b < 1) throw new Error(`reduction length ${reductionLength} (x${factor}) is too long for exact small-integer data`);
  return b;
}

export function smallIntData(n: number, seed: number, bound: number): Float32Array {
  const rnd = seededRandom(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rnd() * (2 * bound + 1)) - bound;
  return out;
}

function tensorOf(kind: DataKind, shape: Shape, seed: number, bound: number, allowSpecials: boolean, maxExponent?: number): Tensor {
  const n = shapeSize(shape);
  const data = kind === 'small-int' ? smallIntData(n, seed, bound) : floatData(n, seed, { specials: kind === 'specials' && allowSpecials, maxExponent });
  return Tensor.fromData(data, shape);
}

/**
 * Inputs for a conv: [x, w, bias?]. With 'specials', NaN and infinities go into x and bias only:
 * an infinite weight meets padded zeros (0 * inf = NaN) in methods that read the padding
 * (im2col) but not in methods that skip it, and GPU kernels are not judged on it (docs/decisions.md, "Padded taps are terms").
 */
export function conv2dInputs(spec: Conv2dSpec, kind: DataKind, seed: number, maxBound = 8, maxExponent?: number): Tensor[] {
  const bound = smallIntBound(conv2dReductionLength(spec), maxBound);
  const inputs = [tensorOf(kind, spec.input, seed, bound, true, maxExponent), tensorOf(kind, spec.weight, seed + 1, bound, false, maxExponent)];
  if (spec.bias) inputs.push(tensorOf(kind, conv2dBiasShape(spec), seed + 2, bound, true, maxExponent));
  return inputs;
}

export function gemmInputs(spec: GemmSpec, kind: DataKind, seed: number, maxBound = 8): Tensor[] {
  const bound = smallIntBound(spec.k + (spec.bias ? 1 : 0), maxBound);
  const inputs = [tensorOf(kind, spec.a, seed, bound, true), tensorOf(kind, spec.b, seed + 1, bound, false)];
  if (spec.biasShape) inputs.push(tensorOf(kind, spec.biasShape, seed + 2, bound, true));
  return inputs;
}

export function tensorData(shape: Shape, kind: DataKind, seed: number, bound = 8): Tensor {
  return tensorOf(kind, shape, seed, bound, true);
}

/** A data seed: shrinks toward 0. */
export const dataSeedArb: fc.Arbitrary<number> = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/** A float32 tensor of a fixed shape, of the given kind. */
export function tensorArb(shape: Shape, kind: DataKind = 'float', bound = 8): fc.Arbitrary<Tensor> {
  return dataSeedArb.map((seed) => tensorData(shape, kind, seed, bound));
}
