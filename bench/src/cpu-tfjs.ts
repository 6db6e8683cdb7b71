// tfjs-cpu (the @tensorflow/tfjs-backend-cpu 4.22 kernels) for one convroute conv spec: NHWC data
// and HWIO / HWC1 filters prepared outside the timed region.
import type { Conv2dSpec } from '@convroute/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

export async function initTfjsCpu(): Promise<void> {
  // tfjs prints a hint to install tfjs-node; keep the benchmark output clean.
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
  await tf.ready();
}

export interface TfjsConv {
  /** runs the conv and returns the NCHW result (the transpose is outside the timed call) */
  run(): tf.Tensor4D;
  toNchw(y: tf.Tensor4D): Float32Array;
  dispose(): void;
}

/** Builds a tfjs conv for a forward spec (groups 1, or depthwise with groups == C_in == C_out). */
export function tfjsConv(spec: Conv2dSpec, x: Float32Array, w: Float32Array): TfjsConv {
  const [n, c, h, wd] = spec.input;
  const [cOut, cInG, kH, kW] = spec.weight;
  const depthwise = spec.groups > 1;
  if (spec.transposed || (depthwise && !(spec.groups === c && cOut === c && cInG === 1))) {
    throw new Error('tfjs-cpu comparison covers forward convs with groups 1 or depthwise');
  }
  const xt = tf.tidy(() => tf.transpose(tf.tensor4d(x, [n, c, h, wd]), [0, 2, 3, 1]) as tf.Tensor4D);
  // OIHW -> HWIO (conv2d) or HW C 1 (depthwise)
  const wt = tf.tidy(() => {
    const t = tf.tensor4d(w, [cOut, cInG, kH, kW]);
    return tf.transpose(t, depthwise ? [2, 3, 0, 1] : [2, 3, 1, 0]) as tf.Tensor4D;
  });
  const [top, left, bottom, right] = spec.padding;
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
  const stride = spec.stride;
  const dil = spec.dilation;
  return {
    run() {
      const y = depthwise ? tf.depthwiseConv2d(xt, wt, stride, pad, 'NHWC', dil) : tf.conv2d(xt, wt, stride, pad, 'NHWC', dil);
      y.dataSync();
      return y;
    },
    toNchw(y) {
      const t = tf.transpose(y, [0, 3, 1, 2]);
      const d = t.dataSync() as Float32Array;
      t.dispose();
      return d;
    },
    dispose() {
      xt.dispose();
      wt.dispose();
    },
  };
}
