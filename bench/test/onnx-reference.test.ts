import { conv2dExact } from '@convroute/backend-cpu';
import {
  type Conv2dSpecArbOptions,
  compareWithBound,
  conv2dInputs,
  conv2dSpecArb,
  type DataKind,
  dataSeedArb,
  describeSpec,
  EDGE_CASES,
  edgeCaseSpec,
  fcParams,
  referenceConv2d,
  specToCommandLine,
} from '@convroute/conformance';
import { type Conv2dSpec, conv2dReductionLength, type Tensor } from '@convroute/core';
import * as fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { onnxConv2d } from '../src/onnx-conv.ts';

/**
 * CPU exact against ONNX Runtime (CPU, one thread), an implementation nobody here wrote: within
 * the error bound on float data (ORT sums in float32), bitwise on small integers. A disagreement
 * is a semantics bug (pad order, output size, transposed weight layout), never a tolerance.
 */
const stats = { cases: 0, transposedWithOutputPadding: 0, asymmetricPads: 0, maxRatio: 0 };

async function agree(spec: Conv2dSpec, inputs: Tensor[], kind: DataKind | 'custom'): Promise<void> {
  stats.cases++;
  if (spec.transposed && spec.outputPadding.some((p) => p > 0)) stats.transposedWithOutputPadding++;
  if (spec.padding[0] !== spec.padding[2] || spec.padding[1] !== spec.padding[3]) stats.asymmetricPads++;
  const [x, w, b] = inputs;
  const ref = await referenceConv2d(spec, inputs);
  const got = await onnxConv2d(spec, x, w, b);
  const c = compareWithBound(got, ref.y, ref.abs, conv2dReductionLength(spec), {
    shape: ref.y.shape,
    bitwise: kind === 'small-int',
    label: `onnxruntime vs cpu exact (${kind} data)`,
  });
  stats.maxRatio = Math.max(stats.maxRatio, c.maxRatio);
  if (!c.ok) throw new Error(`${c.message}\n  spec: ${describeSpec(spec)}\n  reproduce: ${specToCommandLine(spec)}`);
  // The exact reference is method-independent: its im2col-gemm path must give the same bits.
  if (!spec.transposed) expect(conv2dExact(spec, x, w, b, 'im2col-gemm').data).toEqual(ref.y.data);
}

const suites: [string, Conv2dSpecArbOptions][] = [
  ['every class', {}],
  ['transposed (output padding, asymmetric pads, groups)', { classes: ['Transposed'], maxStride: 4, maxPadding: 4 }],
  ['grouped and dilated sliding window', { classes: ['SlidingWindow'], maxGroups: 4, maxDilation: 4 }],
];

describe('CPU exact agrees with onnxruntime-node', () => {
  afterAll(() => console.log(`[onnx-reference] ${JSON.stringify(stats)}`));

  for (const [name, options] of suites) {
    for (const kind of ['float', 'small-int'] as const) {
      it(`${name}, ${kind} data`, async () => {
        await fc.assert(
          fc.asyncProperty(conv2dSpecArb(options), dataSeedArb, (spec, seed) => agree(spec, conv2dInputs(spec, kind, seed), kind)),
          fcParams(`onnxruntime ${name} ${kind}`, {}, 40),
        );
      });
    }
  }

  it('named edge cases', async () => {
    for (const c of EDGE_CASES) {
      const spec = edgeCaseSpec(c);
      if (c.data) await agree(spec, c.data(spec, 1), 'custom');
      else for (const kind of ['float', 'small-int'] as const) await agree(spec, conv2dInputs(spec, kind, 1), kind);
    }
  });
});
