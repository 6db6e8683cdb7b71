import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conv2dExact } from '@convroute/backend-cpu';
import { conv2dSpec, readNpy, Tensor, uniformData, writeNpy } from '@convroute/core';
import { encodeOnnx } from '@convroute/onnx';
import { describe, expect, it } from 'vitest';
import { convroute } from './cli-helpers.ts';

describe('convroute run --model and convroute inspect', () => {
  const dir = mkdtempSync(join(tmpdir(), 'convroute-onnx-'));
  const x = Tensor.fromData(uniformData(1 * 3 * 9 * 9, 5), [1, 3, 9, 9]);
  const w = Tensor.fromData(uniformData(8 * 3 * 3 * 3, 6), [8, 3, 3, 3]);
  const b = Tensor.fromData(uniformData(8, 7), [8]);
  writeFileSync(join(dir, 'x.npy'), writeNpy(x));
  const model = join(dir, 'm.onnx');
  writeFileSync(
    model,
    encodeOnnx({
      opset: 17,
      inputs: [{ name: 'input', dims: ['N', 3, 9, 9] }],
      outputs: [{ name: 'y' }],
      initializers: [
        { name: 'w', dims: [8, 3, 3, 3], data: w.data as Float32Array, raw: true },
        { name: 'b', dims: [8], data: b.data as Float32Array },
      ],
      nodes: [
        { op: 'Conv', name: 'conv1', inputs: ['input', 'w', 'b'], outputs: ['c'], attrs: { pads: [1, 1, 1, 1], strides: [2, 2] } },
        { op: 'Relu', inputs: ['c'], outputs: ['y'] },
      ],
    }),
  );
  const want = conv2dExact(conv2dSpec({ input: [1, 3, 9, 9], weight: [8, 3, 3, 3], bias: true, padding: 1, stride: 2, activation: 'relu' }), x, w, b);

  it('run --model imports the ONNX file and writes the exact output', () => {
    const args = ['run', '--model', model, '--input-shape', 'input=1,3,9,9', '--backend', 'cpu', '--feed', `input=${join(dir, 'x.npy')}`];
    const r = convroute([...args, '--out', `y=${join(dir, 'y.npy')}`, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ command: 'run', outputs: { y: { shape: [1, 8, 5, 5] } } });
    expect(Array.from(readNpy(readFileSync(join(dir, 'y.npy'))).data)).toEqual(Array.from(want.data));
  });

  it('run refuses --graph with --model, --input-shape without --model, and names a symbolic dim', () => {
    const both = convroute(['run', '--model', model, '--graph', 'g.json', '--json']);
    expect(both.code).toBe(2);
    expect(JSON.parse(both.stderr).error).toMatchObject({ code: 'INVALID_ARGUMENT', field: '--graph' });
    const shapeOnly = convroute(['run', '--graph', 'g.json', '--input-shape', 'x=1,2', '--json']);
    expect(JSON.parse(shapeOnly.stderr).error).toMatchObject({ code: 'INVALID_ARGUMENT', field: '--input-shape' });
    const symbolic = convroute(['run', '--model', model, '--backend', 'cpu', '--feed', `input=${join(dir, 'x.npy')}`, '--json']);
    expect(JSON.parse(symbolic.stderr).error).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'graph.input[0] "input".shape[0]' });
  });

  it('inspect prints ops, shapes, parameters, FLOPs and each conv route on a profile', () => {
    const r = convroute(['inspect', model, '--input-shape', 'input=1,3,9,9', '--profile', 'mali', '--json']);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      command: 'inspect',
      inputs: [{ name: 'input', shape: [1, 3, 9, 9] }],
      outputs: [{ name: 'y', shape: [1, 8, 5, 5] }],
      ops: { conv2d: 1 },
      parameters: 8 * 27 + 8,
      flops: 2 * 8 * 5 * 5 * 27,
      device: { family: 'mali' },
      policy: 'etvk',
    });
    expect(doc.values).toContainEqual({ name: 'w', kind: 'constant', shape: [8, 3, 3, 3] });
    expect(doc.routes).toHaveLength(1);
    expect(doc.routes[0]).toMatchObject({ layer: 'conv1', method: expect.any(String), reasons: expect.any(Array) });
    const text = convroute(['inspect', model, '--input-shape', 'input=1,3,9,9', '--profile', 'mali']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/ops: conv2d x1 \(1 nodes\)/);
    expect(text.stdout).toMatch(/parameters: 224/);
    expect(text.stdout).toMatch(/conv1/);
  });
});
