import { ExactAccumulator } from '../exact/accumulator.ts';
import { certifiedFastPathEnabled } from '../exact/certify.ts';
import { roundUp32 } from '../exact/float32-bits.ts';

/**
 * resize (docs/semantics.md, "Pooling, reductions, shape ops and resize"). Per axis, output index
 * x maps to the source coordinate xo, computed in float64 by ONNX's formula with the axis's scale
 * (the given scale, or out/in when sizes were given). nearest copies the element at xo rounded by
 * nearestMode, clamped to [0, in - 1]. linear interpolates on the last two axes: xo is clamped to
 * [0, in - 1] (ONNX's edge padding), i0 = floor, lambda = xo - i0 (exact), and the weights are the
 * real numbers 1 - lambda and lambda; exact mode returns R(sum of w_y * w_x * a) over the taps of
 * nonzero weight.
 */
export type ResizeMode = 'nearest' | 'linear';
export type CoordinateTransformationMode = 'half_pixel' | 'pytorch_half_pixel' | 'align_corners' | 'asymmetric';
export type NearestMode = 'round_prefer_floor' | 'round_prefer_ceil' | 'floor' | 'ceil';

export interface ResizeParams {
  readonly input: readonly number[];
  readonly output: readonly number[];
  /** per axis, the scale the coordinate mapping uses: the given scale, or out / in for sizes */
  readonly scales: readonly number[];
  /** per axis, ONNX's length_resized: the output length for sizes, in * scale (a real, as ONNX's
   * reference takes it) for scales; align_corners and pytorch_half_pixel read it */
  readonly resizedLengths: readonly number[];
  readonly mode: ResizeMode;
  readonly coordinateTransformationMode: CoordinateTransformationMode;
  readonly nearestMode: NearestMode;
}

/** The float64 source coordinate of output index x on one axis. */
export function sourceCoordinate(mode: CoordinateTransformationMode, x: number, scale: number, inLen: number, resizedLen: number): number {
  switch (mode) {
    case 'half_pixel':
      return (x + 0.5) / scale - 0.5;
    case 'pytorch_half_pixel':
      return resizedLen > 1 ? (x + 0.5) / scale - 0.5 : 0;
    case 'align_corners':
      return resizedLen === 1 ? 0 : (x * (inLen - 1)) / (resizedLen - 1);
    case 'asymmetric':
      return x / scale;
  }
}

/** nearestMode's rounding of xo; an integer xo is itself in every mode. */
function roundNearest(mode: NearestMode, xo: number): number {
  const f = Math.floor(xo);
  const frac = xo - f;
  if (frac === 0) return f;
  switch (mode) {
    case 'round_prefer_floor':
      return frac <= 0.5 ? f : f + 1;
    case 'round_prefer_ceil':
      return frac < 0.5 ? f : f + 1;
    case 'floor':
      return f;
    case 'ceil':
      return f + 1;
  }
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/** Source index per output index of one axis, for nearest. */
function nearestIndices(p: ResizeParams, axis: number): Int32Array {
  const inLen = p.input[axis];
  const outLen = p.output[axis];
  const idx = new Int32Array(outLen);
  for (let x = 0; x < outLen; x++) {
    const xo = sourceCoordinate(p.coordinateTransformationMode, x, p.scales[axis], inLen, p.resizedLengths[axis]);
    idx[x] = clamp(roundNearest(p.nearestMode, xo), 0, inLen - 1);
  }
  return idx;
}

/** resize, nearest: a gather, exact in every mode. */
export function resizeNearest(p: ResizeParams, x: Float32Array): Float32Array {
  const rank = p.input.length;
  const tables = p.input.map((_, d) => nearestIndices(p, d));
  const inStrides = new Array<number>(rank);
  let acc = 1;
  for (let d = rank - 1; d >= 0; d--) {
    inStrides[d] = acc;
    acc *= p.input[d];
  }
  const outSize = p.output.reduce((a, b) => a * b, 1);
  const out = new Float32Array(outSize);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < outSize; o++) {
    let off = 0;
    for (let d = 0; d < rank; d++) off += tables[d][idx[d]] * inStrides[d];
    out[o] = x[off];
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < p.output[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** One axis of linear interpolation: per output index, i0, i1 and lambda (weights 1 - lambda on i0,
 * lambda on i1; lambda = 0 means the single tap i0). */
export interface LinearAxis {
  i0: Int32Array;
  i1: Int32Array;
  lambda: Float64Array;
}

export function linearAxis(p: ResizeParams, axis: number): LinearAxis {
  const inLen = p.input[axis];
  const outLen = p.output[axis];
  const i0 = new Int32Array(outLen);
  const i1 = new Int32Array(outLen);
  const lambda = new Float64Array(outLen);
  for (let x = 0; x < outLen; x++) {
    const xo = clamp(sourceCoordinate(p.coordinateTransformationMode, x, p.scales[axis], inLen, p.resizedLengths[axis]), 0, inLen - 1);
    const f = Math.floor(xo);
    i0[x] = f;
    i1[x] = Math.min(f + 1, inLen - 1);
    lambda[x] = xo - f; // exact: xo and f share their exponent range
  }
  return { i0, i1, lambda };
}

type LinearMode = 'exact' | 'fast' | 'abs';

/** resize, linear: bilinear on the last two axes (the others must keep their length). */
function resizeLinear(p: ResizeParams, x: Float32Array, mode: LinearMode): Float32Array {
  const rank = p.input.length;
  const [h, w] = [p.input[rank - 2], p.input[rank - 1]];
  const [hOut, wOut] = [p.output[rank - 2], p.output[rank - 1]];
  const planes = p.input.slice(0, rank - 2).reduce((a, b) => a * b, 1);
  const ys = linearAxis(p, rank - 2);
  const xs = linearAxis(p, rank - 1);
  const out = new Float32Array(planes * hOut * wOut);
  const acc = new ExactAccumulator();
  const taps = new Float64Array(4);
  const wts = new Float64Array(4);
  const certified = certifiedFastPathEnabled();
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * h * w;
    for (let i = 0; i < hOut; i++) {
      const ly = ys.lambda[i];
      const r0 = base + ys.i0[i] * w;
      const r1 = base + ys.i1[i] * w;
      for (let j = 0; j < wOut; j++) {
        const lx = xs.lambda[j];
        const c0 = xs.i0[j];
        const c1 = xs.i1[j];
        if (mode === 'fast') {
          out[o++] = fastBilinear(x, r0, r1, c0, c1, ly, lx);
          continue;
        }
        // the taps of nonzero weight, with float64 weights (exact up to one rounding each)
        let n = 1;
        taps[0] = x[r0 + c0];
        wts[0] = (1 - ly) * (1 - lx);
        if (lx !== 0) {
          taps[n] = x[r0 + c1];
          wts[n++] = (1 - ly) * lx;
        }
        if (ly !== 0) {
          taps[n] = x[r1 + c0];
          wts[n++] = ly * (1 - lx);
          if (lx !== 0) {
            taps[n] = x[r1 + c1];
            wts[n++] = ly * lx;
          }
        }
        let s = 0;
        let t = 0;
        for (let k = 0; k < n; k++) {
          const v = wts[k] * taps[k];
          s += v;
          t += Math.abs(v);
        }
        if (mode === 'abs') {
          out[o++] = roundUp32(t * (1 + 2 ** -48));
          continue;
        }
        // |s - S| <= 7 * 2^-53 * T (weights: three roundings, product, three additions); the margin
        // is twice that and covers rounding s -+ e. Sums exactly on a float32 midpoint are common
        // (weights like 1/4 and 3/4 add two bits), and go to the exact expansion.
        const e = t * 2 ** -48;
        const lo = Math.fround(s - e);
        if (certified && s - s === 0 && lo === Math.fround(s + e)) {
          out[o++] = lo + 0;
          continue;
        }
        out[o++] = exactBilinear(acc, taps, n, ly, lx);
      }
    }
  }
  return out;
}

/** Fast mode: float32 weights, interpolate along the row, then between the rows. */
function fastBilinear(x: Float32Array, r0: number, r1: number, c0: number, c1: number, ly: number, lx: number): number {
  const f = Math.fround;
  const wx1 = f(lx);
  const wx0 = f(1 - lx);
  const row = (r: number) => (lx === 0 ? x[r + c0] : f(f(wx0 * x[r + c0]) + f(wx1 * x[r + c1])));
  const top = row(r0);
  if (ly === 0) return top;
  return f(f(f(1 - ly) * top) + f(f(ly) * row(r1)));
}

/**
 * R(sum w a) exactly, taps in the order of resizeLinear's push: [a00, a01?, a10?, a11?]. The real
 * weights expand into products of float64 numbers: (1 - ly)(1 - lx) = 1 - lx - ly + ly*lx, and
 * ly*lx = hi + lo exactly (TwoProduct), so every term is a float64 times a float32, which the
 * accumulator adds exactly. Specials: a NaN tap, or infinities of both signs, give NaN; else an
 * infinite tap gives its infinity (the weights are positive).
 */
function exactBilinear(acc: ExactAccumulator, taps: Float64Array, n: number, ly: number, lx: number): number {
  let special = false;
  for (let k = 0; k < n; k++) if (taps[k] - taps[k] !== 0) special = true;
  if (special) {
    acc.reset();
    for (let k = 0; k < n; k++) if (taps[k] - taps[k] !== 0) acc.add(taps[k]);
    return acc.round();
  }
  const hi = ly * lx;
  const lo = twoProductLow(ly, lx, hi);
  acc.reset();
  // [ (1, 1-ly coefficients) ] laid out by which taps exist
  const a00 = taps[0];
  acc.add(a00).addProduct(-lx, a00).addProduct(-ly, a00).addProduct(hi, a00).addProduct(lo, a00);
  let k = 1;
  if (lx !== 0) {
    const a01 = taps[k++];
    acc.addProduct(lx, a01).addProduct(-hi, a01).addProduct(-lo, a01);
  }
  if (ly !== 0) {
    const a10 = taps[k++];
    acc.addProduct(ly, a10).addProduct(-hi, a10).addProduct(-lo, a10);
    if (lx !== 0) {
      const a11 = taps[k++];
      acc.addProduct(hi, a11).addProduct(lo, a11);
    }
  }
  return acc.round();
}

/** a*b - p exactly for p = fl(a*b) (Dekker; no overflow or underflow for weights in [0, 1) whose
 * product is not tiny: lambda is a difference of float64 coordinates, at least 2^-1000). */
function twoProductLow(a: number, b: number, p: number): number {
  const split = (v: number): [number, number] => {
    const c = 134217729 * v;
    const hi = c - (c - v);
    return [hi, v - hi];
  };
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return al * bl - (p - ah * bh - al * bh - ah * bl);
}

/** A rank-1 linear resize is the 2-D one on [1, L] (the extra axis keeps length 1). */
function atLeast2d(p: ResizeParams): ResizeParams {
  if (p.input.length >= 2) return p;
  return { ...p, input: [1, ...p.input], output: [1, ...p.output], scales: [1, ...p.scales], resizedLengths: [1, ...p.resizedLengths] };
}

export function resizeExact(p: ResizeParams, x: Float32Array): Float32Array {
  return p.mode === 'nearest' ? resizeNearest(p, x) : resizeLinear(atLeast2d(p), x, 'exact');
}

export function resizeFast(p: ResizeParams, x: Float32Array): Float32Array {
  return p.mode === 'nearest' ? resizeNearest(p, x) : resizeLinear(atLeast2d(p), x, 'fast');
}

/** For the error model (linear): A = sum w |a| over the taps of nonzero weight, rounded up. */
export function resizeAbs(p: ResizeParams, x: Float32Array): Float32Array {
  return resizeLinear(atLeast2d(p), x.map(Math.abs), 'abs');
}

/** Output lengths, mapping scales and ONNX's length_resized from the given scales or sizes:
 * with scales, out = floor(in * scale); with sizes, scale = out / in. */
export function resizeGeometry(
  input: readonly number[],
  given: { scales?: readonly number[]; sizes?: readonly number[] },
): Pick<ResizeParams, 'output' | 'scales' | 'resizedLengths'> {
  if (given.sizes) {
    const sizes = given.sizes;
    return { output: [...sizes], scales: sizes.map((s, i) => s / input[i]), resizedLengths: [...sizes] };
  }
  const scales = given.scales ?? input.map(() => 1);
  return { output: input.map((d, i) => Math.floor(d * scales[i])), scales: [...scales], resizedLengths: input.map((d, i) => d * scales[i]) };
}
