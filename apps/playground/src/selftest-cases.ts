import { conv2dSpecArb, type DataKind } from '@convroute/conformance';
import { CONV_METHODS, type Conv2dSpec, type ConvMethod } from '@convroute/core';
import * as fc from 'fast-check';

/** One differential case: a method, a small random spec it can compute, and data. */
export interface SelftestCase {
  index: number;
  method: ConvMethod;
  kind: DataKind;
  spec: Conv2dSpec;
  dataSeed: number;
}

/** 'float' is judged by the error bound; 'small-int' data sums exactly in every order, so the
 * GPU must match the reference bit for bit (docs/error-model.md, "Exactness on small integers"). NaN and infinities are
 * left to the Node suites: WGSL does not promise IEEE special values. */
export const SELFTEST_KINDS: readonly DataKind[] = ['float', 'small-int'];

/** Small shapes, like the Node backend's differential tests: enough to hit every index path
 * (groups, stride, dilation, asymmetric padding, batch) while SwiftShader stays quick. */
const SMALL = { maxBatch: 2, maxGroups: 3, maxChannelsPerGroup: 4, maxKernel: 4, maxStride: 3, maxDilation: 3, maxPadding: 3, maxExtraSpatial: 5 };

/**
 * `runs` cases per (method, data kind), drawn with fast-check from conformance's spec
 * arbitraries, reproducible from `seed`.
 */
export function selftestCases(seed: number, runs: number, methods: readonly ConvMethod[] = CONV_METHODS): SelftestCase[] {
  const cases: SelftestCase[] = [];
  methods.forEach((method, mi) => {
    SELFTEST_KINDS.forEach((kind, ki) => {
      const specs = fc.sample(conv2dSpecArb({ ...SMALL, method }), { seed: seed + 1009 * mi + 7919 * ki, numRuns: runs });
      for (const spec of specs) cases.push({ index: cases.length, method, kind, spec, dataSeed: (seed + 31 * cases.length) >>> 0 });
    });
  });
  return cases;
}
