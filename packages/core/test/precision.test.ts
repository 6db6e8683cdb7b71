import { describe, expect, it } from 'vitest';
import { type Backend, checkPrecisionMethod, GraphBuilder, isConvrouteError, parsePrecision, runGraph, Tensor } from '../src/index.ts';

// Issue 14: the precision vocabulary core gives the backends, the API and the router.
describe('precision', () => {
  it('parses f32, f16-storage, f16 (absent: f32) and refuses anything else naming the field', () => {
    expect(parsePrecision('precision', undefined)).toBe('f32');
    for (const p of ['f32', 'f16-storage', 'f16']) expect(parsePrecision('precision', p)).toBe(p);
    expect(() => parsePrecision('options.precision', 'fp16')).toThrow(
      /INVALID_ARGUMENT: options.precision = "fp16": precision is one of f32, f16-storage, f16/,
    );
  });

  it('methods without f16 kernels are UNSUPPORTED_METHOD at the f16 precisions, naming both', () => {
    expect(() => checkPrecisionMethod('f32', 'implicit-gemm')).not.toThrow();
    for (const m of ['direct', 'pointwise', 'im2col-gemm']) expect(() => checkPrecisionMethod('f16', m)).not.toThrow();
    let e: unknown;
    try {
      checkPrecisionMethod('f16-storage', 'depthwise');
    } catch (x) {
      e = x;
    }
    expect(isConvrouteError(e, 'UNSUPPORTED_METHOD')).toBe(true);
    expect((e as Error).message).toMatch(
      /method = "depthwise": precision f16-storage runs conv2d with direct, pointwise, im2col-gemm only; depthwise has no f16-storage kernel/,
    );
  });

  it("records carry the backend's precision, and a refusal at an f16 precision says so", async () => {
    const b = new GraphBuilder();
    b.input('x', [1, 2, 3, 3]);
    b.input('w', [2, 2, 1, 1]);
    b.conv2d('y', 'x', 'w', undefined, {}, { method: 'direct' });
    const graph = b.output('y').build();
    const feeds = { x: Tensor.zeros([1, 2, 3, 3]), w: Tensor.zeros([2, 2, 1, 1]) };
    const backend = (precision?: 'f16', methods: string[] = ['direct']): Backend =>
      ({ name: 'fake', description: 'fake', precision, methodsFor: () => methods, run: async () => Tensor.zeros([1, 2, 3, 3]) }) as unknown as Backend;
    expect((await runGraph(graph, backend(), feeds)).records[0].precision).toBe('f32');
    expect((await runGraph(graph, backend('f16'), feeds)).records[0].precision).toBe('f16');
    await expect(runGraph(graph, backend('f16', []), feeds)).rejects.toThrow(
      /UNSUPPORTED_METHOD: nodes.y.method = "direct": backend fake cannot run it for this conv2d at precision f16/,
    );
  });
});
