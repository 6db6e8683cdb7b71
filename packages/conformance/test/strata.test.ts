import { createCpuBackend } from '@convroute/backend-cpu';
import { type Backend, type Conv2dSpec, ConvrouteError, conv2dOutputShape, conv2dSpec, Tensor } from '@convroute/core';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backendOracle, checkBackend, conv2dSpecArb, conv2dStrata, fcParams, fcSettings, propertySeed } from '../src/index.ts';

/** The CPU exact backend, recording every conv spec it is asked to run. */
function recording(specs: Conv2dSpec[]): Backend {
  const inner = createCpuBackend({ mode: 'exact' });
  return {
    ...inner,
    name: 'recording',
    run: (op, m, inputs) => {
      if (op.op === 'conv2d') specs.push(op.spec);
      return inner.run(op, m, inputs);
    },
  };
}

describe('the kit covers what it claims, every run', () => {
  it('gives each conv2d property its own seed: three properties draw three sets of specs', async () => {
    const specs: Conv2dSpec[] = [];
    const { seed } = fcSettings();
    const report = await checkBackend(recording(specs), { ops: ['conv2d'], edgeCases: false, numRuns: 25, seed, log: () => {} });
    expect(report.ok, report.summary).toBe(true);
    const distinct = new Set(specs.map((s) => JSON.stringify(s))).size;
    // 3 x 25 random cases plus 3 x 9 strata cases (a shared seed gave 25 + 27 at most).
    console.log(`seed ${seed}: ${distinct} distinct specs`);
    expect(distinct).toBeGreaterThanOrEqual(90);
  });

  it('covers every activation x bias combination and the larger sizes even with one random case', async () => {
    const specs: Conv2dSpec[] = [];
    const { seed } = fcSettings();
    await checkBackend(recording(specs), { ops: ['conv2d'], dataKinds: ['float'], edgeCases: false, numRuns: 1, seed, log: () => {} });
    for (const act of ['none', 'relu', 'clamp'])
      for (const bias of [false, true])
        expect(
          specs.some((s) => s.activation.kind === act && s.bias === bias),
          `${act} ${bias}`,
        ).toBe(true);
    expect(specs.some((s) => s.input[0] >= 3)).toBe(true);
    expect(specs.some((s) => conv2dOutputShape(s)[1] > 16)).toBe(true);
    expect(specs.some((s) => conv2dOutputShape(s)[3] > 16)).toBe(true);
  });

  it('each stratum generates only specs inside it, within the caller restrictions', () => {
    for (const base of [{}, { method: 'pointwise' as const }, { classes: ['Transposed' as const] }, { method: 'depthwise' as const }]) {
      for (const st of conv2dStrata(base)) {
        fc.assert(
          fc.property(conv2dSpecArb(st.options(base)), (spec) => st.holds(spec)),
          fcParams(`stratum ${st.name} of ${JSON.stringify(base)}`, {}, 30),
        );
      }
    }
  });

  it('drops strata a restriction rules out', () => {
    expect(conv2dStrata({ bias: false }).map((s) => s.name)).toEqual([
      'none, no bias',
      'relu, no bias',
      'clamp, no bias',
      'N >= 3',
      'C_out > 16, K up to 320',
      'W_out > 16',
    ]);
    expect(conv2dStrata({ activations: false }).map((s) => s.name)).toEqual([
      'none, no bias',
      'none + bias',
      'N >= 3',
      'C_out > 16, K up to 320',
      'W_out > 16',
    ]);
  });

  it('derives distinct, reproducible property seeds', () => {
    expect(propertySeed(7, 'conv2d, float data')).toBe(propertySeed(7, 'conv2d, float data'));
    expect(propertySeed(7, 'conv2d, float data')).not.toBe(propertySeed(7, 'conv2d, specials data'));
    expect(propertySeed(7, 'conv2d, float data')).not.toBe(propertySeed(8, 'conv2d, float data'));
  });
});

describe('backendOracle', () => {
  const spec = conv2dSpec({ input: [1, 2, 4, 4], weight: [3, 2, 3, 3], padding: 1 });
  const x = Tensor.zeros([1, 2, 4, 4]);
  const w = Tensor.zeros([3, 2, 3, 3]);

  it('refuses a conv method the backend cannot run, instead of running another under its name', async () => {
    const oracle = backendOracle(createCpuBackend({ mode: 'exact' }), 'implicit-gemm');
    let err: unknown;
    try {
      await oracle.conv2d(spec, x, w);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConvrouteError);
    expect(err).toMatchObject({ code: 'UNSUPPORTED_METHOD', field: 'convMethod', value: 'implicit-gemm' });
    expect((err as Error).message).toMatch(/it can run: direct, im2col-gemm/);
  });

  it('runs the method it names', async () => {
    const inner = createCpuBackend({ mode: 'exact' });
    const ran: string[] = [];
    const run: Backend['run'] = (op, m, inputs) => {
      ran.push(m);
      return inner.run(op, m, inputs);
    };
    const oracle = backendOracle({ ...inner, run }, 'im2col-gemm');
    await oracle.conv2d(spec, x, w);
    expect(ran).toEqual(['im2col-gemm']);
  });
});
