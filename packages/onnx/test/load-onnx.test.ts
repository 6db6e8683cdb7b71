import { createCpuBackend, defaultCpuConvMethod } from '@convroute/backend-cpu';
import { ConvrouteError, type Graph, runGraph, Tensor } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { encodeOnnx, loadOnnx } from '../src/index.ts';
import { convModel, randomData } from './onnx-models.ts';

const x = Tensor.fromData(randomData(192, 7), [1, 3, 8, 8]);

async function run(graph: Graph, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  const route = (spec: Parameters<typeof defaultCpuConvMethod>[0]) => ({ method: defaultCpuConvMethod(spec), reasons: [] });
  return (await runGraph(graph, createCpuBackend({ mode: 'exact' }), feeds, { route })).outputs;
}

async function refused(bytes: Uint8Array, code: string, field: RegExp, options = {}): Promise<ConvrouteError> {
  const e = await loadOnnx(bytes, options).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ConvrouteError);
  expect((e as ConvrouteError).code).toBe(code);
  expect((e as ConvrouteError).field).toMatch(field);
  return e as ConvrouteError;
}

describe('loadOnnx', () => {
  it('imports a conv with its initializers; raw_data, float_data and initializers-as-inputs give one graph', async () => {
    const plain = await loadOnnx(convModel([], 'c'));
    expect(plain.inputs).toEqual(['x']);
    expect(plain.nodes.map((n) => n.op.op)).toEqual(['conv2d']);
    expect(plain.values.get('c')!.shape).toEqual([1, 4, 8, 8]);
    const y = (await run(plain, { x })).c;
    const raw = encodeOnnx({
      opset: 13,
      inputs: [{ name: 'x', dims: [1, 3, 8, 8] }],
      outputs: [{ name: 'c' }],
      initializers: [
        { name: 'w', dims: [4, 3, 3, 3], data: randomData(108, 1), raw: true },
        { name: 'b', dims: [4], data: randomData(4, 2), raw: true },
      ],
      initializersAsInputs: true,
      nodes: [{ op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attrs: { pads: [1, 1, 1, 1] } }],
    });
    const g2 = await loadOnnx(raw);
    expect(g2.inputs).toEqual(['x']);
    expect(Array.from((await run(g2, { x })).c.data)).toEqual(Array.from(y.data));
  });

  it('fuses Conv + Relu and Conv + Clip into the conv activation: the same function', async () => {
    const relu = await loadOnnx(convModel([{ op: 'Relu', inputs: ['c'], outputs: ['y'] }], 'y'));
    expect(relu.nodes).toHaveLength(1);
    const spec = relu.nodes[0].op.spec as { activation: unknown };
    expect(spec.activation).toEqual({ kind: 'relu' });
    const conv = (await run(await loadOnnx(convModel([], 'c')), { x })).c;
    const y = (await run(relu, { x })).y;
    expect(Array.from(y.data)).toEqual(Array.from(conv.data, (v) => (v < 0 ? 0 : v)));
    const clip = await loadOnnx(
      convModel(
        [
          { op: 'Constant', inputs: [], outputs: ['lo'], attrs: { value: { dims: [], data: new Float32Array([0]) } } },
          { op: 'Constant', inputs: [], outputs: ['hi'], attrs: { value: { dims: [], data: new Float32Array([0.25]) } } },
          { op: 'Clip', inputs: ['c', 'lo', 'hi'], outputs: ['y'] },
        ],
        'y',
      ),
    );
    expect((clip.nodes[0].op.spec as { activation: unknown }).activation).toEqual({ kind: 'clamp', min: 0, max: 0.25 });
    expect(Array.from((await run(clip, { x })).y.data)).toEqual(Array.from(conv.data, (v) => Math.min(Math.max(v, 0), 0.25)));
  });

  it('folds Constant arithmetic feeding a weight (rounded once per element to float32)', async () => {
    const bytes = encodeOnnx({
      opset: 17,
      inputs: [{ name: 'x', dims: [1, 3, 8, 8] }],
      outputs: [{ name: 'c' }],
      initializers: [{ name: 'w0', dims: [4, 3, 3, 3], data: randomData(108, 1) }],
      nodes: [
        { op: 'Constant', inputs: [], outputs: ['k'], attrs: { value_float: { float: 0.1 } } },
        { op: 'Mul', inputs: ['w0', 'k'], outputs: ['w'] },
        { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'] },
      ],
    });
    const g = await loadOnnx(bytes);
    expect(g.nodes).toHaveLength(1);
    const w = g.values.get('w')!.tensor!;
    const w0 = randomData(108, 1);
    expect(Array.from(w.data)).toEqual(Array.from(w0, (v) => Math.fround(v * Math.fround(0.1))));
  });

  it('renames ONNX value names that are not IR identifiers, keeping the valid ones', async () => {
    const g = await loadOnnx(convModel([{ op: 'Relu', inputs: ['c'], outputs: ['/relu/Relu_output_0'] }], '/relu/Relu_output_0'));
    expect(g.outputs).toEqual(['v_/relu/Relu_output_0']);
  });

  it('takes symbolic input dims from inputShapes, and refuses them without it', async () => {
    const bytes = convModel([], 'c', { inputs: [{ name: 'x', dims: ['N', 3, 8, 8] }] });
    await refused(bytes, 'INVALID_ARGUMENT', /graph\.input\[0\].*shape\[0\]/);
    const g = await loadOnnx(bytes, { inputShapes: { x: [2, 3, 8, 8] } });
    expect(g.values.get('c')!.shape).toEqual([2, 4, 8, 8]);
    await refused(bytes, 'INVALID_ARGUMENT', /inputShapes/, { inputShapes: { y: [1, 3, 8, 8] } });
    await refused(bytes, 'INVALID_ARGUMENT', /inputShapes\.x/, { inputShapes: { x: [1, 3, 9, 8] } });
  });
});

describe('loadOnnx refuses what it does not support, naming node, op, opset and attribute', () => {
  it('opsets outside 11..21 and other domains', async () => {
    await refused(convModel([], 'c', { opset: 10 }), 'UNSUPPORTED_OP', /opset_import/);
    await refused(convModel([], 'c', { opset: 22 }), 'UNSUPPORTED_OP', /opset_import/);
    const e = await refused(
      convModel([{ op: 'Gelu', inputs: ['c'], outputs: ['y'], domain: 'com.microsoft', name: 'g1' }], 'y'),
      'UNSUPPORTED_OP',
      /node "g1" \(Gelu, opset 13\)\.domain/,
    );
    expect(e.value).toBe('com.microsoft');
  });

  it('unknown ops, and ops supported only on constants', async () => {
    await refused(convModel([{ op: 'LSTM', inputs: ['c'], outputs: ['y'], name: 'l' }], 'y'), 'UNSUPPORTED_OP', /node "l" \(LSTM, opset 13\)/);
    await refused(convModel([{ op: 'Gather', inputs: ['c', 'c'], outputs: ['y'], name: 'gt' }], 'y'), 'UNSUPPORTED_OP', /node "gt" \(Gather, opset 13\)/);
  });

  it('unknown attributes and unsupported attribute values', async () => {
    const conv = (attrs: Record<string, number[] | number | string>) =>
      encodeOnnx({
        opset: 13,
        inputs: [{ name: 'x', dims: [1, 3, 8, 8] }],
        outputs: [{ name: 'c' }],
        initializers: [{ name: 'w', dims: [4, 3, 3, 3], data: randomData(108, 1) }],
        nodes: [{ op: 'Conv', name: 'cv', inputs: ['x', 'w'], outputs: ['c'], attrs }],
      });
    const e = await refused(conv({ strides_typo: [1, 1] }), 'UNSUPPORTED_ATTRIBUTE', /node "cv" \(Conv, opset 13\)\.strides_typo/);
    expect(e.rule).toMatch(/supported: auto_pad/);
    await refused(conv({ auto_pad: 'SAME_SIDEWAYS' }), 'UNSUPPORTED_ATTRIBUTE', /\.auto_pad$/);
    await refused(conv({ kernel_shape: [5, 5] }), 'UNSUPPORTED_ATTRIBUTE', /\.kernel_shape$/);
    await refused(conv({ strides: [1, 1, 1] }), 'UNSUPPORTED_ATTRIBUTE', /\.strides$/);
    await refused(conv({ group: 2 }), 'INVALID_ATTRIBUTE', /node "cv"/);
    await refused(
      convModel([{ op: 'MaxPool', name: 'mp', inputs: ['c'], outputs: ['y'], attrs: { kernel_shape: [2, 2], storage_order: 1 } }], 'y'),
      'UNSUPPORTED_ATTRIBUTE',
      /node "mp" \(MaxPool, opset 13\)\.storage_order/,
    );
    await refused(
      convModel([{ op: 'Resize', name: 'rs', inputs: ['c', '', 'c'], outputs: ['y'], attrs: { mode: 'cubic' } }], 'y'),
      'UNSUPPORTED_ATTRIBUTE',
      /\.mode$/,
    );
    await refused(
      convModel([{ op: 'Resize', name: 'rs', inputs: ['c'], outputs: ['y'], attrs: { antialias: 1 } }], 'y'),
      'UNSUPPORTED_ATTRIBUTE',
      /\.antialias$/,
    );
  });

  it('a Softmax before opset 13 on an axis other than the last', async () => {
    await refused(
      convModel([{ op: 'Softmax', name: 'sm', inputs: ['c'], outputs: ['y'], attrs: { axis: 1 } }], 'y', { opset: 12 }),
      'UNSUPPORTED_ATTRIBUTE',
      /node "sm" \(Softmax, opset 12\)\.axis/,
    );
  });

  it('shape inputs that are not constants', async () => {
    const bytes = encodeOnnx({
      opset: 13,
      inputs: [
        { name: 'x', dims: [1, 3, 8, 8] },
        { name: 's', dims: [2] },
      ],
      outputs: [{ name: 'y' }],
      nodes: [{ op: 'Reshape', name: 'rs', inputs: ['x', 's'], outputs: ['y'] }],
    });
    await refused(bytes, 'UNSUPPORTED_ATTRIBUTE', /node "rs" \(Reshape, opset 13\)\.shape/);
  });
});
