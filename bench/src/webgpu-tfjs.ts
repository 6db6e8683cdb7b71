// @tensorflow/tfjs-backend-webgpu 4.22 on the same Dawn adapter as convroute, for one conv spec.
// tfjs registers its backend at import time and reads navigator.gpu then (WEBGPU-ON-LINUX.md),
// so `initTfjsWebGpu` sets globalThis.navigator before importing it.
import type { Conv2dSpec } from '@convroute/core';

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

export function tfjsSupports(spec: Conv2dSpec): boolean {
  const [, c] = spec.input;
  const [cOut, cInG] = spec.weight;
  const dw = spec.groups === c && cOut === c && cInG === 1;
  return !spec.transposed && (spec.groups === 1 || dw);
}

/** Builds the tfjs conv (NHWC, HWIO) outside the timed region; `run` waits for queue completion. */
export function tfjsWebGpuConv(spec: Conv2dSpec, x: Float32Array, w: Float32Array) {
  const [n, c, h, wd] = spec.input;
  const [cOut, cInG, kH, kW] = spec.weight;
  const depthwise = spec.groups > 1;
  const xt = tf.tidy(() => tf.transpose(tf.tensor4d(x, [n, c, h, wd]), [0, 2, 3, 1]));
  const wt = tf.tidy(() => tf.transpose(tf.tensor4d(w, [cOut, cInG, kH, kW]), depthwise ? [2, 3, 0, 1] : [2, 3, 1, 0]));
  const [top, left, bottom, right] = spec.padding;
  const pad = [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
  return {
    async run(): Promise<void> {
      const y = depthwise ? tf.depthwiseConv2d(xt, wt, spec.stride, pad, 'NHWC', spec.dilation) : tf.conv2d(xt, wt, spec.stride, pad, 'NHWC', spec.dilation);
      // Reading one element forces tfjs to submit and the GPU to finish the conv (submitQueue +
      // onSubmittedWorkDone returned before the work was done in a trial here).
      const one = tf.slice(y, [0, 0, 0, 0], [1, 1, 1, 1]);
      await one.data();
      one.dispose();
      y.dispose();
    },
    dispose() {
      xt.dispose();
      wt.dispose();
    },
  };
}
