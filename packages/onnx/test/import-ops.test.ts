import type { Graph } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { encodeOnnx, loadOnnx, type OnnxModelInit, type OnnxNodeInit } from '../src/index.ts';
import { randomData } from './onnx-models.ts';

const ints = (data: number[]) => ({ dims: [data.length], data, dtype: 'int64' as const });
const scalar = (v: number) => ({ dims: [], data: new Float32Array([v]) });

function model(nodes: OnnxNodeInit[], over: Partial<OnnxModelInit> = {}): Uint8Array {
  return encodeOnnx({
    opset: 13,
    inputs: [{ name: 'x', dims: [1, 4, 6, 6] }],
    outputs: [{ name: 'y' }],
    nodes,
    ...over,
  });
}

const ops = (g: Graph) => g.nodes.map((n) => n.op.op);
const spec = (g: Graph, i: number) => g.nodes[i].op.spec as unknown as Record<string, unknown>;

describe('loadOnnx: shape subgraphs folded into attributes', () => {
  it("folds TorchScript's flatten chain Shape -> Gather -> Unsqueeze -> Concat -> Reshape", async () => {
    const g = await loadOnnx(
      model(
        [
          { op: 'Shape', inputs: ['x'], outputs: ['s'] },
          { op: 'Constant', inputs: [], outputs: ['zero'], attrs: { value: { dims: [], data: [0], dtype: 'int64' } } },
          { op: 'Gather', inputs: ['s', 'zero'], outputs: ['n'], attrs: { axis: 0 } },
          { op: 'Unsqueeze', inputs: ['n', 'ax'], outputs: ['n1'] },
          { op: 'Constant', inputs: [], outputs: ['minus1'], attrs: { value: ints([-1]) } },
          { op: 'Concat', inputs: ['n1', 'minus1'], outputs: ['shape'], attrs: { axis: 0 } },
          { op: 'Reshape', inputs: ['x', 'shape'], outputs: ['y'] },
        ],
        { initializers: [{ name: 'ax', ...ints([0]) }] },
      ),
    );
    expect(ops(g)).toEqual(['reshape']);
    expect(g.values.get('y')!.shape).toEqual([1, 144]);
  });

  it("folds the dynamo exporter's Slice / Cast / ConstantOfShape / int64 arithmetic", async () => {
    const g = await loadOnnx(
      model(
        [
          { op: 'Shape', inputs: ['x'], outputs: ['s'] },
          { op: 'Slice', inputs: ['s', 'st', 'en'], outputs: ['hw'] },
          { op: 'Cast', inputs: ['hw'], outputs: ['hwf'], attrs: { to: 1 } },
          { op: 'Mul', inputs: ['hwf', 'two'], outputs: ['hw2f'] },
          { op: 'Cast', inputs: ['hw2f'], outputs: ['hw2'], attrs: { to: 7 } },
          { op: 'ConstantOfShape', inputs: ['one'], outputs: ['nc'], attrs: { value: { dims: [1], data: [1], dtype: 'int64' } } },
          { op: 'Mul', inputs: ['nc', 'four'], outputs: ['nc4'] },
          { op: 'Div', inputs: ['nc4', 'four'], outputs: ['nc1'] },
          { op: 'Concat', inputs: ['nc1', 'nc4', 'hw2'], outputs: ['sizes'], attrs: { axis: 0 } },
          {
            op: 'Resize',
            inputs: ['x', '', '', 'sizes'],
            outputs: ['y'],
            attrs: { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' },
          },
        ],
        {
          initializers: [
            { name: 'st', ...ints([2]) },
            { name: 'en', ...ints([4]) },
            { name: 'two', dims: [1], data: new Float32Array([2]) },
            { name: 'one', ...ints([1]) },
            { name: 'four', ...ints([4]) },
          ],
        },
      ),
    );
    expect(ops(g)).toEqual(['resize']);
    expect(g.values.get('y')!.shape).toEqual([1, 4, 12, 12]);
    expect(spec(g, 0)).toMatchObject({ mode: 'nearest', coordinateTransformationMode: 'asymmetric', nearestMode: 'floor' });
  });
});

describe('loadOnnx: per-opset attribute forms', () => {
  it('Squeeze/Unsqueeze axes: an attribute before 13, an input from 13', async () => {
    const at11 = await loadOnnx(
      model(
        [
          { op: 'Unsqueeze', inputs: ['x'], outputs: ['u'], attrs: { axes: [0] } },
          { op: 'Squeeze', inputs: ['u'], outputs: ['y'], attrs: { axes: [0] } },
        ],
        { opset: 11 },
      ),
    );
    expect(ops(at11)).toEqual(['unsqueeze', 'squeeze']);
    expect(at11.values.get('u')!.shape).toEqual([1, 1, 4, 6, 6]);
    const at13 = await loadOnnx(
      model(
        [
          { op: 'Unsqueeze', inputs: ['x', 'a'], outputs: ['u'] },
          { op: 'Squeeze', inputs: ['u', 'a'], outputs: ['y'] },
        ],
        { initializers: [{ name: 'a', ...ints([0]) }] },
      ),
    );
    expect(at13.values.get('y')!.shape).toEqual([1, 4, 6, 6]);
    await expect(loadOnnx(model([{ op: 'Unsqueeze', name: 'u', inputs: ['x'], outputs: ['y'], attrs: { axes: [0] } }]))).rejects.toMatchObject({
      code: 'UNSUPPORTED_ATTRIBUTE',
      field: 'node "u" (Unsqueeze, opset 13).axes',
    });
  });

  it('ReduceMean axes: an attribute before 18, an input from 18; keepdims', async () => {
    const at17 = await loadOnnx(model([{ op: 'ReduceMean', inputs: ['x'], outputs: ['y'], attrs: { axes: [2, 3], keepdims: 0 } }], { opset: 17 }));
    expect(at17.values.get('y')!.shape).toEqual([1, 4]);
    const at18 = await loadOnnx(
      model([{ op: 'ReduceMean', inputs: ['x', 'a'], outputs: ['y'] }], { opset: 18, initializers: [{ name: 'a', ...ints([-1, -2]) }] }),
    );
    expect(at18.values.get('y')!.shape).toEqual([1, 4, 1, 1]);
  });

  it('Clip min/max inputs, Dropout as identity, Softmax before 13 on the last axis, HardSigmoid defaults', async () => {
    const g = await loadOnnx(
      model(
        [
          { op: 'Clip', inputs: ['x', 'lo'], outputs: ['c'] },
          { op: 'Dropout', inputs: ['c'], outputs: ['d'] },
          { op: 'HardSigmoid', inputs: ['d'], outputs: ['h'] },
          { op: 'Softmax', inputs: ['h'], outputs: ['y'], attrs: { axis: 3 } },
        ],
        { opset: 12, initializers: [{ name: 'lo', ...scalar(0) }] },
      ),
    );
    const kept = await loadOnnx(
      model([
        { op: 'Dropout', inputs: ['x'], outputs: ['d'] },
        { op: 'Identity', inputs: ['d'], outputs: ['y'] },
      ]),
      { removeIdentities: false },
    );
    expect(ops(kept)).toEqual(['identity', 'identity']);
    // A graph output stays a node: its name must exist.
    expect(
      ops(
        await loadOnnx(
          model([
            { op: 'Dropout', inputs: ['x'], outputs: ['d'] },
            { op: 'Identity', inputs: ['d'], outputs: ['y'] },
          ]),
        ),
      ),
    ).toEqual(['identity']);
    // Dropout imports as identity, which removeIdentities (default on) then drops.
    expect(ops(g)).toEqual(['clip', 'hardsigmoid', 'softmax']);
    expect(g.nodes[1].inputs).toEqual(['c']);
    expect(spec(g, 0)).toMatchObject({ min: 0, max: Infinity });
    expect(spec(g, 1)).toMatchObject({ alpha: Math.fround(0.2), beta: 0.5 });
  });

  it('MaxPool auto_pad SAME_UPPER/SAME_LOWER become explicit pads; AveragePool count_include_pad', async () => {
    const g = await loadOnnx(
      model([
        { op: 'MaxPool', inputs: ['x'], outputs: ['m'], attrs: { kernel_shape: [2, 2], strides: [2, 2], auto_pad: 'SAME_LOWER' } },
        { op: 'AveragePool', inputs: ['m'], outputs: ['y'], attrs: { kernel_shape: [2, 2], auto_pad: 'SAME_UPPER', count_include_pad: 1 } },
      ]),
    );
    expect(g.values.get('m')!.shape).toEqual([1, 4, 3, 3]);
    expect(spec(g, 1)).toMatchObject({ countIncludePad: true });
    expect(g.values.get('y')!.shape).toEqual([1, 4, 3, 3]);
  });

  it('Pad from opset 18 with axes pads only those axes', async () => {
    const g = await loadOnnx(
      model([{ op: 'Pad', inputs: ['x', 'p', 'v', 'a'], outputs: ['y'] }], {
        opset: 18,
        initializers: [
          { name: 'p', ...ints([1, 2, 3, 4]) },
          { name: 'v', ...scalar(0.5) },
          { name: 'a', ...ints([2, 3]) },
        ],
      }),
    );
    expect(spec(g, 0)).toMatchObject({ pads: [0, 0, 1, 2, 0, 0, 3, 4], value: 0.5 });
    expect(g.values.get('y')!.shape).toEqual([1, 4, 10, 12]);
  });
});

describe('loadOnnx: graph passes', () => {
  const bn = (foldBatchNorm: boolean) =>
    loadOnnx(
      model(
        [
          { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attrs: { pads: [1, 1, 1, 1] } },
          { op: 'BatchNormalization', inputs: ['c', 'g', 'be', 'm', 'v'], outputs: ['y'], attrs: { epsilon: { float: 1e-3 } } },
        ],
        {
          initializers: [
            { name: 'w', dims: [5, 4, 3, 3], data: randomData(180, 1) },
            { name: 'b', dims: [5], data: randomData(5, 2) },
            { name: 'g', dims: [5], data: randomData(5, 3) },
            { name: 'be', dims: [5], data: randomData(5, 4) },
            { name: 'm', dims: [5], data: randomData(5, 5) },
            { name: 'v', dims: [5], data: randomData(5, 6).map((t) => t + 1.5) },
          ],
        },
      ),
      { foldBatchNorm },
    );

  it('keeps BatchNormalization by default; foldBatchNorm folds it into the conv, each weight rounded once', async () => {
    expect(ops(await bn(false))).toEqual(['conv2d', 'batchnormalization']);
    const g = await bn(true);
    expect(ops(g)).toEqual(['conv2d']);
    const [w, b, gamma, beta, mean] = [randomData(180, 1), randomData(5, 2), randomData(5, 3), randomData(5, 4), randomData(5, 5)];
    const variance = randomData(5, 6).map((t) => t + 1.5);
    const s = Array.from(gamma, (gm, c) => gm / Math.sqrt(variance[c] + Math.fround(1e-3)));
    const wf = g.values.get(g.nodes[0].inputs[1])!.tensor!;
    const bf = g.values.get(g.nodes[0].inputs[2])!.tensor!;
    expect(Array.from(wf.data)).toEqual(Array.from(w, (v, i) => Math.fround(v * s[Math.floor(i / 36)])));
    expect(Array.from(bf.data)).toEqual(Array.from(b, (v, c) => Math.fround((v - mean[c]) * s[c] + beta[c])));
    expect(g.values.has('w')).toBe(false);
  });

  it("cancels tf2onnx's NHWC transpose pairs between convs, keeping the outer ones", async () => {
    const g = await loadOnnx(
      model(
        [
          { op: 'Transpose', inputs: ['x'], outputs: ['t1'], attrs: { perm: [0, 3, 1, 2] } },
          { op: 'Conv', inputs: ['t1', 'w'], outputs: ['c1'] },
          { op: 'Transpose', inputs: ['c1'], outputs: ['t2'], attrs: { perm: [0, 2, 3, 1] } },
          { op: 'Transpose', inputs: ['t2'], outputs: ['t3'], attrs: { perm: [0, 3, 1, 2] } },
          { op: 'Conv', inputs: ['t3', 'w'], outputs: ['c2'] },
          { op: 'Transpose', inputs: ['c2'], outputs: ['y'], attrs: { perm: [0, 2, 3, 1] } },
        ],
        { inputs: [{ name: 'x', dims: [1, 6, 6, 4] }], initializers: [{ name: 'w', dims: [4, 4, 1, 1], data: randomData(16, 1) }] },
      ),
    );
    expect(ops(g)).toEqual(['transpose', 'conv2d', 'conv2d', 'transpose']);
    expect(g.nodes[2].inputs[0]).toBe('c1');
    const kept = await loadOnnx(
      model([
        { op: 'Transpose', inputs: ['x'], outputs: ['t'], attrs: { perm: [0, 2, 3, 1] } },
        { op: 'Transpose', inputs: ['t'], outputs: ['y'], attrs: { perm: [0, 3, 1, 2] } },
      ]),
      { cancelTransposes: false },
    );
    expect(ops(kept)).toEqual(['transpose', 'transpose']);
  });

  it('fuses only a sole consumer: a conv output read twice keeps its Relu node', async () => {
    const g = await loadOnnx(
      model(
        [
          { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'] },
          { op: 'Relu', inputs: ['c'], outputs: ['r'] },
          { op: 'Add', inputs: ['r', 'c'], outputs: ['y'] },
        ],
        { initializers: [{ name: 'w', dims: [4, 4, 1, 1], data: randomData(16, 1) }] },
      ),
    );
    expect(ops(g)).toEqual(['conv2d', 'relu', 'add']);
  });
});

describe('loadOnnx: untrusted models', () => {
  it('refuses external data, subgraphs, training-mode BatchNormalization and read extra outputs', async () => {
    const ext = model([{ op: 'Identity', inputs: ['x'], outputs: ['y'] }]);
    // An initializer whose data_location is EXTERNAL (field 14 = 1), appended to the graph by hand.
    const { ModelProtoType } = await import('../src/onnx-proto.ts');
    const m = ModelProtoType.toObject(ModelProtoType.decode(ext)) as { graph: { initializer: unknown[] } };
    m.graph.initializer = [{ name: 'w', dims: [1], data_type: 1, data_location: 1, external_data: [{ key: 'location', value: '/etc/passwd' }] }];
    await expect(loadOnnx(ModelProtoType.encode(ModelProtoType.fromObject(m)).finish())).rejects.toMatchObject({
      code: 'ONNX_FORMAT',
      field: 'initializer "w".data_location',
    });
    const withIf = ModelProtoType.toObject(ModelProtoType.decode(ext)) as { graph: { node: { attribute: unknown[]; op_type: string }[] } };
    withIf.graph.node[0].op_type = 'If';
    withIf.graph.node[0].attribute = [{ name: 'then_branch', type: 5, g: { name: 'sub' } }];
    await expect(loadOnnx(ModelProtoType.encode(ModelProtoType.fromObject(withIf)).finish())).rejects.toMatchObject({
      code: 'UNSUPPORTED_ATTRIBUTE',
      field: 'node "Identity_0" (If, opset 13).then_branch',
    });
    await expect(
      loadOnnx(
        model([{ op: 'BatchNormalization', name: 'bn', inputs: ['x', 's', 's', 's', 's'], outputs: ['y'], attrs: { training_mode: 1 } }], {
          opset: 14,
          initializers: [{ name: 's', dims: [4], data: new Float32Array(4).fill(1) }],
        }),
      ),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED_ATTRIBUTE', field: 'node "bn" (BatchNormalization, opset 14).training_mode' });
    await expect(
      loadOnnx(
        model([
          { op: 'MaxPool', inputs: ['x'], outputs: ['m', 'idx'], attrs: { kernel_shape: [2, 2] } },
          { op: 'Identity', inputs: ['idx'], outputs: ['y'] },
        ]),
      ),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED_OP', field: 'node "Identity_1" (Identity, opset 13).input[0]' });
  });

  it('bounds nodes, tensor elements against dims and data, and refuses a Gather on a computed tensor', async () => {
    const chain = Array.from({ length: 5 }, (_, i) => ({ op: 'Identity', inputs: [i ? `v${i}` : 'x'], outputs: [i === 4 ? 'y' : `v${i + 1}`] }));
    await expect(loadOnnx(model(chain), { limits: { maxNodes: 4 } })).rejects.toMatchObject({ code: 'TOO_LARGE', field: 'graph.node' });
    await expect(
      loadOnnx(model([{ op: 'Identity', inputs: ['x'], outputs: ['y'] }], { initializers: [{ name: 'w', dims: [3, 3], data: new Float32Array(8) }] })),
    ).rejects.toMatchObject({
      code: 'ONNX_FORMAT',
      field: 'initializer "w".data',
    });
    await expect(
      loadOnnx(model([{ op: 'Identity', inputs: ['x'], outputs: ['y'] }], { initializers: [{ name: 'w', dims: [1000, 1000], data: new Float32Array(1) }] }), {
        limits: { maxTensorElements: 1000 },
      }),
    ).rejects.toMatchObject({ code: 'TOO_LARGE', field: 'initializer "w".dims' });
    await expect(
      loadOnnx(model([{ op: 'Gather', name: 'g', inputs: ['x', 'i'], outputs: ['y'] }], { initializers: [{ name: 'i', ...ints([0]) }] })),
    ).rejects.toMatchObject({
      code: 'UNSUPPORTED_OP',
      field: 'node "g" (Gather, opset 13)',
    });
  });

  it('refuses a value defined twice, and an input without a shape unless inputShapes gives it', async () => {
    await expect(
      loadOnnx(
        model([
          { op: 'Relu', inputs: ['x'], outputs: ['y'] },
          { op: 'Relu', name: 'again', inputs: ['x'], outputs: ['y'] },
        ]),
      ),
    ).rejects.toMatchObject({ code: 'INVALID_GRAPH', field: 'node "again" (Relu, opset 13).output[0]' });
    const w = { name: 'w', dims: [1], data: new Float32Array(1) };
    await expect(loadOnnx(model([{ op: 'Relu', inputs: ['x'], outputs: ['y'] }], { initializers: [w, w] }))).rejects.toMatchObject({
      code: 'ONNX_FORMAT',
      field: 'graph.initializer[1].name',
    });
    const { ModelProtoType } = await import('../src/onnx-proto.ts');
    const m = ModelProtoType.toObject(ModelProtoType.decode(model([{ op: 'Relu', inputs: ['x'], outputs: ['y'] }]))) as {
      graph: { input: { type: { tensor_type: { shape?: unknown } } }[] };
    };
    delete m.graph.input[0].type.tensor_type.shape;
    const noShape = ModelProtoType.encode(ModelProtoType.fromObject(m)).finish();
    await expect(loadOnnx(noShape)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'graph.input[0] "x".shape' });
    expect((await loadOnnx(noShape, { inputShapes: { x: [2, 5] } })).values.get('y')!.shape).toEqual([2, 5]);
  });

  it('imports a 20,000-node chain in linear time (each node validated alone as it is imported)', async () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => ({ op: 'Relu', inputs: [i ? `v${i}` : 'x'], outputs: [i === 19_999 ? 'y' : `v${i + 1}`] }));
    const start = performance.now();
    const g = await loadOnnx(model(chain));
    expect(g.nodes).toHaveLength(20_000);
    // A whole-graph validation per node would be 20,000^2 node visits; linear import takes seconds here.
    expect(performance.now() - start).toBeLessThan(30_000);
  });

  it('cases the random-graph fuzzer found: folded ops without inputs, Concat of mismatched constants', async () => {
    await expect(loadOnnx(model([{ op: 'Shape', name: 's', inputs: [], outputs: ['y'] }], { opset: 11 }))).rejects.toMatchObject({
      code: 'ONNX_FORMAT',
      field: 'node "s" (Shape, opset 11).input[0]',
    });
    await expect(loadOnnx(model([{ op: 'Concat', name: 'c', inputs: [], outputs: ['y'] }], { opset: 11 }))).rejects.toMatchObject({
      code: 'ONNX_FORMAT',
      field: 'node "c" (Concat, opset 11).input',
    });
    const a = { name: 'a', dims: [2, 3], data: new Float32Array(6) };
    const b = { name: 'b', dims: [2, 2], data: new Float32Array(4) };
    await expect(
      loadOnnx(model([{ op: 'Concat', name: 'c', inputs: ['a', 'b'], outputs: ['y'], attrs: { axis: 0 } }], { initializers: [a, b] })),
    ).rejects.toMatchObject({
      code: 'SHAPE_MISMATCH',
      field: 'node "c" (Concat, opset 13).inputs',
    });
  });
});
