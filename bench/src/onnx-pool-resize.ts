import { type OpSpec, opOutputShape, Tensor } from '@convroute/core';
import * as ort from 'onnxruntime-node';
import { encodeNodeModel, type OnnxNodeModel } from './onnx-node-model.ts';

/** The one-node ONNX model of a pooling, reduction, shape or resize spec (ONNX pads order
 * [top, left, bottom, right] = convroute's padding). */
export function poolResizeModel(op: OpSpec): OnnxNodeModel {
  const output = opOutputShape(op);
  switch (op.op) {
    case 'maxpool':
    case 'averagepool': {
      const s = op.spec;
      const attributes: OnnxNodeModel['attributes'] = {
        kernel_shape: s.kernel,
        strides: s.stride,
        pads: s.padding,
        dilations: s.dilation,
        ceil_mode: s.ceilMode ? 1 : 0,
      };
      if (op.op === 'averagepool') attributes.count_include_pad = op.spec.countIncludePad ? 1 : 0;
      return { opType: op.op === 'maxpool' ? 'MaxPool' : 'AveragePool', opset: 19, inputs: [{ name: 'X0', shape: s.input }], attributes, output };
    }
    case 'globalaveragepool':
      return { opType: 'GlobalAveragePool', opset: 19, inputs: [{ name: 'X0', shape: op.spec.input }], attributes: {}, output };
    case 'reducemean':
      // opset 17: axes is still an attribute
      return {
        opType: 'ReduceMean',
        opset: 17,
        inputs: [{ name: 'X0', shape: op.spec.input }],
        attributes: { axes: op.spec.axes, keepdims: op.spec.keepdims ? 1 : 0 },
        output,
      };
    case 'resize': {
      const s = op.spec;
      return {
        opType: 'Resize',
        opset: 19,
        inputs: [{ name: 'X0', shape: s.input }],
        // roi omitted; the spec's float32 scales (given, or sizes / in)
        constants: ['', { type: 'float', dims: [s.scales.length], values: s.scales }],
        attributes: { mode: s.mode, coordinate_transformation_mode: s.coordinateTransformationMode, nearest_mode: s.nearestMode },
        output,
      };
    }
    case 'concat':
      return {
        opType: 'Concat',
        opset: 19,
        inputs: op.spec.inputs.map((shape, i) => ({ name: `X${i}`, shape })),
        attributes: { axis: op.spec.axis },
        output,
      };
    case 'reshape':
      return {
        opType: 'Reshape',
        opset: 19,
        inputs: [{ name: 'X0', shape: op.spec.input }],
        constants: [{ type: 'int64', dims: [op.spec.shape.length], values: op.spec.shape }],
        attributes: { allowzero: op.spec.allowzero ? 1 : 0 },
        output,
      };
    case 'flatten':
      return { opType: 'Flatten', opset: 19, inputs: [{ name: 'X0', shape: op.spec.input }], attributes: { axis: op.spec.axis }, output };
    case 'transpose':
      return { opType: 'Transpose', opset: 19, inputs: [{ name: 'X0', shape: op.spec.input }], attributes: { perm: op.spec.perm }, output };
    case 'squeeze':
    case 'unsqueeze':
      return {
        opType: op.op === 'squeeze' ? 'Squeeze' : 'Unsqueeze',
        opset: 19,
        inputs: [{ name: 'X0', shape: op.spec.input }],
        constants: [{ type: 'int64', dims: [op.spec.axes.length], values: op.spec.axes }],
        attributes: {},
        output,
      };
    case 'pad':
      return {
        opType: 'Pad',
        opset: 19,
        inputs: [{ name: 'X0', shape: op.spec.input }],
        constants: [
          { type: 'int64', dims: [op.spec.pads.length], values: op.spec.pads },
          { type: 'float', dims: [], values: [op.spec.value] },
        ],
        attributes: { mode: 'constant' },
        output,
      };
    default:
      throw new Error(`poolResizeModel: ${op.op} is not a pooling, reduction, shape or resize op`);
  }
}

/** Runs the op on ONNX Runtime's CPU provider (one thread, no graph optimisations). */
export async function onnxPoolResize(op: OpSpec, inputs: readonly Tensor[]): Promise<Tensor> {
  const session = await ort.InferenceSession.create(encodeNodeModel(poolResizeModel(op)), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'disabled',
  });
  try {
    const feeds = Object.fromEntries(inputs.map((t, i) => [`X${i}`, new ort.Tensor('float32', t.data.slice(), t.shape)]));
    const y = (await session.run(feeds)).Y;
    const out = opOutputShape(op);
    if (y.dims.join() !== out.join()) throw new Error(`ORT output shape [${y.dims}] differs from convroute's [${out}] for ${op.op}`);
    return Tensor.fromData((y.data as Float32Array).slice(), out);
  } finally {
    await session.release();
  }
}
