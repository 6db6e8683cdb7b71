import { compareConvMethod, conv2dInputs, type DataKind, ERROR_MODELS, referenceConv2d } from '@convroute/conformance';
import { CONV_METHOD_DESCRIPTORS, type Conv2dSpec, type Method, type Tensor } from '@convroute/core';
import { expect } from 'vitest';
import type { WebGpuBackend } from '../src/index.ts';

/** Runs `method` and holds it to the exact CPU reference under its descriptor's error model
 * (conformance's compareConvMethod: docs/error-model.md's per-element bound, Winograd's own):
 * bitwise for small-int data unless the model rounds constants (Winograd). Returns error/bound. */
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
  const d = CONV_METHOD_DESCRIPTORS.find((x) => x.name === method);
  const exactOnSmallInts = !(d && ERROR_MODELS[d.errorModel].inexactOnSmallIntegers);
  const r = compareConvMethod(method, spec, xs, y, ref, {
    bitwise: kind === 'small-int' && exactOnSmallInts,
    inputsFinite: kind !== 'specials',
    shape: y.shape,
    label: `webgpu ${method}`,
  });
  expect(r.ok, r.message).toBe(true);
  return r.maxRatio;
}
