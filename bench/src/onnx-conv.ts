import { applyActivation, type Conv2dSpec, conv2dOutputShape, conv2dSpec, Tensor } from '@convroute/core';
import * as ort from 'onnxruntime-node';
import { convModelFor } from './onnx-model.ts';

/**
 * Runs a convroute conv spec on ONNX Runtime's CPU provider (one thread): Conv or ConvTranspose,
 * pads in ONNX order [x1_begin, x2_begin, x1_end, x2_end] = our [top, left, bottom, right], the
 * transposed weight [C_in, C_out/g, kH, kW] as in convroute. ONNX has no fused activation here, so
 * relu/clamp are applied to ORT's rounded output, which is exactly convroute's semantics.
 */
export async function onnxConv2d(spec: Conv2dSpec, x: Tensor, w: Tensor, bias?: Tensor): Promise<Tensor> {
  if (spec.transposed && spec.outputPadding.some((p, a) => p >= spec.stride[a])) return viaFullOutput(spec, x, w, bias);
  return runOnnx(spec, x, w, bias);
}

/**
 * ORT refuses a ConvTranspose whose output padding is >= the stride ("Computed output shape is
 * inconsistent with input spatial dimensions. output_padding (1) may be too large for stride (1)"):
 * it checks that a forward conv maps the output back to the input size. PyTorch, and convroute,
 * allow output padding < max(stride, dilation). Such specs run on ORT unpadded (the full output,
 * rows 0 .. (H-1)s + d(k-1)), and y[i] = full[i + top]; rows past the full output receive no
 * tap (the largest reachable index is (H-1)s + (k-1)d), so they hold the bias alone.
 */
async function viaFullOutput(spec: Conv2dSpec, x: Tensor, w: Tensor, bias?: Tensor): Promise<Tensor> {
  const fullSpec = conv2dSpec({ ...spec, padding: 0, outputPadding: 0, activation: 'none' });
  const full = await runOnnx(fullSpec, x, w, bias);
  const [n, c, h, wd] = conv2dOutputShape(spec);
  const [, , fh, fw] = full.shape;
  const [top, left] = spec.padding;
  const out = new Float32Array(n * c * h * wd);
  for (let p = 0; p < n * c; p++) {
    const b = bias ? bias.data[p % c] : 0;
    for (let i = 0; i < h; i++)
      for (let j = 0; j < wd; j++) {
        const fi = i + top;
        const fj = j + left;
        const v = fi < fh && fj < fw ? full.data[(p * fh + fi) * fw + fj] : b;
        out[(p * h + i) * wd + j] = applyActivation(spec.activation, v);
      }
  }
  return Tensor.fromData(out, [n, c, h, wd]);
}

async function runOnnx(spec: Conv2dSpec, x: Tensor, w: Tensor, bias?: Tensor): Promise<Tensor> {
  const out = conv2dOutputShape(spec);
  const model = convModelFor(spec);
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'disabled' });
  try {
    const feeds: Record<string, ort.Tensor> = {
      X: new ort.Tensor('float32', x.data.slice(), spec.input),
      W: new ort.Tensor('float32', w.data.slice(), spec.weight),
    };
    if (bias) feeds.B = new ort.Tensor('float32', bias.data.slice(), [bias.size]);
    const result = await session.run(feeds);
    const y = result.Y;
    if (y.dims.join() !== out.join()) throw new Error(`ORT output shape [${y.dims}] differs from convroute's [${out}]`);
    const data = (y.data as Float32Array).map((v) => applyActivation(spec.activation, v));
    return Tensor.fromData(data, out);
  } finally {
    await session.release();
  }
}
