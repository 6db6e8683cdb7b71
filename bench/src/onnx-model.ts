import { type Conv2dSpec, conv2dBiasShape, conv2dOutputShape } from '@convroute/core';
import { encodeOnnx } from '@convroute/onnx';

/** The one-node ONNX model (Conv or ConvTranspose, opset 17) that computes `spec` without its
 * activation: inputs X, W[, B], output Y, written with @convroute/onnx's encoder (the official
 * onnx.proto's types). Pads in ONNX order [x1_begin, x2_begin, x1_end, x2_end] = [top, left,
 * bottom, right]. */
export function convModelFor(spec: Conv2dSpec): Uint8Array {
  const inputs = [
    { name: 'X', dims: [...spec.input] },
    { name: 'W', dims: [...spec.weight] },
  ];
  if (spec.bias) inputs.push({ name: 'B', dims: conv2dBiasShape(spec) });
  const attrs: Record<string, number[] | number> = {
    kernel_shape: [spec.weight[2], spec.weight[3]],
    strides: [...spec.stride],
    pads: [...spec.padding],
    dilations: [...spec.dilation],
    group: spec.groups,
  };
  if (spec.transposed) attrs.output_padding = [...spec.outputPadding];
  return encodeOnnx({
    opset: 17,
    inputs,
    outputs: [{ name: 'Y', dims: conv2dOutputShape(spec) }],
    nodes: [{ op: spec.transposed ? 'ConvTranspose' : 'Conv', name: 'conv', inputs: inputs.map((i) => i.name), outputs: ['Y'], attrs }],
  });
}
