import { ExactAccumulator } from '../exact/accumulator.ts';
import { roundUp32 } from '../exact/float32-bits.ts';
import { certifiedMean, roundQuotient } from '../exact/mean.ts';

/**
 * 2-D max and average pooling over NCHW, ONNX semantics (docs/semantics.md, "Pooling, reductions,
 * shape ops and resize"). Window (i, j) reads rows i*sH - top + p*dH (p < kH) and columns
 * j*sW - left + q*dW (q < kW); only taps inside the input are values. Average pooling divides by
 * the count of taps inside the input, or with countIncludePad by the count inside the padded input
 * [-top, H + bottom) x [-left, W + right): a ceil-mode window's part beyond that is never counted.
 */
export interface Pool2dParams {
  /** [N, C, H, W] */
  readonly input: readonly number[];
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  /** top, left, bottom, right */
  readonly padding: readonly [number, number, number, number];
  readonly dilation: readonly [number, number];
  readonly ceilMode: boolean;
  /** averagepool only */
  readonly countIncludePad?: boolean;
}

/** Output extent of one axis; in ceil mode the last window must start inside the input or the
 * leading padding (ONNX's and PyTorch's rule). */
export function poolOutputExtent(size: number, k: number, s: number, padBegin: number, padEnd: number, d: number, ceilMode: boolean): number {
  const span = size + padBegin + padEnd - d * (k - 1) - 1;
  if (!ceilMode) return Math.floor(span / s) + 1;
  let out = Math.ceil(span / s) + 1;
  if ((out - 1) * s >= size + padBegin) out--;
  return out;
}

export function pool2dOutputShape(p: Pool2dParams): number[] {
  const [n, c, h, w] = p.input;
  const [top, left, bottom, right] = p.padding;
  return [
    n,
    c,
    poolOutputExtent(h, p.kernel[0], p.stride[0], top, bottom, p.dilation[0], p.ceilMode),
    poolOutputExtent(w, p.kernel[1], p.stride[1], left, right, p.dilation[1], p.ceilMode),
  ];
}

/** One axis of the windows: per output index, the input indices of its in-range taps (ascending)
 * and the number of its taps inside the padded input. */
interface AxisTaps {
  taps: number[][];
  paddedCount: number[];
}

function axisTaps(out: number, size: number, k: number, s: number, padBegin: number, padEnd: number, d: number): AxisTaps {
  const taps: number[][] = [];
  const paddedCount: number[] = [];
  for (let i = 0; i < out; i++) {
    const t: number[] = [];
    let padded = 0;
    for (let p = 0; p < k; p++) {
      const r = i * s - padBegin + p * d;
      if (r >= 0 && r < size) t.push(r);
      if (r >= -padBegin && r < size + padEnd) padded++;
    }
    taps.push(t);
    paddedCount.push(padded);
  }
  return { taps, paddedCount };
}

interface Windows {
  shape: number[];
  rows: AxisTaps;
  cols: AxisTaps;
}

function windows(p: Pool2dParams): Windows {
  const shape = pool2dOutputShape(p);
  const [, , h, w] = p.input;
  const [top, left, bottom, right] = p.padding;
  return {
    shape,
    rows: axisTaps(shape[2], h, p.kernel[0], p.stride[0], top, bottom, p.dilation[0]),
    cols: axisTaps(shape[3], w, p.kernel[1], p.stride[1], left, right, p.dilation[1]),
  };
}

/** Calls f(planeIn, planeOut, rowTaps, colTaps, divisor, outIndex) for every output element. */
function forEachWindow(p: Pool2dParams, f: (xBase: number, rows: number[], cols: number[], divisor: number, o: number) => void): number[] {
  const { shape, rows, cols } = windows(p);
  const [n, c, h, w] = p.input;
  const [, , hOut, wOut] = shape;
  const include = p.countIncludePad === true;
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const xBase = plane * h * w;
    for (let i = 0; i < hOut; i++) {
      const r = rows.taps[i];
      for (let j = 0; j < wOut; j++) {
        const q = cols.taps[j];
        const divisor = include ? rows.paddedCount[i] * cols.paddedCount[j] : r.length * q.length;
        f(xBase, r, q, divisor, o++);
      }
    }
  }
  return shape;
}

/** Max pooling, an exact copy in every mode: the largest tap (Math.max: NaN wins, +0 over -0);
 * -Infinity for a window with no tap inside the input. */
export function maxPool2d(p: Pool2dParams, x: Float32Array): { shape: number[]; data: Float32Array } {
  const w = p.input[3];
  const out = new Float32Array(pool2dSize(p));
  const shape = forEachWindow(p, (xBase, rows, cols, _d, o) => {
    let m = Number.NEGATIVE_INFINITY;
    for (const r of rows) {
      const rb = xBase + r * w;
      for (const q of cols) m = Math.max(m, x[rb + q]);
    }
    out[o] = m;
  });
  return { shape, data: out };
}

/** Average pooling, exact mode: R(sum / divisor), the sum exact and rounded once with the
 * division; NaN when the divisor is 0 (no tap inside the input, countIncludePad false). */
export function averagePool2dExact(p: Pool2dParams, x: Float32Array): { shape: number[]; data: Float32Array } {
  const w = p.input[3];
  const out = new Float32Array(pool2dSize(p));
  const acc = new ExactAccumulator();
  const shape = forEachWindow(p, (xBase, rows, cols, d, o) => {
    if (d === 0) {
      out[o] = Number.NaN;
      return;
    }
    let s = 0;
    let t = 0;
    for (const r of rows) {
      const rb = xBase + r * w;
      for (const q of cols) {
        const v = x[rb + q];
        s += v;
        t += Math.abs(v);
      }
    }
    const fast = certifiedMean(s, t, rows.length * cols.length, d);
    if (fast !== undefined) {
      out[o] = fast;
      return;
    }
    acc.reset();
    for (const r of rows) for (const q of cols) acc.add(x[xBase + r * w + q]);
    out[o] = roundQuotient(acc, d);
  });
  return { shape, data: out };
}

/** Average pooling, fast mode: float32 sum (rows, then columns, ascending), one float32 division. */
export function averagePool2dFast(p: Pool2dParams, x: Float32Array): { shape: number[]; data: Float32Array } {
  const w = p.input[3];
  const out = new Float32Array(pool2dSize(p));
  const shape = forEachWindow(p, (xBase, rows, cols, d, o) => {
    let s = 0;
    for (const r of rows) {
      const rb = xBase + r * w;
      for (const q of cols) s = Math.fround(s + x[rb + q]);
    }
    out[o] = d === 0 ? Number.NaN : s / d;
  });
  return { shape, data: out };
}

/** For the error model: per element A = sum |x| / divisor rounded up to float32, and the number
 * of summed taps n (the bound is gamma(n) * A + u * |y|, docs/error-model.md). */
export function averagePool2dAbs(p: Pool2dParams, x: Float32Array): { shape: number[]; abs: Float32Array; terms: Int32Array } {
  const w = p.input[3];
  const size = pool2dSize(p);
  const abs = new Float32Array(size);
  const terms = new Int32Array(size);
  const shape = forEachWindow(p, (xBase, rows, cols, d, o) => {
    let t = 0;
    for (const r of rows) for (const q of cols) t += Math.abs(x[xBase + r * w + q]);
    const n = rows.length * cols.length;
    terms[o] = n;
    abs[o] = d === 0 ? 0 : roundUp32((t / d) * (1 + (n + 4) * 2 ** -52));
  });
  return { shape, abs, terms };
}

function pool2dSize(p: Pool2dParams): number {
  return pool2dOutputShape(p).reduce((a, b) => a * b, 1);
}
