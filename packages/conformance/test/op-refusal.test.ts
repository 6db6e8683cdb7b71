import { createCpuBackend } from '@convroute/backend-cpu';
import { ConvrouteError } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { type OpSample, opSamples } from '../src/index.ts';

// Issue 13: a backend runs an op it implements, and refuses one it does not with
// UNSUPPORTED_METHOD (never a wrong answer or a crash). opSamples covers every op of the IR.
describe('the cpu backend refuses every op it has no kernel for', () => {
  for (const mode of ['exact', 'fast'] as const) {
    it(`${mode}: each op runs with its method, or run and methodsFor agree it has none`, async () => {
      const cpu = createCpuBackend({ mode });
      const samples: OpSample[] = opSamples();
      for (const { op, inputs, outputShape } of samples) {
        const methods = cpu.methodsFor(op);
        if (methods.length > 0) {
          expect((await cpu.run(op, methods[0], inputs)).shape, op.op).toEqual(outputShape);
          continue;
        }
        const method = op.op === 'conv2d' ? 'direct' : op.op;
        const err = await cpu.run(op, method, inputs).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err, op.op).toBeInstanceOf(ConvrouteError);
        expect((err as ConvrouteError).code, op.op).toBe('UNSUPPORTED_METHOD');
        expect((err as ConvrouteError).rule).toContain(op.op);
      }
    });
  }
});
