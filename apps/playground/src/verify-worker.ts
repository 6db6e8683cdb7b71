/// <reference lib="webworker" />

import { conv2dAbs, conv2dExact } from '@convroute/backend-cpu';
import { compareConvMethod, ERROR_MODELS } from '@convroute/conformance';
import { CONV_METHOD_DESCRIPTORS, conv2dOutputShape, Tensor } from '@convroute/core';
import type { VerifyRequest, VerifyResponse, VerifyVerdict } from './verify-protocol.ts';

/**
 * Runs the exact CPU reference (and A, the absolute-value conv of the error model) for one conv
 * and judges the WebGPU output against its method's error model (docs/error-model.md's bound, or
 * Winograd's, which no small-integer data makes exact). A worker, so a slow exact reference on
 * a large layer never freezes the page.
 */
async function verify(req: VerifyRequest): Promise<VerifyVerdict> {
  const { spec } = req;
  const shapes = [spec.input, spec.weight, spec.bias ? [spec.transposed ? spec.weight[1] * spec.groups : spec.weight[0]] : []];
  const inputs = req.inputs.map((d, i) => Tensor.fromData(d, shapes[i]));
  const t0 = performance.now();
  const [x, w, b] = inputs;
  const ref = { y: conv2dExact(spec, x, w, b), abs: conv2dAbs(spec, x, w, b) };
  const referenceMs = performance.now() - t0;
  const shape = conv2dOutputShape(spec);
  const d = CONV_METHOD_DESCRIPTORS.find((m) => m.name === req.method);
  const bitwise = req.bitwise && !(d && ERROR_MODELS[d.errorModel].inexactOnSmallIntegers);
  const report = compareConvMethod(req.method ?? 'direct', spec, inputs, req.actual, ref, { shape, label: req.label, bitwise });
  const refData = ref.y.data;
  let maxError = 0;
  for (let i = 0; i < refData.length; i++) {
    const e = Math.abs(req.actual[i] - refData[i]);
    if (e > maxError || Number.isNaN(e)) maxError = e;
  }
  return {
    ok: report.ok,
    mode: report.mode,
    elements: report.elements,
    failures: report.failures,
    maxRatio: report.maxRatio,
    maxError,
    worstBound: report.worst?.bound ?? 0,
    message: report.message,
    referenceMs,
  };
}

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = async (ev: MessageEvent<VerifyRequest>) => {
  const req = ev.data;
  let res: VerifyResponse;
  try {
    res = { id: req.id, verdict: await verify(req) };
  } catch (e) {
    res = { id: req.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
  scope.postMessage(res);
};
