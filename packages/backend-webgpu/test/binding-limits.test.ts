import { conv2dSpecArb, fcParams, propertySeed, runSeed } from '@convroute/conformance';
import {
  type BindingLimits,
  type Conv2dSpec,
  type ConvMethod,
  conv2dOutputShape,
  conv2dSpec,
  convMethodsFor,
  isConvrouteError,
  methodBindingExcess,
  methodBindings,
  shapeSize,
} from '@convroute/core';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ConvOperands,
  type ConvPlan,
  depthwisePlan,
  directPlan,
  im2colGemmPlan,
  implicitGemmPlan,
  pointwisePlan,
  transposedPlan,
} from '../src/ops/conv-plans.ts';
import { winogradPlan } from '../src/ops/winograd-plan.ts';
import { type GpuArray, GpuRuntime } from '../src/runtime.ts';

/**
 * Core's method footprint (what the router routes by) against the WebGPU backend's own refusals,
 * without a GPU: a runtime whose allocations go through GpuRuntime's real binding check, and the
 * real conv plans, which size their buffers (packed weights, im2col tiles, gathers) themselves.
 */
function fakeRuntime(limits: BindingLimits, allocated: number[] = []): GpuRuntime {
  const rt = Object.create(GpuRuntime.prototype) as GpuRuntime;
  const fake = {
    limits: { ...limits, maxComputeWorkgroupSizeZ: 64, maxComputeInvocationsPerWorkgroup: 256, maxComputeWorkgroupsPerDimension: 65535 },
    subgroupSize: null,
    maxWorkgroupsPerDimension: 65535,
    alloc(count: number): GpuArray {
      allocated.push(count * 4);
      rt.checkBinding('buffer', count * 4);
      return { buffer: {} as GPUBuffer, size: count * 4 };
    },
    upload: (data: Float32Array): GpuArray => rt.alloc(data.length),
    release: () => {},
    pipeline: async () => ({}) as GPUComputePipeline,
  };
  return Object.assign(rt, fake);
}

/** Plans `method` as the backend's prepare does (output, input, weights, bias, then the plan);
 * returns the LIMIT_EXCEEDED refusal, or null when every buffer was allowed. */
async function backendRefusal(method: ConvMethod, spec: Conv2dSpec, limits: BindingLimits, im2colBudget: number, allocated?: number[]): Promise<unknown> {
  const rt = fakeRuntime(limits, allocated);
  try {
    const y = rt.alloc(shapeSize(conv2dOutputShape(spec)));
    const x = rt.alloc(shapeSize(spec.input));
    const raw = new Float32Array(shapeSize(spec.weight));
    const weight = (_layout: string, pack?: (w: Float32Array) => Float32Array) => rt.upload(pack ? pack(raw) : raw);
    const bias = spec.bias ? rt.alloc(conv2dOutputShape(spec)[1]) : undefined;
    const o: ConvOperands = { x, y, weight, bias };
    const plans: Record<ConvMethod, () => Promise<ConvPlan>> = {
      direct: () => directPlan(rt, spec, o),
      pointwise: () => pointwisePlan(rt, spec, o),
      depthwise: () => depthwisePlan(rt, spec, o),
      transposed: () => transposedPlan(rt, spec, o),
      'im2col-gemm': () => im2colGemmPlan(rt, spec, o, im2colBudget),
      'implicit-gemm': () => implicitGemmPlan(rt, spec, o),
      'winograd-2x3': () => winogradPlan(rt, 'winograd-2x3', spec, o),
      'winograd-4x3': () => winogradPlan(rt, 'winograd-4x3', spec, o),
    };
    await plans[method]();
    return null;
  } catch (e) {
    if (isConvrouteError(e, 'LIMIT_EXCEEDED')) return e;
    throw e;
  }
}

describe('binding limits: core footprint == the WebGPU backend refusal', () => {
  it('for random specs, every method, limits and im2col budgets at each binding size', async () => {
    // Half the cases 3x3 stride 1 (Winograd's geometry), which random kernels rarely draw.
    const limits = { maxChannelsPerGroup: 12, maxExtraSpatial: 24 };
    const specs = fc.oneof(conv2dSpecArb({ ...limits, maxKernel: 5 }), conv2dSpecArb({ ...limits, method: 'winograd-4x3' }));
    // Limits at every boundary that matters: each size some method binds for the spec (by core's
    // count, and as the backend allocated it with no limit) and one float under it, as the
    // storage-binding or the buffer-size limit (the smaller one binds); budgets at such a size too.
    const choice = fc.record({ bufferSizeBinds: fc.boolean(), budget: fc.option(fc.record({ pick: fc.nat(), delta: fc.constantFrom(-4, 0) })) });
    const name = 'binding limits agree';
    await fc.assert(
      fc.asyncProperty(specs, choice, async (spec, c) => {
        const methods = convMethodsFor(spec);
        const allocated: number[] = [];
        for (const m of methods) await backendRefusal(m, spec, { maxStorageBufferBindingSize: 2 ** 40, maxBufferSize: 2 ** 40 }, 16 * 2 ** 20, allocated);
        const sizes = [...new Set([...methods.flatMap((m) => methodBindings(m, spec).map((b) => b.bytes)), ...allocated])].sort((a, b) => a - b);
        const budget = c.budget ? Math.max(4, sizes[c.budget.pick % sizes.length] + c.budget.delta) : 16 * 2 ** 20;
        for (const limit of sizes.flatMap((b) => [b, b - 4]).filter((b) => b >= 4)) {
          const limits = c.bufferSizeBinds
            ? { maxStorageBufferBindingSize: 2 ** 31, maxBufferSize: limit }
            : { maxStorageBufferBindingSize: limit, maxBufferSize: 2 ** 32 };
          for (const m of methods) {
            const predicted = methodBindingExcess(m, spec, limits);
            const refused = await backendRefusal(m, spec, limits, budget);
            expect({ method: m, limits, budget, refused: refused !== null }).toEqual({ method: m, limits, budget, refused: predicted !== null });
          }
        }
      }),
      fcParams(name, { seed: propertySeed(runSeed(), name) }, 300),
    );
  });

  it("im2col-gemm's refusal names the row, its bytes and the limit, as the router's reason does", async () => {
    // Issue 12: 1x1024x4x4096, 3x3, pad 1 on Mali's 128 MiB binding: one im2col row is 144 MiB.
    const spec = conv2dSpec({ input: [1, 1024, 4, 4096], weight: [64, 1024, 3, 3], padding: 1 });
    const limits = { maxStorageBufferBindingSize: 134217728, maxBufferSize: 268435456 };
    const e = methodBindingExcess('im2col-gemm', spec, limits);
    expect(e).toMatchObject({ name: 'im2col row', bytes: 150994944, limit: 134217728, limitName: 'maxStorageBufferBindingSize' });
    const rt = fakeRuntime(limits);
    const o: ConvOperands = { x: rt.alloc(0), y: rt.alloc(0), weight: () => rt.alloc(0) };
    await expect(im2colGemmPlan(rt, spec, o, 16 * 2 ** 20)).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED', field: 'im2col row', value: 150994944 });
    expect(methodBindingExcess('direct', spec, limits)).toBeNull();
  });
});
