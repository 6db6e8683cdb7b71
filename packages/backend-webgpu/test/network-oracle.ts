import type { OpSpec, Tensor } from '@convroute/core';
import { shapeSize } from '@convroute/core';

/**
 * A float64 reference for the network ops, rounded once to float32, for while the CPU backend
 * lacks an op (expectWithinBound prefers the CPU exact backend). For +, -, *, / and the copies it
 * is the correctly rounded result (a float64 operation on float32 operands, rounded to float32,
 * rounds correctly); for sums (means, matmul, linear resize) and the transcendental ops it is
 * within half an ulp plus a float64 rounding (2^-50 relative of the magnitudes) of the real result.
 */
export function oracle(o: OpSpec, xs: readonly Tensor[]): Float32Array {
  const x = xs[0].data;
  switch (o.op) {
    case 'add':
    case 'sub':
    case 'mul':
    case 'div': {
      const f = {
        add: (a: number, b: number) => a + b,
        sub: (a: number, b: number) => a - b,
        mul: (a: number, b: number) => a * b,
        div: (a: number, b: number) => a / b,
      }[o.op];
      const out = o.spec.output;
      return Float32Array.from({ length: shapeSize(out) }, (_, i) => f(at(xs[0], out, i), at(xs[1], out, i)));
    }
    case 'relu':
      return x.map((v) => (v < 0 ? 0 : v));
    case 'leakyrelu':
      return x.map((v) => (v < 0 ? v * o.spec.alpha : v));
    case 'clip':
      return x.map((v) => Math.min(Math.max(v, o.spec.min), o.spec.max));
    case 'hardsigmoid':
      return x.map((v) => clamp01(o.spec.alpha * v + o.spec.beta));
    case 'hardswish':
      return x.map((v) => v * clamp01(v / 6 + 0.5));
    case 'sigmoid':
      return x.map((v) => 1 / (1 + Math.exp(-v)));
    case 'identity':
    case 'reshape':
    case 'flatten':
    case 'squeeze':
    case 'unsqueeze':
      return x.slice();
    default:
      return oracleStructured(o, xs);
  }
}

const clamp01 = (v: number) => (Number.isNaN(v) ? v : Math.min(Math.max(v, 0), 1));

/** The element of `t` that output index `i` of a broadcast to `out` reads (NumPy rules). */
export function at(t: Tensor, out: readonly number[], i: number): number {
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

const strides = (s: readonly number[]) => s.map((_, d) => shapeSize(s.slice(d + 1)));
const coords = (i: number, s: readonly number[]) => {
  const c = new Array<number>(s.length);
  for (let d = s.length - 1; d >= 0; d--) {
    c[d] = i % s[d];
    i = Math.floor(i / s[d]);
  }
  return c;
};

function oracleStructured(o: OpSpec, xs: readonly Tensor[]): Float32Array {
  const x = xs[0].data;
  switch (o.op) {
    case 'transpose': {
      const s = strides(o.spec.input);
      return Float32Array.from({ length: x.length }, (_, i) => x[coords(i, o.spec.output).reduce((t, c, d) => t + c * s[o.spec.perm[d]], 0)]);
    }
    case 'concat': {
      const out = o.spec.output;
      const a = o.spec.axis;
      return Float32Array.from({ length: shapeSize(out) }, (_, i) => {
        const c = coords(i, out);
        let k = 0;
        while (c[a] >= o.spec.inputs[k][a]) c[a] -= o.spec.inputs[k++][a];
        const s = strides(o.spec.inputs[k]);
        return xs[k].data[c.reduce((t, v, d) => t + v * s[d], 0)];
      });
    }
    case 'pad': {
      const s = strides(o.spec.input);
      return Float32Array.from({ length: shapeSize(o.spec.output) }, (_, i) => {
        const c = coords(i, o.spec.output).map((v, d) => v - o.spec.pads[d]);
        return c.every((v, d) => v >= 0 && v < o.spec.input[d]) ? x[c.reduce((t, v, d) => t + v * s[d], 0)] : o.spec.value;
      });
    }
    case 'maxpool':
    case 'averagepool':
      return pool(o, x);
    case 'globalaveragepool':
    case 'reducemean': {
      const input = o.spec.input;
      const axes = o.op === 'reducemean' ? o.spec.axes : input.map((_, d) => d).slice(2);
      const keep = input.map((d, k) => (axes.includes(k) ? 1 : d));
      const sums = new Float64Array(shapeSize(keep));
      const ks = strides(keep);
      for (let i = 0; i < x.length; i++) sums[coords(i, input).reduce((t, c, d) => t + (axes.includes(d) ? 0 : c * ks[d]), 0)] += x[i];
      const n = axes.reduce((t, d) => t * input[d], 1);
      return Float32Array.from(sums, (v) => v / n);
    }
    case 'batchnormalization': {
      const [scale, bias, mean, v] = xs.slice(1).map((t) => t.data);
      const inner = shapeSize(o.spec.input.slice(2));
      return x.map((xv, i) => {
        const c = Math.floor(i / inner) % o.spec.channels;
        return ((xv - mean[c]) / Math.sqrt(v[c] + o.spec.epsilon)) * scale[c] + bias[c];
      });
    }
    case 'softmax': {
      const s = o.spec.input;
      const len = s[o.spec.axis];
      const inner = shapeSize(s.slice(o.spec.axis + 1));
      const y = new Float32Array(x.length);
      for (let r = 0; r < x.length / len; r++) {
        const base = Math.floor(r / inner) * len * inner + (r % inner);
        const idx = Array.from({ length: len }, (_, l) => base + l * inner);
        const m = Math.max(...idx.map((k) => x[k]));
        const e = idx.map((k) => Math.exp(x[k] - m));
        const sum = e.reduce((t, v) => t + v, 0);
        idx.forEach((k, l) => {
          y[k] = e[l] / sum;
        });
      }
      return y;
    }
    case 'matmul': {
      const { m, n, k, batch } = o.spec;
      const a2 = o.spec.a.length === 1 ? [1, o.spec.a[0]] : o.spec.a;
      const b2 = o.spec.b.length === 1 ? [o.spec.b[0], 1] : o.spec.b;
      const aT = { data: xs[0].data, shape: [...a2.slice(0, -2), 1] } as unknown as Tensor;
      const bT = { data: xs[1].data, shape: [...b2.slice(0, -2), 1] } as unknown as Tensor;
      const y = new Float32Array(shapeSize(batch) * m * n);
      for (let z = 0; z < shapeSize(batch); z++) {
        // Matrix index of each operand: the broadcast lookup over the batch axes, one "element" per matrix.
        const ia = batchIndex(aT, [...batch, 1], z);
        const ib = batchIndex(bT, [...batch, 1], z);
        for (let i = 0; i < m; i++)
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let q = 0; q < k; q++) s += xs[0].data[ia * m * k + i * k + q] * xs[1].data[ib * k * n + q * n + j];
            y[z * m * n + i * n + j] = s;
          }
      }
      return y;
    }
    case 'resize':
      return resize(o, x);
    case 'gemm':
      return gemm(o, xs);
    default:
      throw new Error(`no oracle for ${o.op}`);
  }
}

/** Which matrix of a batched operand (its batch shape + [1]) output matrix z reads. */
function batchIndex(t: Tensor, out: readonly number[], z: number): number {
  const idx = { data: Float64Array.from({ length: shapeSize(t.shape) }, (_, i) => i), shape: t.shape } as unknown as Tensor;
  return at(idx, out, z);
}

function pool(o: Extract<OpSpec, { op: 'maxpool' | 'averagepool' }>, x: Float32Array): Float32Array {
  const [n, c, h, w] = o.spec.input;
  const [, , ho, wo] = o.spec.output;
  const [top, left, bottom, right] = o.spec.padding;
  const inc = o.op === 'averagepool' && o.spec.countIncludePad;
  const y = new Float32Array(n * c * ho * wo);
  for (let p = 0; p < n * c; p++)
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++) {
        let mx = Number.NEGATIVE_INFINITY;
        let s = 0;
        let cnt = 0;
        for (let a = 0; a < o.spec.kernel[0]; a++)
          for (let b = 0; b < o.spec.kernel[1]; b++) {
            const r = i * o.spec.stride[0] - top + a * o.spec.dilation[0];
            const q = j * o.spec.stride[1] - left + b * o.spec.dilation[1];
            const inside = r >= 0 && r < h && q >= 0 && q < w;
            if (inside) {
              const v = x[p * h * w + r * w + q];
              if (v > mx || Number.isNaN(v)) mx = Number.isNaN(mx) ? mx : v;
              s += v;
            }
            if (inc ? r >= -top && r < h + bottom && q >= -left && q < w + right : inside) cnt++;
          }
        y[p * ho * wo + i * wo + j] = o.op === 'maxpool' ? mx : s / cnt;
      }
  return y;
}

/** ONNX's source coordinate (float64), written out here apart from the kernel's host tables. */
function coordinate(mode: string, x: number, scale: number, inLen: number, outLen: number): number {
  if (mode === 'half_pixel') return (x + 0.5) / scale - 0.5;
  if (mode === 'pytorch_half_pixel') return outLen > 1 ? (x + 0.5) / scale - 0.5 : 0;
  if (mode === 'align_corners') return outLen === 1 ? 0 : (x * (inLen - 1)) / (outLen - 1);
  return x / scale;
}

function nearest(mode: string, c: number): number {
  const f = Math.floor(c);
  const frac = c - f;
  if (frac === 0 || mode === 'floor') return f;
  if (mode === 'ceil') return f + 1;
  return frac < 0.5 || (frac === 0.5 && mode === 'round_prefer_floor') ? f : f + 1;
}

function resize(o: Extract<OpSpec, { op: 'resize' }>, x: Float32Array): Float32Array {
  const s = o.spec;
  const r = s.input.length;
  const clampTo = (v: number, len: number) => Math.min(Math.max(v, 0), len - 1);
  const axis = (d: number) =>
    Array.from({ length: s.output[d] }, (_, k) => {
      const c = coordinate(s.coordinateTransformationMode, k, s.scales[d], s.input[d], s.output[d]);
      if (s.mode === 'nearest') return { i0: clampTo(nearest(s.nearestMode, c), s.input[d]), i1: 0, l: 0 };
      const cc = clampTo(c, s.input[d]);
      const i0 = Math.floor(cc);
      return { i0, i1: Math.min(i0 + 1, s.input[d] - 1), l: cc - i0 };
    });
  const tables = s.input.map((_, d) => axis(d));
  const st = strides(s.input);
  return Float32Array.from({ length: shapeSize(s.output) }, (_, i) => {
    const c = coords(i, s.output);
    if (s.mode === 'nearest') return x[c.reduce((t, v, d) => t + tables[d][v].i0 * st[d], 0)];
    const base = c.slice(0, r - 2).reduce((t, v, d) => t + v * st[d], 0);
    const ty = tables[r - 2][c[r - 2]];
    const tx = tables[r - 1][c[r - 1]];
    const px = (row: number, col: number) => x[base + row * st[r - 2] + col];
    const top = (1 - tx.l) * px(ty.i0, tx.i0) + tx.l * px(ty.i0, tx.i1);
    const bot = (1 - tx.l) * px(ty.i1, tx.i0) + tx.l * px(ty.i1, tx.i1);
    return (1 - ty.l) * top + ty.l * bot;
  });
}

/** ONNX Gemm: act(alpha * sum_k op(A) op(B) + beta * C), C broadcast to [M, N]. */
function gemm(o: Extract<OpSpec, { op: 'gemm' }>, xs: readonly Tensor[]): Float32Array {
  const { m, n, k, batch, transA, transB, alpha, beta, activation } = o.spec;
  const [a, b] = [xs[0].data, xs[1].data];
  const y = new Float32Array(batch * m * n);
  for (let z = 0; z < batch; z++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += a[z * m * k + (transA ? q * m + i : i * k + q)] * b[z * k * n + (transB ? j * k + q : q * n + j)];
        let v = alpha * s + (o.spec.biasShape ? beta * at(xs[2], [m, n], i * n + j) : 0);
        if (activation.kind === 'relu') v = v < 0 ? 0 : v;
        if (activation.kind === 'clamp') v = Math.min(Math.max(v, activation.min), activation.max);
        y[z * m * n + i * n + j] = v;
      }
  return y;
}
