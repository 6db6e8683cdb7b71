/** Small ONNX models for the importer's tests, written with encodeOnnx. */
import { seededRandom } from '@convroute/core';
import { encodeOnnx, type OnnxModelInit, type OnnxNodeInit } from '../src/index.ts';

export function randomData(n: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  return Float32Array.from({ length: n }, () => rand() * 2 - 1);
}

/** x [1, 3, 8, 8] -> Conv 4x3x3x3 (pads 1) + bias -> the given tail nodes, reading 'c'. */
export function convModel(tail: OnnxNodeInit[], output: string, over: Partial<OnnxModelInit> = {}): Uint8Array {
  return encodeOnnx({
    opset: 13,
    inputs: [{ name: 'x', dims: [1, 3, 8, 8] }],
    outputs: [{ name: output }],
    initializers: [
      { name: 'w', dims: [4, 3, 3, 3], data: randomData(108, 1) },
      { name: 'b', dims: [4], data: randomData(4, 2) },
    ],
    nodes: [{ op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attrs: { pads: [1, 1, 1, 1], kernel_shape: [3, 3] } }, ...tail],
    ...over,
  });
}
