import { compareWithBound, conv2dInputs, type DataKind, referenceConv2d } from '@convroute/conformance';
import { type Conv2dSpec, conv2dReductionLength, type Method, type Tensor } from '@convroute/core';
import { expect } from 'vitest';
import type { WebGpuBackend } from '../src/index.ts';

/** Runs `method` and holds it to the exact CPU reference: bitwise for small-int data, else
 * docs/error-model.md's per-element bound (conformance's compareWithBound). Returns error/bound. */
export async function expectMatchesReference(
  backend: WebGpuBackend,
  spec: Conv2dSpec,
  method: Method,
  kind: DataKind,
  seed = 1,
  inputs?: Tensor[],
): Promise<number> {
  const xs = inputs ?? conv2dInputs(spec, kind, seed);
  const ref = await referenceConv2d(spec, xs);
  const y = await backend.run({ op: 'conv2d', spec }, method, xs);
  const r = compareWithBound(y, ref.y, ref.abs, conv2dReductionLength(spec), {
    bitwise: kind === 'small-int',
    inputsFinite: kind !== 'specials',
    shape: y.shape,
    label: `webgpu ${method}`,
  });
  expect(r.ok, r.message).toBe(true);
  return r.maxRatio;
}
