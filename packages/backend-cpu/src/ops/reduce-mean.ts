import { ExactAccumulator } from '../exact/accumulator.ts';
import { roundUp32 } from '../exact/float32-bits.ts';
import { certifiedMean, roundQuotient } from '../exact/mean.ts';

/**
 * reducemean (and globalaveragepool, the mean over every axis from 2 on, keepdims): each output
 * is the mean of the elements sharing its kept coordinates. Exact mode: R(exact sum / count).
 */
export interface ReduceMeanParams {
  readonly input: readonly number[];
  /** normalized: non-negative, ascending, distinct */
  readonly axes: readonly number[];
  readonly keepdims: boolean;
}

export function reduceMeanOutputShape(p: ReduceMeanParams): number[] {
  const out: number[] = [];
  p.input.forEach((d, i) => {
    if (!p.axes.includes(i)) out.push(d);
    else if (p.keepdims) out.push(1);
  });
  return out;
}

/** Calls f(base, offsets, o) per output: the reduced elements are x[base + offsets[k]], offsets in
 * row-major order of the reduced axes. */
function forEachReduction(p: ReduceMeanParams, f: (base: number, offsets: Int32Array, o: number) => void): number {
  const rank = p.input.length;
  const strides = new Array<number>(rank);
  let acc = 1;
  for (let d = rank - 1; d >= 0; d--) {
    strides[d] = acc;
    acc *= p.input[d];
  }
  const reduced = p.axes;
  const kept = p.input.map((_, i) => i).filter((i) => !reduced.includes(i));
  const offsets = new Int32Array(reduced.reduce((a, d) => a * p.input[d], 1));
  offsetsOf(reduced, p.input, strides, offsets);
  const outCount = kept.reduce((a, d) => a * p.input[d], 1);
  const idx = new Array<number>(kept.length).fill(0);
  let base = 0;
  for (let o = 0; o < outCount; o++) {
    f(base, offsets, o);
    // odometer over the kept axes, last fastest
    for (let k = kept.length - 1; k >= 0; k--) {
      const d = kept[k];
      idx[k]++;
      base += strides[d];
      if (idx[k] < p.input[d]) break;
      base -= idx[k] * strides[d];
      idx[k] = 0;
    }
  }
  return offsets.length;
}

function offsetsOf(axes: readonly number[], shape: readonly number[], strides: number[], out: Int32Array): void {
  const idx = new Array<number>(axes.length).fill(0);
  let off = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = off;
    for (let k = axes.length - 1; k >= 0; k--) {
      const d = axes[k];
      idx[k]++;
      off += strides[d];
      if (idx[k] < shape[d]) break;
      off -= idx[k] * strides[d];
      idx[k] = 0;
    }
  }
}

function outSize(p: ReduceMeanParams): number {
  return reduceMeanOutputShape(p).reduce((a, b) => a * b, 1);
}

export function reduceMeanExact(p: ReduceMeanParams, x: Float32Array): Float32Array {
  const out = new Float32Array(outSize(p));
  const acc = new ExactAccumulator();
  forEachReduction(p, (base, offsets, o) => {
    const n = offsets.length;
    let s = 0;
    let t = 0;
    for (let k = 0; k < n; k++) {
      const v = x[base + offsets[k]];
      s += v;
      t += Math.abs(v);
    }
    const fast = certifiedMean(s, t, n, n);
    if (fast !== undefined) {
      out[o] = fast;
      return;
    }
    acc.reset();
    for (let k = 0; k < n; k++) acc.add(x[base + offsets[k]]);
    out[o] = roundQuotient(acc, n);
  });
  return out;
}

/** Fast mode: float32 sum in row-major order of the reduced axes, then one division. */
export function reduceMeanFast(p: ReduceMeanParams, x: Float32Array): Float32Array {
  const out = new Float32Array(outSize(p));
  forEachReduction(p, (base, offsets, o) => {
    let s = 0;
    for (let k = 0; k < offsets.length; k++) s = Math.fround(s + x[base + offsets[k]]);
    out[o] = s / offsets.length;
  });
  return out;
}

/** For the error model: A = sum |x| / count rounded up to float32; n = count for every element. */
export function reduceMeanAbs(p: ReduceMeanParams, x: Float32Array): { abs: Float32Array; terms: number } {
  const abs = new Float32Array(outSize(p));
  const terms = forEachReduction(p, (base, offsets, o) => {
    let t = 0;
    for (let k = 0; k < offsets.length; k++) t += Math.abs(x[base + offsets[k]]);
    const n = offsets.length;
    abs[o] = roundUp32((t / n) * (1 + (n + 4) * 2 ** -52));
  });
  return { abs, terms };
}
