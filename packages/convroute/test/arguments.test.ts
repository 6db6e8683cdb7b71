import { conv2dExact } from '@convroute/backend-cpu';
import { type ConvrouteError, conv2dSpec, GraphBuilder, Tensor, uniformData } from '@convroute/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conv2d, runModel, Session } from '../src/index.ts';

const rand = (shape: number[], seed: number) =>
  Tensor.fromData(
    uniformData(
      shape.reduce((a, b) => a * b),
      seed,
    ),
    shape,
  );
const x = rand([1, 2, 5, 5], 1);
const w = rand([3, 2, 3, 3], 2);

async function refusal(p: Promise<unknown> | (() => unknown)): Promise<ConvrouteError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e as ConvrouteError;
  }
  throw new Error('accepted');
}

describe('library errors name the caller’s arguments', () => {
  let s: Session;
  beforeAll(async () => {
    s = await Session.open({ backend: 'cpu' });
  });
  afterAll(() => s.close());

  it('refuses unknown option keys, naming the key and the allowed keys', async () => {
    const e = await refusal(s.conv2d(x, w, undefined, { strides: 2 } as never));
    expect(e).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'options.strides', value: 2 });
    expect(e.rule).toMatch(/unknown key; allowed keys: stride, padding, dilation, groups, transposed, outputPadding, activation, policy, method/);
    expect(await refusal(conv2d(x, w, undefined, { backend: 'cpu', modes: 'fast' } as never))).toMatchObject({ field: 'options.modes' });
    expect(await refusal(Session.open({ backend: 'cpu', moed: 'fast' } as never))).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'options.moed' });
    const g = new GraphBuilder();
    g.input('x', [1, 2, 5, 5]);
    g.constant('w', w);
    g.conv2d('y', 'x', 'w', undefined);
    const graph = g.output('y').build();
    expect(await refusal(runModel(graph, { x }, { backend: 'cpu', polcy: 'etvk' } as never))).toMatchObject({ field: 'options.polcy' });
    expect(await refusal(s.run(graph, { x }, { onnode: () => {} } as never))).toMatchObject({ field: 'options.onnode' });
    // GraphBuilder attributes too: a typo is never dropped silently.
    const b = new GraphBuilder();
    b.input('x', [1, 2, 5, 5]);
    b.constant('w', w);
    b.conv2d('y', 'x', 'w', undefined, { strides: 2 } as never);
    expect(await refusal(() => b.output('y').build())).toMatchObject({ code: 'INVALID_ATTRIBUTE', field: 'nodes[0].attrs.strides' });
  });

  it('names `weight`, `bias` and `options.*`, not the hidden graph', async () => {
    expect(await refusal(s.conv2d(x, rand([3, 5, 3, 3], 3), undefined))).toMatchObject({ code: 'SHAPE_MISMATCH', field: 'weight[1]' });
    expect(await refusal(s.conv2d(x, w, rand([4], 3)))).toMatchObject({ code: 'SHAPE_MISMATCH', field: 'bias', value: [4] });
    expect(await refusal(s.conv2d(x, w, undefined, { padding: -1 }))).toMatchObject({ code: 'INVALID_ATTRIBUTE', field: 'options.padding' });
    expect(await refusal(s.conv2d(x, w, undefined, { padding: [1, 0, -2, 0] }))).toMatchObject({ field: 'options.padding[2]' });
    expect(await refusal(s.conv2d(x, w, undefined, { groups: 3 }))).toMatchObject({ field: 'options.groups' });
    expect(await refusal(s.conv2d(x, w, undefined, { activation: 'gelu' as never }))).toMatchObject({ field: 'options.activation' });
    expect(await refusal(s.conv2d(x, w, undefined, { method: 'depthwise' }))).toMatchObject({ code: 'UNSUPPORTED_METHOD', field: 'options.method' });
    expect(await refusal(s.conv2d(x, w, undefined, { method: 'fft' as never }))).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'options.method' });
    expect(await refusal(s.conv2d([1, 2] as never, w, undefined))).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'input' });
    expect(await refusal(conv2d(x, rand([3, 5, 3, 3], 3), undefined, { backend: 'cpu' }))).toMatchObject({ field: 'weight[1]' });
  });

  it('hints at NHWC when the input’s last dim is the weight’s C_in', async () => {
    const nhwc = rand([1, 5, 5, 2], 4);
    const e = await refusal(s.conv2d(nhwc, w, undefined));
    expect(e).toMatchObject({ code: 'SHAPE_MISMATCH', field: 'weight[1]' });
    expect(e.message).toMatch(
      /the input looks NHWC \[N, H, W, C\] \(its last dim 2 is the weight's C_in\): convroute takes NCHW, transpose it to \[1, 2, 5, 5\]/,
    );
    // No hint when the last dim does not match.
    expect((await refusal(s.conv2d(rand([1, 5, 5, 3], 4), w, undefined))).message).not.toMatch(/NHWC/);
  });
});

describe("padding 'same' and 'valid' (ONNX SAME_UPPER; PyTorch's 'same' at stride 1)", () => {
  // [extent, kernel, stride, dilation] -> [begin, end] pads, by hand from the definition.
  const cases: [number, number, number, number, [number, number]][] = [
    [5, 3, 1, 1, [1, 1]],
    [5, 4, 1, 1, [1, 2]], // PyTorch: total d(k - 1) = 3, left 1, right 2
    [7, 3, 1, 2, [2, 2]],
    [5, 3, 2, 1, [1, 1]], // out 3: (3 - 1) * 2 + 3 - 5 = 2
    [6, 3, 2, 1, [0, 1]], // out 3: 1 pad, after the input
    [9, 2, 3, 1, [0, 0]], // out 3: (3 - 1) * 3 + 2 - 9 < 0
  ];

  it.each(cases)('extent %i, kernel %i, stride %i, dilation %i', async (ext, k, st, d, [p0, p1]) => {
    const xs = rand([1, 2, ext, ext + 1], 5);
    const ws = rand([3, 2, k, k], 6);
    const s = await Session.open({ backend: 'cpu', mode: 'exact' });
    try {
      const got = await s.conv2d(xs, ws, undefined, { padding: 'same', stride: st, dilation: d });
      expect(got.output.shape).toEqual([1, 3, Math.ceil(ext / st), Math.ceil((ext + 1) / st)]);
      const wPads = conv2dSpec({ input: xs.shape, weight: ws.shape, padding: 'same', stride: st, dilation: d }).padding;
      expect([wPads[0], wPads[2]]).toEqual([p0, p1]);
      const explicit = conv2dSpec({ input: xs.shape, weight: ws.shape, padding: wPads, stride: st, dilation: d });
      expect(Array.from(got.output.data)).toEqual(Array.from(conv2dExact(explicit, xs, ws).data));
      const valid = await s.conv2d(xs, ws, undefined, { padding: 'valid', stride: st, dilation: d });
      expect(valid.output.shape).toEqual(validShape(xs.shape, ws.shape, st, d));
    } finally {
      await s.close();
    }
  });

  it("refuses 'same' for a transposed conv", () => {
    expect(() => conv2dSpec({ input: [1, 2, 4, 4], weight: [2, 3, 3, 3], transposed: true, padding: 'same' })).toThrow(
      /INVALID_ATTRIBUTE: padding = "same": 'same' is defined for forward convs only/,
    );
  });
});

function validShape(x: number[], w: number[], s: number, d: number): number[] {
  const out = (e: number, k: number) => Math.floor((e - d * (k - 1) - 1) / s) + 1;
  return [x[0], w[0], out(x[2], w[2]), out(x[3], w[3])];
}
