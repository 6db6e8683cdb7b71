import { type Activation, type GemmSpec, gemmSpec, type Im2colSpec, im2colOfConv } from '@convroute/core';
import * as fc from 'fast-check';
import { activationArb, type Conv2dSpecArbOptions, conv2dSpecArb } from './conv2d-spec.ts';

/** im2col specs: the im2col of a generated forward conv (any forward class). */
export function im2colSpecArb(options: Omit<Conv2dSpecArbOptions, 'classes' | 'method'> = {}): fc.Arbitrary<Im2colSpec> {
  return conv2dSpecArb({ ...options, classes: ['Depthwise', 'Pointwise', 'SlidingWindow'] }).map(im2colOfConv);
}

export interface GemmSpecArbOptions {
  maxBatch?: number;
  maxM?: number;
  maxN?: number;
  maxK?: number;
  bias?: boolean;
  activations?: boolean;
  /** ONNX Gemm's extras too: alpha and beta (powers of two, so small-integer data stays exact in
   * any order) and a bias of any shape that broadcasts to [M, N]. Default off: backends that run
   * only the plain gemm would skip those cases. */
  onnx?: boolean;
}

/** GEMM specs of rank 2 or 3 (batched), any transposes, optional bias and activation. */
export function gemmSpecArb(options: GemmSpecArbOptions = {}): fc.Arbitrary<GemmSpec> {
  const { maxBatch = 3, maxM = 12, maxN = 12, maxK = 24 } = options;
  return fc
    .record({
      batch: fc.option(fc.integer({ min: 1, max: maxBatch }), { nil: undefined }),
      m: fc.integer({ min: 1, max: maxM }),
      n: fc.integer({ min: 1, max: maxN }),
      k: fc.integer({ min: 1, max: maxK }),
      transA: fc.boolean(),
      transB: fc.boolean(),
      bias: options.bias === undefined ? fc.boolean() : fc.constant(options.bias),
      activation: options.activations === false ? fc.constant<Activation>({ kind: 'none' }) : activationArb(),
      alpha: options.onnx ? fc.constantFrom(1, 0.5, 2, -1, 0.25) : fc.constant(1),
      beta: options.onnx ? fc.constantFrom(1, 0.5, 2, -1, 0) : fc.constant(1),
      biasKind: options.onnx ? fc.nat(4) : fc.constant(0),
    })
    .map(({ batch, m, n, k, transA, transB, bias, activation, alpha, beta, biasKind }) => {
      const lead = batch === undefined ? [] : [batch];
      const biasShape = [[n], [1, n], [m, 1], [m, n], []][biasKind];
      return gemmSpec({
        a: [...lead, ...(transA ? [k, m] : [m, k])],
        b: [...lead, ...(transB ? [n, k] : [k, n])],
        transA,
        transB,
        ...(bias ? { biasShape } : { bias }),
        alpha,
        beta,
        activation,
      });
    });
}
