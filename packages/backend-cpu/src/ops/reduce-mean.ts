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

/** Calls f(base, offsets, block, o) per output: the reduced elements are x[base + offsets[k] + b]
 * for b < block, in row-major order of the reduced axes. The reduced axes that end the shape form
 * one contiguous block, so offsets only spans the others (a global average pool needs one offset,
 * not H*W). Returns the number of reduced elements per output. */
function forEachReduction(p: ReduceMeanParams, f: (base: number, offsets: Int32Array, block: number, o: number) => void): number {
  const rank = p.input.length;
  const strides = new Array<number>(rank);
  let acc = 1;
  for (let d = rank - 1; d >= 0; d--) {
    strides[d] = acc;
    acc *= p.input[d];
  }
  const reduced = p.axes;
  let tail = 0; // reduced axes rank-1, rank-2, ... in a row
  while (tail < reduced.length && reduced[reduced.length - 1 - tail] === rank - 1 - tail) tail++;
  const block = reduced.slice(reduced.length - tail).reduce((a, d) => a * p.input[d], 1);
  const spread = reduced.slice(0, reduced.length - tail);
  const kept = p.input.map((_, i) => i).filter((i) => !reduced.includes(i));
  const offsets = new Int32Array(spread.reduce((a, d) => a * p.input[d], 1));
  offsetsOf(spread, p.input, strides, offsets);
  const outCount = kept.reduce((a, d) => a * p.input[d], 1);
  const idx = new Array<number>(kept.length).fill(0);
  let base = 0;
  for (let o = 0; o < outCount; o++) {
    f(base, offsets, block, o);
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
  return offsets.length * block;
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
  forEachReduction(p, (base, offsets, block, o) => {
    const n = offsets.length * block;
    let s = 0;
    let t = 0;
    for (let k = 0; k < offsets.length; k++) {
      const start = base + offsets[k];
      for (let b = start; b < start + block; b++) {
        const v = x[b];
        s += v;
        t += Math.abs(v);
      }
    }
    const fast = certifiedMean(s, t, n, n);
    if (fast !== undefined) {
      out[o] = fast;
      return;
    }
    acc.reset();
    for (let k = 0; k < offsets.length; k++) {
      const start = base + offsets[k];
      for (let b = start; b < start + block; b++) acc.add(x[b]);
    }
    out[o] = roundQuotient(acc, n);
  });
  return out;
}

/** Fast mode: float32 sum in row-major order of the reduced axes, then one division. */
export function reduceMeanFast(p: ReduceMeanParams, x: Float32Array): Float32Array {
  const out = new Float32Array(outSize(p));
  forEachReduction(p, (base, offsets, block, o) => {
    let s = 0;
    for (let k = 0; k < offsets.length; k++) {
      const start = base + offsets[k];
      for (let b = start; b < start + block; b++) s = Math.fround(s + x[b]);
    }
    out[o] = s / (offsets.length * block);
  });
  return out;
}

/** For the error model: A = sum |x| / count rounded up to float32; n = count for every element. */
export function reduceMeanAbs(p: ReduceMeanParams, x: Float32Array): { abs: Float32Array; terms: number } {
  const abs = new Float32Array(outSize(p));
  const terms = forEachReduction(p, (base, offsets, block, o) => {
    let t = 0;
    for (let k = 0; k < offsets.length; k++) {
      const start = base + offsets[k];
      for (let b = start; b < start + block; b++) t += Math.abs(x[b]);
    }
    const n = offsets.length * block;
    abs[o] = roundUp32((t / n) * (1 + (n + 4) * 2 ** -52));
  });
  return { abs, terms };
}
