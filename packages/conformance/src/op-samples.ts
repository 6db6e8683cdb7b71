import {
  addSpec,
  averagepoolSpec,
  batchnormalizationSpec,
  clipSpec,
  concatSpec,
  conv2dSpec,
  divSpec,
  flattenSpec,
  gemmSpec,
  globalaveragepoolSpec,
  hardsigmoidSpec,
  hardswishSpec,
  identitySpec,
  im2colSpec,
  leakyreluSpec,
  matmulSpec,
  maxpoolSpec,
  mulSpec,
  OP_NAMES,
  type OpName,
  type OpSpec,
  opOutputShape,
  padSpec,
  reducemeanSpec,
  reluSpec,
  reshapeSpec,
  resizeSpec,
  type Shape,
  shapeSize,
  sigmoidSpec,
  softmaxSpec,
  squeezeSpec,
  subSpec,
  Tensor,
  transposeSpec,
  uniformData,
  unsqueezeSpec,
} from '@convroute/core';

/** One small instance of every IR op with its input shapes, so a suite can walk every op (and a
 * new op cannot be forgotten: `opSamples` covers OP_NAMES or throws). */
const x4 = [2, 3, 5, 6];
const SAMPLES: Record<OpName, () => { op: OpSpec; shapes: Shape[] }> = {
  conv2d: () => ({ op: { op: 'conv2d', spec: conv2dSpec({ input: x4, weight: [4, 3, 3, 3], bias: true }) }, shapes: [x4, [4, 3, 3, 3], [4]] }),
  im2col: () => ({ op: { op: 'im2col', spec: im2colSpec({ input: x4, kernel: 2 }) }, shapes: [x4] }),
  gemm: () => ({
    op: { op: 'gemm', spec: gemmSpec({ a: [3, 4], b: [4, 5], biasShape: [3, 1], alpha: 0.5, beta: 2 }) },
    shapes: [
      [3, 4],
      [4, 5],
      [3, 1],
    ],
  }),
  add: () => ({ op: { op: 'add', spec: addSpec({ a: x4, b: [3, 1, 1] }) }, shapes: [x4, [3, 1, 1]] }),
  sub: () => ({ op: { op: 'sub', spec: subSpec({ a: [6], b: x4 }) }, shapes: [[6], x4] }),
  mul: () => ({ op: { op: 'mul', spec: mulSpec({ a: x4, b: [] }) }, shapes: [x4, []] }),
  div: () => ({ op: { op: 'div', spec: divSpec({ a: x4, b: x4 }) }, shapes: [x4, x4] }),
  relu: () => ({ op: { op: 'relu', spec: reluSpec({ input: x4 }) }, shapes: [x4] }),
  sigmoid: () => ({ op: { op: 'sigmoid', spec: sigmoidSpec({ input: x4 }) }, shapes: [x4] }),
  hardsigmoid: () => ({ op: { op: 'hardsigmoid', spec: hardsigmoidSpec({ input: x4 }) }, shapes: [x4] }),
  hardswish: () => ({ op: { op: 'hardswish', spec: hardswishSpec({ input: x4 }) }, shapes: [x4] }),
  leakyrelu: () => ({ op: { op: 'leakyrelu', spec: leakyreluSpec({ input: x4 }) }, shapes: [x4] }),
  clip: () => ({ op: { op: 'clip', spec: clipSpec({ input: x4, min: 0, max: 6 }) }, shapes: [x4] }),
  identity: () => ({ op: { op: 'identity', spec: identitySpec({ input: x4 }) }, shapes: [x4] }),
  batchnormalization: () => ({ op: { op: 'batchnormalization', spec: batchnormalizationSpec({ input: x4 }) }, shapes: [x4, [3], [3], [3], [3]] }),
  softmax: () => ({ op: { op: 'softmax', spec: softmaxSpec({ input: x4, axis: 1 }) }, shapes: [x4] }),
  matmul: () => ({
    op: { op: 'matmul', spec: matmulSpec({ a: [2, 1, 3, 4], b: [3, 4, 5] }) },
    shapes: [
      [2, 1, 3, 4],
      [3, 4, 5],
    ],
  }),
  maxpool: () => ({ op: { op: 'maxpool', spec: maxpoolSpec({ input: x4, kernel: 2, stride: 2, ceilMode: true }) }, shapes: [x4] }),
  averagepool: () => ({ op: { op: 'averagepool', spec: averagepoolSpec({ input: x4, kernel: 3, padding: 1 }) }, shapes: [x4] }),
  globalaveragepool: () => ({ op: { op: 'globalaveragepool', spec: globalaveragepoolSpec({ input: x4 }) }, shapes: [x4] }),
  reducemean: () => ({ op: { op: 'reducemean', spec: reducemeanSpec({ input: x4, axes: [2, 3] }) }, shapes: [x4] }),
  concat: () => ({ op: { op: 'concat', spec: concatSpec({ inputs: [x4, [2, 1, 5, 6]], axis: 1 }) }, shapes: [x4, [2, 1, 5, 6]] }),
  reshape: () => ({ op: { op: 'reshape', spec: reshapeSpec({ input: x4, shape: [0, -1] }) }, shapes: [x4] }),
  flatten: () => ({ op: { op: 'flatten', spec: flattenSpec({ input: x4 }) }, shapes: [x4] }),
  transpose: () => ({ op: { op: 'transpose', spec: transposeSpec({ input: x4, perm: [0, 2, 3, 1] }) }, shapes: [x4] }),
  squeeze: () => ({ op: { op: 'squeeze', spec: squeezeSpec({ input: [2, 1, 5] }) }, shapes: [[2, 1, 5]] }),
  unsqueeze: () => ({ op: { op: 'unsqueeze', spec: unsqueezeSpec({ input: x4, axes: [0] }) }, shapes: [x4] }),
  pad: () => ({ op: { op: 'pad', spec: padSpec({ input: x4, pads: [0, 0, 1, 2, 0, 0, 2, 1] }) }, shapes: [x4] }),
  resize: () => ({ op: { op: 'resize', spec: resizeSpec({ input: x4, scales: [1, 1, 2, 2], mode: 'linear' }) }, shapes: [x4] }),
};

export interface OpSample {
  op: OpSpec;
  inputs: Tensor[];
  outputShape: number[];
}

/** One sample of every op in OP_NAMES, inputs uniform in [-1, 1) from `seed`. */
export function opSamples(seed = 1): OpSample[] {
  return OP_NAMES.map((name, i) => {
    const make = SAMPLES[name];
    if (!make) throw new Error(`opSamples: no sample for op ${name}`);
    const { op, shapes } = make();
    const inputs = shapes.map((s, j) => Tensor.fromData(uniformData(shapeSize(s), seed * 1000 + i * 10 + j), s));
    return { op, inputs, outputShape: opOutputShape(op) };
  });
}
