import { describe, expect, it } from 'vitest';
import {
  type Backend,
  ConvrouteError,
  checkNpyPath,
  conv2dSpec,
  convMethodsFor,
  GraphBuilder,
  loadGraphJson,
  type Method,
  nodeOverride,
  type OpSpec,
  runGraph,
  Tensor,
  writeNpy,
} from '../src/index.ts';

const conv = (id: string, inputs: string[], output: string, attrs: object = {}) => ({ id, op: 'conv2d', inputs, output, attrs });
const doc = (over: object = {}) => ({
  format: 'convroute-graph',
  version: 1,
  inputs: [{ name: 'x', shape: [1, 2, 5, 5] }],
  constants: [{ name: 'w', shape: [3, 2, 3, 3], fill: { kind: 'uniform', seed: 1 } }],
  nodes: [conv('c1', ['x', 'w'], 'y', { padding: 1 })],
  outputs: ['y'],
  ...over,
});

async function refused(json: unknown, field: RegExp | string, code = 'INVALID_GRAPH'): Promise<void> {
  try {
    await loadGraphJson(json);
  } catch (e) {
    expect(e).toBeInstanceOf(ConvrouteError);
    expect((e as ConvrouteError).code).toBe(code);
    if (typeof field === 'string') expect((e as ConvrouteError).field).toBe(field);
    else expect((e as ConvrouteError).field).toMatch(field);
    return;
  }
  throw new Error('graph was accepted');
}

describe('graph JSON loading validates before anything runs', () => {
  it('loads a valid graph and infers shapes', async () => {
    const g = await loadGraphJson(JSON.stringify(doc()));
    expect(g.values.get('y')!.shape).toEqual([1, 3, 5, 5]);
    expect(g.values.get('w')!.tensor!.shape).toEqual([3, 2, 3, 3]);
  });

  it('refuses bad JSON, unknown ops, unknown keys and prototype keys', async () => {
    await refused('{ not json', 'graph');
    await refused(doc({ nodes: [{ id: 'c1', op: 'lstm', inputs: ['x'], output: 'y' }] }), 'nodes.0.op');
    await refused(doc({ extra: 1 }), 'graph (extra)');
    await refused(JSON.parse('{"format":"convroute-graph","version":1,"inputs":[],"nodes":[],"outputs":["y"],"__proto__":{"polluted":true}}'), /__proto__/);
    await refused(doc({ inputs: [{ name: '__proto__', shape: [1, 2, 5, 5] }] }), 'inputs.0.name');
    await refused(doc({ nodes: [conv('c1', ['x', 'w'], 'y', { stride: -1 })] }), /nodes\.0\.attrs/);
    await refused(doc({ nodes: [conv('c1', ['x', 'w'], 'y', { bogus: 1 })] }), /nodes\.0\.attrs/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses dangling values, duplicates, cycles and missing outputs', async () => {
    await refused(doc({ nodes: [conv('c1', ['x', 'nope'], 'y')] }), 'nodes[0].inputs[1]');
    await refused(doc({ nodes: [conv('c1', ['x', 'w'], 'y', { padding: 1 }), conv('c2', ['y', 'w'], 'y')] }), 'nodes[1].output');
    await refused(doc({ nodes: [conv('c1', ['x', 'w'], 'y'), conv('c1', ['x', 'w'], 'z')] }), 'nodes[1].id');
    await refused(
      doc({
        constants: [{ name: 'w', shape: [2, 2, 1, 1], fill: { kind: 'constant', value: 1 } }],
        nodes: [conv('a', ['x', 'w'], 'p'), conv('b', ['q', 'w'], 'r'), conv('c', ['r', 'w'], 'q')],
        outputs: ['p'],
      }),
      'nodes',
    );
    await refused(doc({ outputs: ['zzz'] }), 'outputs[0]');
  });

  it('refuses shape mismatches naming the node', async () => {
    await refused(doc({ constants: [{ name: 'w', shape: [3, 5, 3, 3], fill: { kind: 'uniform' } }] }), 'nodes[0].weight[1]', 'SHAPE_MISMATCH');
    await refused(doc({ constants: [{ name: 'w', shape: [3, 2, 3, 3], data: [1, 2] }] }), 'constants[0].data', 'SHAPE_MISMATCH');
    await refused(doc({ constants: [{ name: 'w', shape: [3, 2, 3, 3], npy: '../../etc/passwd' }] }), 'constants.0.npy');
    await refused(doc({ constants: [{ name: 'w', shape: [3, 2, 3, 3], npy: '/etc/passwd' }] }), 'constants.0.npy');
    await refused(doc({ constants: [{ name: 'w', shape: [65536, 65536, 3, 3], fill: { kind: 'uniform' } }] }), 'constants', 'TOO_LARGE');
  });

  it('refuses npy paths with line breaks or control characters (the schema pattern once let x\\n/../.. through)', async () => {
    for (const npy of ['x\n/../../secret.npy', 'x\r/../s.npy', 'a\u2028/../b.npy', 'a\tb.npy', 'a\u0000b.npy', 'a/..', '..\\w.npy', 'c:w.npy']) {
      await refused(doc({ constants: [{ name: 'w', shape: [3, 2, 3, 3], npy }] }), 'constants.0.npy');
      expect(() => checkNpyPath('constants[0].npy', npy)).toThrow(/INVALID_GRAPH: constants\[0\]\.npy/);
    }
    expect(checkNpyPath('f', 'weights/w..1.npy')).toBe('weights/w..1.npy');
  });

  it('names the constant when its .npy is malformed, without echoing a non-.npy file', async () => {
    const json = doc({ constants: [{ name: 'w', shape: [3, 2, 3, 3], npy: 'w.npy' }] });
    const err = await loadGraphJson(json, { readNpyFile: async () => new TextEncoder().encode('root:x:0:0:root') }).catch((e) => e);
    expect(err).toBeInstanceOf(ConvrouteError);
    expect(err.field).toBe('constants[0].npy: npy.magic');
    expect(err.message).not.toMatch(/root/);
  });

  it('reads .npy constants through the caller and checks their shape', async () => {
    const w = Tensor.fromData(new Float32Array(54).fill(0.5), [3, 2, 3, 3]);
    const json = doc({ constants: [{ name: 'w', shape: [3, 2, 3, 3], npy: 'weights/w.npy' }] });
    const seen: string[] = [];
    const g = await loadGraphJson(json, {
      readNpyFile: async (p) => {
        seen.push(p);
        return writeNpy(w);
      },
    });
    expect(seen).toEqual(['weights/w.npy']);
    expect(g.values.get('w')!.tensor!.data[0]).toBe(0.5);
    await expect(loadGraphJson(json, { readNpyFile: async () => writeNpy(Tensor.zeros([3, 2, 3, 1])) })).rejects.toThrow(/SHAPE_MISMATCH/);
    const shapes = await loadGraphJson(json, { shapesOnly: true });
    expect(shapes.values.get('w')!.tensor).toBeUndefined();
  });
});

/** A backend that records calls; the interpreter's behaviour, not arithmetic, is under test. */
function recordingBackend(runs: string[]): Backend {
  return {
    name: 'recording',
    description: 'test',
    methodsFor: (op: OpSpec): Method[] => (op.op === 'conv2d' ? convMethodsFor(op.spec).filter((m) => m !== 'implicit-gemm') : [op.op]),
    run: async (op, method) => {
      runs.push(method);
      return Tensor.zeros(op.op === 'conv2d' ? [1, 3, 5, 5] : [1]);
    },
  };
}

describe('interpreter', () => {
  const build = (method: Method | 'auto' = 'auto') => {
    const b = new GraphBuilder();
    b.input('x', [1, 2, 5, 5]);
    b.constant('w', Tensor.zeros([3, 2, 3, 3]));
    b.conv2d('y', 'x', 'w', undefined, { padding: 1 }, { method });
    return b.output('y').build();
  };
  const feeds = { x: Tensor.zeros([1, 2, 5, 5]) };

  it('routes auto nodes and records method, reasons and time', async () => {
    const runs: string[] = [];
    const res = await runGraph(build(), recordingBackend(runs), feeds, {
      route: (_spec, ctx) => ({ method: 'im2col-gemm', reasons: [{ rule: 'test', holds: true, detail: ctx.available.join(',') }] }),
    });
    expect(runs).toEqual(['im2col-gemm']);
    expect(res.records[0]).toMatchObject({ node: 'y', method: 'im2col-gemm', backend: 'recording', outputShape: [1, 3, 5, 5] });
    expect(res.records[0].reasons[0].detail).toBe('direct,im2col-gemm,winograd-2x3,winograd-4x3');
    expect(res.records[0].timeMs).toBeGreaterThanOrEqual(0);
  });

  it('never falls back: an unsupported method or a missing route is an error', async () => {
    const runs: string[] = [];
    await expect(runGraph(build('implicit-gemm'), recordingBackend(runs), feeds)).rejects.toThrow(/UNSUPPORTED_METHOD/);
    await expect(runGraph(build(), recordingBackend(runs), feeds)).rejects.toThrow(/ROUTE_REQUIRED/);
    await expect(runGraph(build(), recordingBackend(runs), feeds, { route: () => ({ method: 'depthwise', reasons: [] }) })).rejects.toThrow(
      /UNSUPPORTED_METHOD.*depthwise/,
    );
    expect(runs).toEqual([]);
  });

  it('refuses a per-node override that cannot compute its conv, naming the node, before running anything', async () => {
    const runs: string[] = [];
    const e = await runGraph(build('depthwise'), recordingBackend(runs), feeds).catch((x) => x);
    expect(e).toMatchObject({ code: 'UNSUPPORTED_METHOD', field: 'nodes.y.method', value: 'depthwise' });
    expect(e.rule).toContain('depthwise needs groups == C_in == C_out');
    expect(runs).toEqual([]);
    expect(() => nodeOverride({ op: 'conv2d', spec: conv2dSpec({ input: [1, 2, 4, 4], weight: [2, 2, 1, 1] }) }, 'gemm', 'n')).toThrow(
      /INVALID_ARGUMENT.*must be a conv method/,
    );
  });

  it('records per-node overrides and checks feeds', async () => {
    const runs: string[] = [];
    const res = await runGraph(build('direct'), recordingBackend(runs), feeds);
    expect(res.records[0].reasons[0]).toMatchObject({ rule: 'override.node', holds: true, values: { nodeId: 'y', method: 'direct' } });
    await expect(runGraph(build('direct'), recordingBackend(runs), { x: Tensor.zeros([1, 2, 5, 4]) })).rejects.toThrow(/feeds.x/);
    await expect(runGraph(build('direct'), recordingBackend(runs), {})).rejects.toThrow(/feeds.x/);
  });
});
