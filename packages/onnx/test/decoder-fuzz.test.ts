import { ConvrouteError } from '@convroute/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeOnnx, loadOnnx, type OnnxAttrValue } from '../src/index.ts';
import { fcParams } from './fc-params.ts';
import { convModel } from './onnx-models.ts';

// Models are untrusted: any bytes either load or fail with a ConvrouteError, never another
// exception, and quickly (each case is bounded by vitest's timeout; the limits bound the work).
async function onlyConvrouteErrors(bytes: Uint8Array): Promise<void> {
  try {
    await loadOnnx(bytes, { limits: { maxTensorElements: 2 ** 20, maxTotalElements: 2 ** 21 } });
  } catch (e) {
    if (!(e instanceof ConvrouteError)) throw e;
  }
}

const valid = convModel([{ op: 'Relu', inputs: ['c'], outputs: ['y'] }], 'y');

describe('the ONNX decoder on hostile bytes', () => {
  it('random bytes give only ConvrouteErrors', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), onlyConvrouteErrors), fcParams('onnx random bytes', 300));
  });

  it('a valid model with bytes flipped, cut or inserted gives only ConvrouteErrors', async () => {
    const mutation = fc.record({
      flips: fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      cut: fc.nat(valid.length),
      insert: fc.tuple(fc.nat(valid.length), fc.uint8Array({ maxLength: 16 })),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ flips, cut, insert }) => {
        const b = Uint8Array.from(valid);
        for (const [i, v] of flips) b[i] = v;
        const [at, extra] = insert;
        const mutated = new Uint8Array([...b.subarray(0, at), ...extra, ...b.subarray(at, cut < at ? valid.length : cut)]);
        await onlyConvrouteErrors(mutated);
      }),
      fcParams('onnx mutated model', 300),
    );
  });

  it('refuses a model over maxBytes before decoding it', async () => {
    await expect(loadOnnx(valid, { limits: { maxBytes: 100 } })).rejects.toMatchObject({ code: 'TOO_LARGE', field: 'model' });
  });
});

// Structure-aware: well-formed protobuf, random graphs over every op the importer knows (and a
// few it does not), random inputs and attributes. Reaches the importers and passes, not only the
// decoder; every outcome is a graph or a ConvrouteError.
const OPS = [
  ...['Conv', 'Gemm', 'MatMul', 'Add', 'Sub', 'Mul', 'Div', 'Relu', 'Sigmoid', 'HardSwish', 'HardSigmoid', 'LeakyRelu', 'Clip', 'Identity'],
  ...['Dropout', 'BatchNormalization', 'Softmax', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'ReduceMean', 'Concat', 'Reshape'],
  ...['Flatten', 'Transpose', 'Squeeze', 'Unsqueeze', 'Pad', 'Resize', 'Shape', 'Gather', 'Slice', 'Cast', 'Constant', 'ConstantOfShape'],
  ...['If', 'LSTM'],
];
const ATTRS: [string, OnnxAttrValue][] = [
  ['axis', 1],
  ['axis', -1],
  ['axis', 7],
  ['axes', [0]],
  ['axes', [-1, 2]],
  ['perm', [0, 2, 3, 1]],
  ['perm', [1, 1]],
  ['kernel_shape', [2, 2]],
  ['kernel_shape', [0, 3]],
  ['strides', [2, 2]],
  ['pads', [1, 1, 1, 1]],
  ['pads', [-1, 0, 0, 0]],
  ['auto_pad', 'SAME_UPPER'],
  ['auto_pad', 'bogus'],
  ['group', 2],
  ['transB', 1],
  ['alpha', { float: 0.5 }],
  ['to', 1],
  ['to', 7],
  ['value', { dims: [1], data: [3], dtype: 'int64' }],
  ['value', { dims: [2, 2], data: new Float32Array(4) }],
  ['mode', 'linear'],
  ['epsilon', { float: 1e-5 }],
  ['keepdims', 0],
  ['storage_order', 1],
];

describe('the importer on random well-formed graphs', () => {
  it('gives a graph or a ConvrouteError, never another exception', async () => {
    const values = ['x', 'w4', 'b4', 'shape', 'axes0', 'scalar', 'sizes'];
    const nodeArb = fc.record({
      op: fc.constantFrom(...OPS),
      inputs: fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 5 }),
      attrs: fc.uniqueArray(fc.constantFrom(...ATTRS), { maxLength: 3, selector: ([k]) => k }),
    });
    const prop = fc.asyncProperty(fc.array(nodeArb, { minLength: 1, maxLength: 6 }), fc.constantFrom(11, 13, 17, 18, 21), async (nodes, opset) => {
      const names = [...values];
      const onnxNodes = nodes.map((n, i) => {
        const inputs = n.inputs.map((k) => (k >= names.length ? '' : names[k]));
        const out = `n${i}`;
        names.push(out);
        return { op: n.op, inputs, outputs: [out], attrs: Object.fromEntries(n.attrs) };
      });
      const bytes = encodeOnnx({
        opset,
        inputs: [{ name: 'x', dims: [1, 4, 6, 6] }],
        outputs: [{ name: names[names.length - 1] }],
        initializers: [
          { name: 'w4', dims: [4, 4, 3, 3], data: new Float32Array(144).fill(0.5) },
          { name: 'b4', dims: [4], data: new Float32Array(4) },
          { name: 'shape', dims: [2], data: [1, -1], dtype: 'int64' },
          { name: 'axes0', dims: [1], data: [0], dtype: 'int64' },
          { name: 'scalar', dims: [], data: new Float32Array([1]) },
          { name: 'sizes', dims: [4], data: [1, 4, 12, 12], dtype: 'int64' },
        ],
        nodes: onnxNodes,
      });
      await onlyConvrouteErrors(bytes);
    });
    await fc.assert(prop, fcParams('onnx random graphs', 300));
  });
});
