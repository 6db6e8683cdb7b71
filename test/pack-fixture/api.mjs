// Run by test/pack.test.ts with plain Node in a project that installed the packed tarballs.
import { ConvrouteError, conv2d, loadGraphJson, runModel, Tensor, writeNpy } from 'convroute';

// Sobel-x with padding 1 and a bias: small integers, so the right answer is known exactly.
const x = Tensor.fromData(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), [1, 1, 3, 3]);
const w = Tensor.fromData(new Float32Array([1, 0, -1, 2, 0, -2, 1, 0, -1]), [1, 1, 3, 3]);
const b = Tensor.fromData(new Float32Array([0.5]), [1]);
const sobel = await conv2d(x, w, b, { padding: 1, backend: 'cpu', mode: 'exact' });

// 1 + 2^-24 + 2^-24 is 1 + 2^-23, a float32; summing in float32 from the left gives 1.
const tiny = 2 ** -24;
const row = Tensor.fromData(new Float32Array([1, tiny, tiny]), [1, 1, 1, 3]);
const ones = Tensor.fromData(new Float32Array([1, 1, 1]), [1, 1, 1, 3]);
const rounding = await conv2d(row, ones, undefined, { backend: 'cpu', mode: 'exact' });

// A model: graph JSON (validated against the schema shipped in @convroute/core) with a .npy weight.
const graph = await loadGraphJson(
  {
    format: 'convroute-graph',
    version: 1,
    inputs: [{ name: 'x', shape: [1, 1, 3, 3] }],
    constants: [{ name: 'w', shape: [1, 1, 3, 3], npy: 'w.npy' }],
    nodes: [{ id: 'c', op: 'conv2d', inputs: ['x', 'w'], output: 'y', attrs: { padding: 1 } }],
    outputs: ['y'],
  },
  { readNpyFile: async () => writeNpy(w) },
);
const model = await runModel(graph, { x }, { backend: 'cpu', mode: 'exact' });

// Errors thrown inside @convroute/core are the ConvrouteError that convroute exports (one copy).
let refusal = 'accepted';
try {
  await conv2d(x, w, undefined, { stride: 0, backend: 'cpu' });
} catch (e) {
  refusal = e instanceof ConvrouteError ? e.code : `not a ConvrouteError: ${e}`;
}

console.log(
  JSON.stringify({
    sobel: Array.from(sobel.output.data),
    description: sobel.backend.description,
    rounding: rounding.output.data[0],
    model: Array.from(model.outputs.y.data),
    refusal,
  }),
);
