import { type Shape, shapeSize, Tensor } from '@convroute/core';

/** Small NCHW helpers the metamorphic relations need; plain loops, no cleverness to get wrong. */

/** t[start:start+count] along axis (0 or 1) of a 4-D tensor. */
export function sliceAxis(t: Tensor, axis: 0 | 1, start: number, count: number): Tensor {
  const [a, b, h, w] = t.shape;
  const shape = axis === 0 ? [count, b, h, w] : [a, count, h, w];
  const out = new Float32Array(shapeSize(shape));
  const src = t.data;
  const plane = h * w;
  let o = 0;
  for (let i = 0; i < shape[0]; i++) {
    for (let j = 0; j < shape[1]; j++) {
      const si = axis === 0 ? i + start : i;
      const sj = axis === 1 ? j + start : j;
      out.set(src.subarray((si * b + sj) * plane, (si * b + sj + 1) * plane), o);
      o += plane;
    }
  }
  return Tensor.fromData(out, shape);
}

/** Concatenates 4-D tensors along axis 1. */
export function concatChannels(parts: readonly Tensor[]): Tensor {
  const [n, , h, w] = parts[0].shape;
  const c = parts.reduce((s, p) => s + p.shape[1], 0);
  const out = new Float32Array(n * c * h * w);
  let o = 0;
  for (let i = 0; i < n; i++) {
    for (const p of parts) {
      const len = p.shape[1] * h * w;
      out.set(p.data.subarray(i * len, (i + 1) * len), o);
      o += len;
    }
  }
  return Tensor.fromData(out, [n, c, h, w]);
}

/** x placed at (top, left) in a zero canvas of the given spatial size. */
export function embed(x: Tensor, height: number, width: number, top: number, left: number): Tensor {
  const [n, c, h, w] = x.shape;
  const out = new Float32Array(n * c * height * width);
  const src = x.data;
  for (let p = 0; p < n * c; p++) {
    for (let i = 0; i < h; i++) {
      out.set(src.subarray((p * h + i) * w, (p * h + i + 1) * w), (p * height + i + top) * width + left);
    }
  }
  return Tensor.fromData(out, [n, c, height, width]);
}

/** The [top, top + height) x [left, left + width) window of a 4-D tensor. */
export function crop(x: Tensor, top: number, left: number, height: number, width: number): Tensor {
  const [n, c, h, w] = x.shape;
  const out = new Float32Array(n * c * height * width);
  const src = x.data;
  for (let p = 0; p < n * c; p++) {
    for (let i = 0; i < height; i++) {
      out.set(src.subarray((p * h + i + top) * w + left, (p * h + i + top) * w + left + width), (p * height + i) * width);
    }
  }
  return Tensor.fromData(out, [n, c, height, width]);
}

/** A kernel with dilation made explicit: taps at multiples of d, zeros between. */
export function zeroStuff(w: Tensor, dH: number, dW: number): Tensor {
  const [o, i, kH, kW] = w.shape;
  const eH = dH * (kH - 1) + 1;
  const eW = dW * (kW - 1) + 1;
  const out = new Float32Array(o * i * eH * eW);
  const src = w.data;
  for (let p = 0; p < o * i; p++) {
    for (let a = 0; a < kH; a++) for (let b = 0; b < kW; b++) out[(p * eH + a * dH) * eW + b * dW] = src[(p * kH + a) * kW + b];
  }
  return Tensor.fromData(out, [o, i, eH, eW]);
}

/** Elementwise a * x + b * y in float64 (exact for the small integers the callers use). */
export function axpby(a: number, x: Float32Array, b: number, y: Float32Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = a * x[i] + b * y[i];
  return out;
}

export function scaled(t: Tensor, s: number): Tensor {
  return Tensor.fromData(
    t.data.map((v) => v * s),
    t.shape as Shape,
  );
}

/** Float64 inner product (exact when every partial sum is an integer below 2^53). */
export function dot(x: Float32Array, y: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}
