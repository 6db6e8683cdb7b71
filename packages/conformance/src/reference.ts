import { conv2dAbs, conv2dExact, gemmAbs, gemmExact, im2colExact } from '@convroute/backend-cpu';
import type { Conv2dSpec, GemmSpec, Im2colSpec, Tensor } from '@convroute/core';

/** The exact CPU reference (DESIGN.md, "An exact reference") with A, the absolute-value
 * convolution of the error model. The only file here that calls the CPU backend's functions. */
export interface Referenced {
  y: Tensor;
  abs: Tensor;
}

export async function referenceConv2d(spec: Conv2dSpec, inputs: readonly Tensor[]): Promise<Referenced> {
  const [x, w, b] = inputs;
  return { y: await conv2dExact(spec, x, w, b), abs: await conv2dAbs(spec, x, w, b) };
}

export async function referenceGemm(spec: GemmSpec, inputs: readonly Tensor[]): Promise<Referenced> {
  const [a, b, bias] = inputs;
  return { y: await gemmExact(spec, a, b, bias), abs: await gemmAbs(spec, a, b, bias) };
}

export async function referenceIm2col(spec: Im2colSpec, x: Tensor): Promise<Tensor> {
  return await im2colExact(spec, x);
}
