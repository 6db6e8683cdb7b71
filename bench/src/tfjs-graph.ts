// A core Graph run with tfjs ops (NHWC), the same weights convroute runs: the whole-model bench's
// tfjs contender. Covers the ops of the networks in @convroute/core (conv, batchnorm, relu, clip,
// add, max-pool, global average pool, flatten, gemm, concat); anything else is refused by name.
import type { Graph, GraphNode } from '@convroute/core';

// biome-ignore lint/suspicious/noExplicitAny: tfjs is loaded dynamically (webgpu-tfjs.ts)
type Tf = any;
// biome-ignore lint/suspicious/noExplicitAny: tfjs tensors
type T = any;

/** Constants as tfjs tensors in the layouts its ops take: conv weights HWIO (depthwise HW-C-1). */
function uploadConstants(tf: Tf, graph: Graph): Map<string, T> {
  const env = new Map<string, T>();
  for (const node of graph.nodes) {
    if (node.op.op !== 'conv2d') continue;
    const s = node.op.spec;
    const w = graph.values.get(node.inputs[1])!;
    const depthwise = s.groups > 1;
    if (depthwise && !(s.groups === s.input[1] && s.weight[0] === s.groups && s.weight[1] === 1))
      throw new Error(`tfjs-graph: ${node.id} is a grouped conv tfjs has no op for`);
    env.set(
      node.inputs[1],
      tf.tidy(() => tf.transpose(tf.tensor4d(w.tensor!.data, w.shape), depthwise ? [2, 3, 0, 1] : [2, 3, 1, 0])),
    );
  }
  for (const v of graph.values.values()) if (v.kind === 'constant' && !env.has(v.name)) env.set(v.name, tf.tensor(v.tensor!.data, v.shape));
  return env;
}

function runNode(tf: Tf, node: GraphNode, x: T[]): T {
  const { op } = node;
  switch (op.op) {
    case 'conv2d': {
      const s = op.spec;
      const [top, left, bottom, right] = s.padding;
      const pad = [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ];
      const args = { x: x[0], filter: x[1], strides: s.stride, pad, dataFormat: 'NHWC', dilations: s.dilation, bias: x[2] };
      return s.groups > 1 ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args);
    }
    case 'batchnormalization':
      // tf.batchNorm(x, mean, variance, offset, scale, epsilon) over the last (channel) axis.
      return tf.batchNorm(x[0], x[3], x[4], x[2], x[1], op.spec.epsilon);
    case 'relu':
      return tf.relu(x[0]);
    case 'clip':
      return tf.clipByValue(x[0], op.spec.min, op.spec.max);
    case 'add':
      return tf.add(x[0], x[1]);
    case 'maxpool': {
      const s = op.spec;
      if (s.ceilMode || s.dilation.some((d) => d !== 1)) break;
      const [top, left, bottom, right] = s.padding;
      // Padding as -inf then a valid pool: ONNX's max ignores padded taps.
      const padded =
        top + left + bottom + right
          ? tf.pad(
              x[0],
              [
                [0, 0],
                [top, bottom],
                [left, right],
                [0, 0],
              ],
              Number.NEGATIVE_INFINITY,
            )
          : x[0];
      return tf.maxPool(padded, s.kernel, s.stride, 'valid');
    }
    case 'globalaveragepool':
      return tf.mean(x[0], [1, 2], true);
    case 'flatten':
      // After a global pool H = W = 1, so NHWC's flatten order equals NCHW's.
      if (op.spec.input.length === 4 && op.spec.input[2] * op.spec.input[3] !== 1) break;
      return tf.reshape(x[0], op.spec.output);
    case 'gemm': {
      const s = op.spec;
      if (s.alpha !== 1 || s.beta !== 1 || s.a.length !== 2) break;
      const y = tf.matMul(x[0], x[1], s.transA, s.transB);
      return x[2] ? tf.add(y, x[2]) : y;
    }
    case 'concat':
      if (op.spec.axis !== 1 || op.spec.inputs[0].length !== 4) break;
      return tf.concat(x, 3);
  }
  throw new Error(`tfjs-graph: node ${node.id} (${op.op}) has no tfjs mapping here`);
}

/** The graph as a tfjs program: `run(x)` takes the NCHW input data and returns the output tensor
 * (NHWC intermediates freed as it goes); `read` brings an output back as NCHW data. */
export function tfjsGraph(tf: Tf, graph: Graph) {
  const constants = uploadConstants(tf, graph);
  const [inputName] = graph.inputs;
  const inShape = graph.values.get(inputName)!.shape;
  const run = (data: Float32Array): T =>
    tf.tidy(() => {
      const env = new Map<string, T>(constants);
      env.set(inputName, tf.transpose(tf.tensor4d(data, inShape), [0, 2, 3, 1]));
      for (const node of graph.nodes)
        env.set(
          node.output,
          runNode(
            tf,
            node,
            node.inputs.map((v) => env.get(v)),
          ),
        );
      return env.get(graph.outputs[0]);
    });
  return {
    run,
    /** The output's data (rank 2 here: no layout change). */
    read: async (y: T): Promise<Float32Array> => Float32Array.from(await y.data()),
    dispose: () => {
      for (const t of constants.values()) t.dispose();
    },
  };
}
