import { ConvrouteError, type Graph, type GraphNode } from '@convroute/core';
import { encodeOnnx, type OnnxAttrValue, type OnnxNodeInit, type OnnxTensorInit } from './onnx-writer.ts';

/** The opset the exporter writes: Clip's min/max as inputs (11+), Softmax along one axis (13). */
const EXPORT_OPSET = 13;

/** ONNX's spelling of the IR ops that map one to one (the IR names are ONNX's in lower case). */
const ONNX_NAMES: Record<string, string> = {
  add: 'Add',
  sub: 'Sub',
  mul: 'Mul',
  div: 'Div',
  relu: 'Relu',
  sigmoid: 'Sigmoid',
  identity: 'Identity',
  globalaveragepool: 'GlobalAveragePool',
  matmul: 'MatMul',
};

function pads([top, left, bottom, right]: readonly number[]): number[] {
  return [top, left, bottom, right];
}

/** One IR node as ONNX nodes (and the constants it needs as initializers). */
function exportNode(node: GraphNode, extra: (OnnxTensorInit & { name: string })[]): OnnxNodeInit {
  const { op } = node;
  const base = { name: node.id, inputs: [...node.inputs], outputs: [node.output] };
  const attrs: Record<string, OnnxAttrValue> = {};
  switch (op.op) {
    case 'conv2d': {
      const s = op.spec;
      if (s.transposed || s.activation.kind !== 'none') break;
      return {
        ...base,
        op: 'Conv',
        attrs: { kernel_shape: [s.weight[2], s.weight[3]], strides: [...s.stride], pads: pads(s.padding), dilations: [...s.dilation], group: s.groups },
      };
    }
    case 'batchnormalization':
      return { ...base, op: 'BatchNormalization', attrs: { epsilon: { float: op.spec.epsilon } } };
    case 'clip': {
      // Opset 11+: min and max are inputs; an infinite bound is written as the float32 extreme
      // it acts as (no finite float32 lies beyond it).
      const bound = (name: string, v: number) => {
        const c = `${node.id}.${name}`;
        extra.push({ name: c, dims: [], data: Float32Array.of(Math.max(-3.4028234663852886e38, Math.min(3.4028234663852886e38, v))) });
        return c;
      };
      return { ...base, op: 'Clip', inputs: [node.inputs[0], bound('min', op.spec.min), bound('max', op.spec.max)] };
    }
    case 'maxpool':
    case 'averagepool': {
      const s = op.spec;
      Object.assign(attrs, { kernel_shape: [...s.kernel], strides: [...s.stride], pads: pads(s.padding), ceil_mode: s.ceilMode ? 1 : 0 });
      if (s.dilation.some((d) => d !== 1)) attrs.dilations = [...s.dilation];
      if (op.op === 'averagepool') attrs.count_include_pad = op.spec.countIncludePad ? 1 : 0;
      return { ...base, op: op.op === 'maxpool' ? 'MaxPool' : 'AveragePool', attrs };
    }
    case 'flatten':
      return { ...base, op: 'Flatten', attrs: { axis: op.spec.axis } };
    case 'concat':
      return { ...base, op: 'Concat', attrs: { axis: op.spec.axis } };
    case 'softmax':
      return { ...base, op: 'Softmax', attrs: { axis: op.spec.axis } };
    case 'gemm': {
      const s = op.spec;
      if (s.a.length !== 2 || s.activation.kind !== 'none') break;
      return { ...base, op: 'Gemm', attrs: { transA: s.transA ? 1 : 0, transB: s.transB ? 1 : 0, alpha: { float: s.alpha }, beta: { float: s.beta } } };
    }
    default:
      if (ONNX_NAMES[op.op]) return { ...base, op: ONNX_NAMES[op.op] };
  }
  throw new ConvrouteError(
    'UNSUPPORTED_OP',
    `nodes.${node.id}.op`,
    op.op,
    'exportOnnx writes conv2d (forward, no fused activation), gemm (2-D, no fused activation), batchnormalization, clip, pooling, flatten, concat, softmax and the elementwise ops',
  );
}

/**
 * Writes a graph as an ONNX model (opset 13) with its constants as initializers, so a peer
 * runtime (onnxruntime) runs the very weights convroute runs. Fixed input shapes; every graph
 * output's shape is declared.
 */
export function exportOnnx(graph: Graph): Uint8Array {
  const initializers: (OnnxTensorInit & { name: string })[] = [];
  for (const v of graph.values.values()) {
    if (v.kind !== 'constant') continue;
    if (!v.tensor) throw new ConvrouteError('INVALID_GRAPH', `constants.${v.name}`, undefined, "exportOnnx needs the constants' data");
    initializers.push({ name: v.name, dims: [...v.shape], data: v.tensor.data, raw: true });
  }
  const nodes = graph.nodes.map((n) => exportNode(n, initializers));
  return encodeOnnx({
    opset: EXPORT_OPSET,
    inputs: graph.inputs.map((name) => ({ name, dims: [...graph.values.get(name)!.shape] })),
    outputs: graph.outputs.map((name) => ({ name, dims: [...graph.values.get(name)!.shape] })),
    initializers,
    nodes,
  });
}
