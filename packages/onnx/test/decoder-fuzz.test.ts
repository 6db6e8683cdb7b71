import { ConvrouteError } from '@convroute/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadOnnx } from '../src/index.ts';
import { fcParams } from './fc-params.ts';
import { convModel } from './onnx-models.ts';

// Models are untrusted: any bytes either load or fail with a ConvrouteError, never another
// exception, and quickly (each case is bounded by vitest's timeout; the limits bound the work).
async function onlyConvrouteErrors(bytes: Uint8Array): Promise<void> {
  try {
    await loadOnnx(bytes, { limits: { maxTensorElements: 2 ** 20, maxTotalElements: 2 ** 21 } });
  } catch (e) {
    if (!(e instanceof ConvrouteError)) throw e;
  }
}

const valid = convModel([{ op: 'Relu', inputs: ['c'], outputs: ['y'] }], 'y');

describe('the ONNX decoder on hostile bytes', () => {
  it('random bytes give only ConvrouteErrors', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), onlyConvrouteErrors), fcParams('onnx random bytes', 300));
  });

  it('a valid model with bytes flipped, cut or inserted gives only ConvrouteErrors', async () => {
    const mutation = fc.record({
      flips: fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      cut: fc.nat(valid.length),
      insert: fc.tuple(fc.nat(valid.length), fc.uint8Array({ maxLength: 16 })),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ flips, cut, insert }) => {
        const b = Uint8Array.from(valid);
        for (const [i, v] of flips) b[i] = v;
        const [at, extra] = insert;
        const mutated = new Uint8Array([...b.subarray(0, at), ...extra, ...b.subarray(at, cut < at ? valid.length : cut)]);
        await onlyConvrouteErrors(mutated);
      }),
      fcParams('onnx mutated model', 300),
    );
  });

  it('refuses a model over maxBytes before decoding it', async () => {
    await expect(loadOnnx(valid, { limits: { maxBytes: 100 } })).rejects.toMatchObject({ code: 'TOO_LARGE', field: 'model' });
  });
});
