import { type BatchnormalizationSpec, type SoftmaxSpec, Tensor } from '@convroute/core';

type Mode = 'exact' | 'fast';
const f32 = Math.fround;

/**
 * batchnormalization (docs/semantics.md): ONNX's formula (x - mean) / sqrt(var + epsilon) * scale
 * + bias in float32 with every step correctly rounded (each is one +, -, *, / or sqrt of float32
 * values computed in double and rounded once, which is innocuous: Figueroa 1995). That is a plain
 * float32 evaluation, so fast mode computes the same. (The folded form x * a + b that a graph pass
 * or a GPU kernel uses differs in rounding, and gives NaN for an infinite scale where this gives
 * an infinity.)
 */
export function batchnormalization(spec: BatchnormalizationSpec, x: Tensor, scale: Tensor, bias: Tensor, mean: Tensor, variance: Tensor): Tensor {
  const [n, c] = spec.input;
  const inner = spec.input.slice(2).reduce((p, d) => p * d, 1);
  const xv = x.data;
  const out = new Float32Array(xv.length);
  const [sc, bi, me, va] = [scale.data, bias.data, mean.data, variance.data];
  for (let ch = 0; ch < c; ch++) {
    const s = f32(Math.sqrt(f32(va[ch] + spec.epsilon)));
    for (let img = 0; img < n; img++) {
      const base = (img * c + ch) * inner;
      for (let i = base; i < base + inner; i++) out[i] = f32(f32(f32(f32(xv[i] - me[ch]) / s) * sc[ch]) + bi[ch]);
    }
  }
  return Tensor.fromData(out, spec.input);
}

/**
 * softmax along one axis: y_i = exp(x_i - max) / sum_j exp(x_j - max). Exact mode computes in
 * double and rounds once (the bound on the double value: docs/semantics.md); fast mode rounds
 * every step to float32 and sums in float32, j ascending.
 */
export function softmax(spec: SoftmaxSpec, x: Tensor, mode: Mode): Tensor {
  const shape = spec.input;
  const len = shape[spec.axis];
  const inner = shape.slice(spec.axis + 1).reduce((p, d) => p * d, 1);
  const outer = shape.slice(0, spec.axis).reduce((p, d) => p * d, 1);
  const xv = x.data;
  const out = new Float32Array(xv.length);
  const e = new Float64Array(len);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let max = Number.NEGATIVE_INFINITY;
      let nan = false;
      for (let j = 0; j < len; j++) {
        const v = xv[base + j * inner];
        if (v > max) max = v;
        else if (Number.isNaN(v)) nan = true;
      }
      // NaN anywhere in the slice makes every output NaN, as exp(NaN) enters the sum.
      if (nan) max = Number.NaN;
      let sum = 0;
      for (let j = 0; j < len; j++) {
        const v = xv[base + j * inner];
        e[j] = mode === 'exact' ? Math.exp(v - max) : f32(Math.exp(f32(v - max)));
        sum = mode === 'exact' ? sum + e[j] : f32(sum + e[j]);
      }
      for (let j = 0; j < len; j++) out[base + j * inner] = e[j] / sum;
    }
  }
  return Tensor.fromData(out, shape);
}
