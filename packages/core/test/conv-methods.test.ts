import { describe, expect, it } from 'vitest';
import {
  CONV_METHOD_DESCRIPTORS,
  CONV_METHODS,
  type ConvMethod,
  conv2dSpec,
  convMethodsFor,
  isConvrouteError,
  requireConvMethod,
  unhandledConvMethod,
} from '../src/index.ts';

/** A switch that forgets implicit-gemm: type-checking must reject it (the @ts-expect-error below
 * fails `tsc` the day the switch no longer misses a case, or the check stops catching one). */
function forgetful(m: ConvMethod): string {
  switch (m) {
    case 'direct':
    case 'pointwise':
    case 'depthwise':
    case 'transposed':
    case 'im2col-gemm':
    case 'winograd-2x3':
    case 'winograd-4x3':
      return m;
    default:
      // @ts-expect-error implicit-gemm has no case, so m is not never here
      return unhandledConvMethod(m);
  }
}

describe('conv method descriptors', () => {
  it('list the methods in their one order, each computing conv2d; Winograd judged by its own bound', () => {
    expect(CONV_METHODS).toEqual(['direct', 'pointwise', 'depthwise', 'transposed', 'im2col-gemm', 'implicit-gemm', 'winograd-2x3', 'winograd-4x3']);
    for (const d of CONV_METHOD_DESCRIPTORS) expect([d.op, d.errorModel]).toEqual(['conv2d', d.name.startsWith('winograd') ? 'winograd' : 'reordering']);
  });

  it('preconditions: the same methods and reasons as before descriptors', () => {
    const spec = (o: Partial<Parameters<typeof conv2dSpec>[0]>) => conv2dSpec({ input: [1, 4, 6, 6], weight: [4, 4, 3, 3], ...o });
    const wino = ['winograd-2x3', 'winograd-4x3'];
    expect(convMethodsFor(spec({}))).toEqual(['direct', 'im2col-gemm', 'implicit-gemm', ...wino]);
    expect(convMethodsFor(spec({ stride: [1, 2] }))).toEqual(['direct', 'im2col-gemm', 'implicit-gemm']);
    expect(convMethodsFor(spec({ weight: [8, 4, 1, 1], padding: 1 }))).toEqual(['direct', 'pointwise', 'im2col-gemm', 'implicit-gemm']);
    expect(convMethodsFor(spec({ weight: [4, 1, 3, 3], groups: 4 }))).toEqual(['direct', 'depthwise', 'im2col-gemm', 'implicit-gemm', ...wino]);
    expect(convMethodsFor(spec({ transposed: true }))).toEqual(['transposed']);
    const why = (m: string, o = {}) => {
      try {
        requireConvMethod(m, spec(o));
        return null;
      } catch (e) {
        expect(isConvrouteError(e, 'UNSUPPORTED_METHOD')).toBe(true);
        return (e as Error).message;
      }
    };
    expect(why('pointwise')).toMatch(/pointwise needs a 1x1 kernel, got 3x3/);
    expect(why('pointwise', { weight: [4, 2, 1, 1], groups: 2 })).toMatch(/pointwise needs groups == 1, got 2/);
    expect(why('depthwise')).toMatch(/depthwise needs groups == C_in == C_out, got groups 1, C_in 4, C_out 4/);
    expect(why('direct', { transposed: true })).toMatch(/direct computes forward convs only; this conv is transposed/);
    expect(why('transposed')).toMatch(/transposed needs a transposed conv/);
    expect(why('winograd')).toMatch(/conv2d runs with one of direct, pointwise, depthwise, transposed, im2col-gemm, implicit-gemm, winograd-2x3, winograd-4x3/);
    expect(why('winograd-4x3', { weight: [4, 4, 3, 2] })).toMatch(/winograd-4x3 needs a 3x3 kernel, got 3x2/);
    expect(why('winograd-2x3', { stride: [2, 1] })).toMatch(/winograd-2x3 needs stride 1, got 2x1/);
    expect(why('winograd-2x3', { dilation: 2 })).toMatch(/winograd-2x3 needs dilation 1, got 2x2/);
    expect(why('winograd-4x3', { transposed: true })).toMatch(/winograd-4x3 computes forward convs only/);
    expect(why('direct')).toBeNull();
  });

  it('a method that reaches no case is refused with UNSUPPORTED_METHOD, not run as another', () => {
    expect(forgetful('direct')).toBe('direct');
    const e = (() => {
      try {
        forgetful('implicit-gemm');
      } catch (x) {
        return x;
      }
    })();
    expect(isConvrouteError(e, 'UNSUPPORTED_METHOD')).toBe(true);
  });
});
