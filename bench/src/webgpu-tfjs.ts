// @tensorflow/tfjs-backend-webgpu 4.22 on the same Dawn adapter as convroute, for one conv spec.
// tfjs registers its backend at import time and reads navigator.gpu then (docs/webgpu-on-linux.md),
// so `initTfjsWebGpu` sets globalThis.navigator before importing it. `tfjsWebGpuPeer` plugs it
// into the bench harness (@convroute/cli) as a contender.
import type { BenchPeer } from '@convroute/cli';
import { type Conv2dSpec, conv2dOutputShape, preparedRun, Tensor } from '@convroute/core';

// biome-ignore lint/suspicious/noExplicitAny: tfjs is loaded dynamically
type Tf = any;
let tf: Tf;

export async function initTfjsWebGpu(gpu: GPU): Promise<string> {
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-webgpu');
  tf.env().set('IS_TEST', true);
  await tf.setBackend('webgpu');
  await tf.ready();
  return tf.getBackend();
}

/** What tfjs has an op for: ungrouped and depthwise convs, and ungrouped, undilated transposed
 * convs (conv2dTranspose) whose output padding fits inside the bottom/right padding. Null when it
 * has one, else why not. */
export function tfjsRejection(spec: Conv2dSpec): string | null {
  const [, c] = spec.input;
  const [cOut, cInG] = spec.weight;
  if (spec.transposed) {
    const [, , bottom, right] = spec.padding;
    const [opH, opW] = spec.outputPadding;
    if (spec.groups !== 1) return 'tfjs has no grouped transposed conv';
    if (!spec.dilation.every((d) => d === 1)) return 'tfjs has no dilated transposed conv';
    return opH <= bottom && opW <= right ? null : 'tfjs needs the output padding inside the bottom/right padding';
  }
  const dw = spec.groups === c && cOut === c && cInG === 1;
  return spec.groups === 1 || dw ? null : 'tfjs has no grouped conv (only depthwise)';
}

/** tfjs-backend-webgpu as a bench contender on convroute's adapter: the conv built outside the
 * timed region, `execute` until one output element is read back (see `run`). */
export const tfjsWebGpuPeer: BenchPeer = {
  name: 'tfjs-webgpu',
  async open({ gpu }) {
    if (!gpu) throw new Error('tfjs-webgpu needs the WebGPU backend (bench --backend webgpu)');
    await initTfjsWebGpu(gpu);
  },
  rejection: tfjsRejection,
  async prepare(spec, inputs) {
    const c = tfjsWebGpuConv(spec, inputs[0].data, inputs[1].data, inputs[2]?.data);
    const outputShape = conv2dOutputShape(spec);
    return preparedRun('tfjs-webgpu', {
      outputShape,
      clock: 'queue',
      execute: async () => {
        await c.run();
        return null;
      },
      read: async () => Tensor.fromData(await c.output(), outputShape),
      release: () => c.dispose(),
    });
  },
};

/** Builds the tfjs conv (NHWC; filters HWIO, or HW-out-in for conv2dTranspose) outside the timed
 * region; `run` waits for the GPU, `output` returns the result in NCHW for verification. */
export function tfjsWebGpuConv(spec: Conv2dSpec, x: Float32Array, w: Float32Array, bias?: Float32Array) {
  const [n, c, h, wd] = spec.input;
  const [w0, w1, kH, kW] = spec.weight;
  const depthwise = !spec.transposed && spec.groups > 1;
  const xt = tf.tidy(() => tf.transpose(tf.tensor4d(x, [n, c, h, wd]), [0, 2, 3, 1]));
  // conv2d: [C_out, C_in, kH, kW] -> [kH, kW, C_in, C_out]; depthwise: [C, 1, kH, kW] -> [kH, kW, C, 1];
  // conv2dTranspose: PyTorch's [C_in, C_out, kH, kW] -> tfjs's [kH, kW, C_out, C_in].
  const perm = depthwise ? [2, 3, 0, 1] : [2, 3, 1, 0];
  const wt = tf.tidy(() => tf.transpose(tf.tensor4d(w, [w0, w1, kH, kW]), perm));
  const bt = bias ? tf.tensor1d(bias) : undefined;
  const [top, left, bottom, right] = spec.padding;
  const conv = () => {
    if (!spec.transposed) {
      // The fused ops add the bias in the conv's epilogue, as convroute's kernels do.
      const pad = [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ];
      const args = { x: xt, filter: wt, strides: spec.stride, pad, dataFormat: 'NHWC', dilations: spec.dilation, bias: bt };
      return depthwise ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args);
    }
    // conv2dTranspose is the input gradient of a conv over the output with padding (top, left)
    // and (bottom - output padding, right - output padding), which maps the output shape back to
    // the input's.
    const [, cOut, hOut, wOut] = conv2dOutputShape(spec);
    const [opH, opW] = spec.outputPadding;
    const pad = [
      [0, 0],
      [top, bottom - opH],
      [left, right - opW],
      [0, 0],
    ];
    const y = tf.conv2dTranspose(xt, wt, [n, hOut, wOut, cOut], spec.stride, pad);
    return bt ? tf.tidy(() => tf.add(y, bt)) : y; // no fused transposed op in tfjs
  };
  return {
    async run(): Promise<void> {
      const y = conv();
      // Reading one element forces tfjs to submit and the GPU to finish the conv (submitQueue +
      // onSubmittedWorkDone returned before the work was done in a trial here).
      const one = tf.slice(y, [0, 0, 0, 0], [1, 1, 1, 1]);
      await one.data();
      one.dispose();
      y.dispose();
    },
    async output(): Promise<Float32Array> {
      const y = tf.tidy(() => tf.transpose(conv(), [0, 3, 1, 2]));
      const data = (await y.data()) as Float32Array;
      y.dispose();
      return data;
    },
    dispose() {
      xt.dispose();
      wt.dispose();
      bt?.dispose();
    },
  };
}
