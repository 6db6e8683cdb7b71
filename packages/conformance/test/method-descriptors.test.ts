import { createCpuBackend } from '@convroute/backend-cpu';
import {
  type Backend,
  CONV_CLASSES,
  CONV_METHOD_DESCRIPTORS,
  type Conv2dSpec,
  type ConvMethodDescriptor,
  classifyConv,
  convMethodDescriptor,
  isConvrouteError,
  type Method,
} from '@convroute/core';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkBackend, conv2dSpecArb, fcParams } from '../src/index.ts';

describe('conv method descriptors and classification', () => {
  it('each method computes every conv of the classes it claims (of its geometry, when it has one), and its own class is one of them', () => {
    for (const d of CONV_METHOD_DESCRIPTORS) expect(d.computes, d.name).toContain(d.class);
    const geometryHolds = (d: ConvMethodDescriptor, spec: Conv2dSpec) =>
      !d.geometry ||
      ([spec.weight[2], spec.weight[3]].every((k) => k === d.geometry!.kernel) &&
        spec.stride.every((s) => s === d.geometry!.stride) &&
        spec.dilation.every((x) => x === d.geometry!.dilation));
    const anyGeometry = conv2dSpecArb();
    const winogradGeometry = conv2dSpecArb({ minKernel: 3, maxKernel: 3, maxStride: 1, maxDilation: 1 });
    fc.assert(
      fc.property(fc.oneof(anyGeometry, winogradGeometry), (spec) => {
        const cls = classifyConv(spec);
        for (const d of CONV_METHOD_DESCRIPTORS as readonly ConvMethodDescriptor[]) {
          const why = d.rejection(spec);
          if ((d.computes as readonly string[]).includes(cls) && geometryHolds(d, spec)) expect(why, `${d.name} on a ${cls} conv`).toBeNull();
          else if (d.geometry && !geometryHolds(d, spec)) expect(why, `${d.name} outside its geometry`).not.toBeNull();
          // Outside its classes a method computes only the 1-channel 1x1 conv (Depthwise by
          // ExecuTorch's order) that pointwise also computes.
          else if (why === null) expect([d.name, cls, spec.input[1], spec.weight[2] * spec.weight[3]]).toEqual(['pointwise', 'Depthwise', 1, 1]);
        }
      }),
      fcParams('descriptors vs classification', {}, 300),
    );
  });

  it('the generator restricted to a method draws from every class the method computes', () => {
    for (const d of CONV_METHOD_DESCRIPTORS) {
      const specs = fc.sample(conv2dSpecArb({ method: d.name }), { numRuns: 300, seed: 3 });
      const seen = new Set(specs.map(classifyConv));
      expect([...seen].sort(), d.name).toEqual([...d.computes].sort());
      for (const s of specs) expect(d.rejection(s), d.name).toBeNull();
    }
    expect(new Set(CONV_METHOD_DESCRIPTORS.flatMap((d) => d.computes))).toEqual(new Set(CONV_CLASSES));
  });
});

const extra = (errorModel: ConvMethodDescriptor['errorModel']): ConvMethodDescriptor => ({
  ...convMethodDescriptor('direct'),
  name: 'direct-renamed',
  errorModel,
});

/** The CPU fast backend with one more conv method, direct-renamed: its direct kernel under
 * another name, declared wherever direct's preconditions hold. */
function withExtraMethod(): Backend {
  const inner = createCpuBackend({ mode: 'fast' });
  const name = 'direct-renamed' as Method;
  return {
    name: 'cpu-extra',
    description: 'cpu fast with direct-renamed (its direct kernel under another name)',
    methodsFor: (op) => (op.op === 'conv2d' && extra('reordering').rejection(op.spec) === null ? [...inner.methodsFor(op), name] : inner.methodsFor(op)),
    run: (op, m, inputs) => inner.run(op, m === name ? 'direct' : m, inputs),
  };
}

describe("checkBackend judges each method by its descriptor's error model", () => {
  const options = { ops: ['conv2d'] as const, dataKinds: ['float'] as const, edgeCases: false, log: () => {} };

  it('the default (reordering) bound passes float32 accumulation', async () => {
    const report = await checkBackend(withExtraMethod(), { ...options, extraMethods: [extra('reordering')] });
    expect(report.summary).toContain('conv2d/direct-renamed');
    expect(report.ok, report.checks.map((c) => c.message).join('\n')).toBe(true);
  });

  it('the same kernel declared correctly rounded fails, and only that method fails', async () => {
    const report = await checkBackend(withExtraMethod(), { ...options, extraMethods: [extra('correctly-rounded')] });
    console.log(`(expected: direct-renamed declares a tighter bound than it meets)\n${report.summary}`);
    expect(report.ok).toBe(false);
    expect(report.checks[0].message).toMatch(
      /cpu-extra conv2d direct-renamed: \d+ of \d+ elements differ from the exact reference \(bitwise required by error model correctly-rounded\)/,
    );
    expect(report.failures['conv2d/direct-renamed']).toBeGreaterThan(0);
    expect(report.failures['conv2d/direct']).toBeUndefined();
  });

  it('a declared conv method without a descriptor fails the check', async () => {
    const report = await checkBackend(withExtraMethod(), options);
    expect(report.ok).toBe(false);
    expect(report.checks[0].message).toMatch(/declares conv method direct-renamed, which no method descriptor describes/);
  });

  it('extraMethods may not redescribe a core method', async () => {
    const e = await checkBackend(createCpuBackend(), {
      ...options,
      extraMethods: [{ ...convMethodDescriptor('direct'), errorModel: 'correctly-rounded' }],
    }).catch((x) => x);
    expect(isConvrouteError(e, 'INVALID_ARGUMENT')).toBe(true);
    expect(e.message).toMatch(/extraMethods/);
  });
});
