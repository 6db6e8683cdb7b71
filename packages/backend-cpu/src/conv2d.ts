import {
  CONV_METHODS,
  type Conv2dSpec,
  type ConvMethod,
  ConvrouteError,
  checkOpInputs,
  conv2dOutputShape,
  convMethodRejection,
  requireConvMethod,
  shapeSize,
  Tensor,
  unhandledConvMethod,
} from '@convroute/core';
import { activateInPlace } from './activation.ts';
import { depthwiseExact, depthwiseFast } from './conv/depthwise.ts';
import { directExactSums, directFast } from './conv/direct.ts';
import { convGemm } from './conv/gemm-methods.ts';
import { type ConvGeometry, convGeometry } from './conv/geometry.ts';
import { poisonPaddedNonFiniteTaps } from './conv/padded-taps.ts';
import { exactConvElement } from './conv/terms.ts';
import { transposedExactSums, transposedFast } from './conv/transposed.ts';
import { winogradFast } from './conv/winograd.ts';
import { ExactAccumulator } from './exact/accumulator.ts';
import { certifyInto, roundUpAbs } from './exact/certify.ts';
import { checkMemoryBudget, DEFAULT_MEMORY_BUDGET, tileLimit } from './memory.ts';

/** Core's conv methods the CPU backend leaves out: implicit-gemm is a GPU kernel (im2col-gemm
 * sums the same terms here). Every other method must have a case in the switches below. */
const NOT_ON_CPU = ['implicit-gemm'] as const satisfies readonly ConvMethod[];
export type CpuConvMethod = Exclude<ConvMethod, (typeof NOT_ON_CPU)[number]>;

function isCpuConvMethod(m: unknown): m is CpuConvMethod {
  return (CONV_METHODS as readonly unknown[]).includes(m) && !(NOT_ON_CPU as readonly unknown[]).includes(m);
}

/** The conv methods this backend runs: every one core knows except implicit-gemm. */
export const CPU_CONV_METHODS: readonly CpuConvMethod[] = CONV_METHODS.filter(isCpuConvMethod);

/** The methods the CPU backend can run for a spec. */
export function cpuConvMethodsFor(spec: Conv2dSpec): ConvMethod[] {
  return CPU_CONV_METHODS.filter((m) => convMethodRejection(m, spec) === null);
}

/** The method used when none is named: the specialised kernel when one applies, else im2col + GEMM. */
export function defaultCpuConvMethod(spec: Conv2dSpec): ConvMethod {
  if (spec.transposed) return 'transposed';
  if (convMethodRejection('depthwise', spec) === null) return 'depthwise';
  if (convMethodRejection('pointwise', spec) === null) return 'pointwise';
  return 'im2col-gemm';
}

function checkMethod(spec: Conv2dSpec, method: unknown): CpuConvMethod {
  if (!isCpuConvMethod(method)) {
    throw new ConvrouteError('UNSUPPORTED_METHOD', 'method', method, `the cpu backend runs ${CPU_CONV_METHODS.join(', ')}`);
  }
  requireConvMethod(method, spec);
  return method;
}

interface Prepared {
  g: ConvGeometry;
  x: Float32Array;
  w: Float32Array;
  b: Float32Array | undefined;
  out: Float32Array;
}

function prepare(spec: Conv2dSpec, x: Tensor, w: Tensor, bias: Tensor | undefined): Prepared {
  checkOpInputs({ op: 'conv2d', spec }, bias === undefined ? [x, w] : [x, w, bias]);
  return { g: convGeometry(spec), x: x.data, w: w.data, b: spec.bias ? bias?.data : undefined, out: new Float32Array(shapeSize(conv2dOutputShape(spec))) };
}

/**
 * Exact mode: every output is the float32 nearest to the exact real result (ties to even, zero as
 * +0), then the activation. Every method sums the exact products in float64 in its own order and
 * certifies the rounding (exact/certify.ts), so all methods agree bit for bit.
 */
export function conv2dExact(spec: Conv2dSpec, x: Tensor, w: Tensor, bias?: Tensor, method?: ConvMethod, budget = DEFAULT_MEMORY_BUDGET): Tensor {
  const m = checkMethod(spec, method ?? defaultCpuConvMethod(spec));
  const { output } = checkMemoryBudget({ op: 'conv2d', spec }, m, 'exact', budget);
  const { g, x: xv, w: wv, b, out } = prepare(spec, x, w, bias);
  const acc = new ExactAccumulator();
  const exact = (i: number) => exactConvElement(g, spec.transposed, xv, wv, b, i, acc);
  switch (m) {
    case 'direct':
    case 'winograd-2x3':
    case 'winograd-4x3':
    case 'transposed': {
      // Winograd in exact mode is the correctly rounded conv like every method: the direct sums
      // certified (its transforms' constants, such as 1/6, have no exact float form to sum).
      const s = new Float64Array(out.length);
      const t = new Float64Array(out.length);
      if (m !== 'transposed') directExactSums(g, xv, wv, b, s, t);
      else transposedExactSums(g, xv, wv, b, s, t);
      certifyInto(s, t, out.length, g.nTerms, out, 0, exact);
      break;
    }
    case 'depthwise':
      depthwiseExact(g, xv, wv, b, out, exact);
      break;
    case 'pointwise':
    case 'im2col-gemm':
      convGemm(g, m, xv, wv, b, out, 'exact', tileLimit(output, budget));
      break;
    default:
      unhandledConvMethod(m);
  }
  if (!spec.transposed) poisonPaddedNonFiniteTaps(g, wv, out);
  activateInPlace(out, spec.activation);
  return Tensor.fromData(out, conv2dOutputShape(spec));
}

/**
 * Fast mode: float32 accumulation (each step fl32(acc + w*x)), bias first, then the terms in the
 * method's fixed order: (c, p, q) ascending for direct, im2col-gemm, pointwise and transposed;
 * (p, q) for depthwise. Deterministic; within docs/error-model.md's bound. Winograd sums
 * transformed tiles instead, within docs/winograd-bound.md's.
 */
export function conv2dFast(spec: Conv2dSpec, x: Tensor, w: Tensor, bias?: Tensor, method?: ConvMethod, budget = DEFAULT_MEMORY_BUDGET): Tensor {
  const m = checkMethod(spec, method ?? defaultCpuConvMethod(spec));
  const { output } = checkMemoryBudget({ op: 'conv2d', spec }, m, 'fast', budget);
  const { g, x: xv, w: wv, b, out } = prepare(spec, x, w, bias);
  switch (m) {
    case 'direct':
      directFast(g, xv, wv, b, out);
      break;
    case 'transposed':
      transposedFast(g, xv, wv, b, out);
      break;
    case 'depthwise':
      depthwiseFast(g, xv, wv, b, out);
      break;
    case 'pointwise':
    case 'im2col-gemm':
      convGemm(g, m, xv, wv, b, out, 'fast', tileLimit(output, budget));
      break;
    case 'winograd-2x3':
    case 'winograd-4x3':
      winogradFast(m, g, xv, wv, b, out);
      break;
    default:
      unhandledConvMethod(m);
  }
  if (!spec.transposed) poisonPaddedNonFiniteTaps(g, wv, out);
  activateInPlace(out, spec.activation);
  return Tensor.fromData(out, conv2dOutputShape(spec));
}

/**
 * The error model's absolute-value convolution: A = |b| + sum |w * x| per output element
 * (docs/error-model.md, "The bound"), summed in float64 and rounded up to float32 with a margin for the
 * float64 error, so it never underestimates. No activation.
 */
export function conv2dAbs(spec: Conv2dSpec, x: Tensor, w: Tensor, bias?: Tensor): Tensor {
  const { g, x: xv, w: wv, b, out } = prepare(spec, x, w, bias);
  if (spec.transposed) {
    const s = new Float64Array(out.length);
    const t = new Float64Array(out.length);
    transposedExactSums(g, xv, wv, b, s, t);
    for (let i = 0; i < out.length; i++) out[i] = roundUpAbs(t[i], g.nTerms);
  } else {
    convGemm(g, 'im2col-gemm', xv, wv, b, out, 'abs');
  }
  return Tensor.fromData(out, conv2dOutputShape(spec));
}
