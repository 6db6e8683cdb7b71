import { describe, expect, it } from 'vitest';
import { type ConvrouteError, loadGraphJson } from '../src/index.ts';

const base = () => ({
  format: 'convroute-graph',
  version: 1,
  inputs: [{ name: 'x', shape: [1, 2, 5, 5] }],
  constants: [{ name: 'w', shape: [3, 2, 3, 3], fill: { kind: 'uniform', seed: 1 } }] as Record<string, unknown>[],
  nodes: [{ id: 'c1', op: 'conv2d', inputs: ['x', 'w'], output: 'y', attrs: { padding: 1 } as Record<string, unknown> }] as Record<string, unknown>[],
  outputs: ['y'],
});

async function message(edit: (d: ReturnType<typeof base>) => void): Promise<string> {
  const d = base();
  edit(d);
  try {
    await loadGraphJson(d);
  } catch (e) {
    expect((e as ConvrouteError).code).toBe('INVALID_GRAPH');
    return (e as Error).message;
  }
  throw new Error('accepted');
}

// Schema refusals show the value found and what is allowed, in words (was `= undefined` and a regex).
describe('graph schema errors', () => {
  it.each<[string, (d: ReturnType<typeof base>) => void, string]>([
    ['const', (d) => Object.assign(d, { format: 'onnx' }), 'format = "onnx": schema: must be "convroute-graph"'],
    ['enum', (d) => Object.assign(d.nodes[0], { op: 'lstm' }), 'nodes.0.op = "lstm": schema: must be one of "conv2d", "im2col", "gemm", "add"'],
    ['required', (d) => delete (d as Partial<typeof d>).outputs, 'outputs = undefined: schema: is required'],
    ['pattern', (d) => Object.assign(d.inputs[0], { name: '1x' }), 'inputs.0.name = "1x": schema: must be a name: a letter or \'_\''],
    [
      'padding',
      (d) => Object.assign(d.nodes[0].attrs as object, { padding: [1, 2, 3] }),
      '= [1,2,3]: schema: must be an integer >= 0, [ph, pw], [top, left, bottom, right], "same" or "valid"',
    ],
    ['stride', (d) => Object.assign(d.nodes[0].attrs as object, { stride: 0.5 }), 'stride = 0.5: schema: must be an integer or a pair [h, w] of integers'],
    [
      'unknown key',
      (d) => Object.assign(d.nodes[0].attrs as object, { strides: 2 }),
      'nodes.0.attrs (strides) = 2: schema: unknown key "strides"; allowed keys: stride, padding,',
    ],
    [
      'activation',
      (d) => Object.assign(d.nodes[0].attrs as object, { activation: 'gelu' }),
      'activation = "gelu": schema: must be "none", "relu" or { "kind": "clamp"',
    ],
    ['constant source', (d) => Object.assign(d.constants[0], { data: [1] }), 'schema: a constant takes its data from exactly one of npy, data or fill'],
  ])('%s', async (_name, edit, want) => {
    expect(await message(edit)).toContain(want);
  });

  it("accepts padding 'same' and 'valid' and resolves them from the shapes", async () => {
    const d = base();
    Object.assign(d.nodes[0].attrs as object, { padding: 'same', stride: 2 });
    const g = await loadGraphJson(d);
    expect(g.values.get('y')!.shape).toEqual([1, 3, 3, 3]);
    expect(g.nodes[0].op.op === 'conv2d' && g.nodes[0].op.spec.padding).toEqual([1, 1, 1, 1]);
    Object.assign(d.nodes[0].attrs as object, { padding: 'valid', stride: 1 });
    expect((await loadGraphJson(d)).values.get('y')!.shape).toEqual([1, 3, 3, 3]);
  });
});
