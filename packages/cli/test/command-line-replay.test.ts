import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conv2dExact } from '@convroute/backend-cpu';
import { specToCommandLine } from '@convroute/conformance';
import { conv2dBiasShape, conv2dSpec, readNpy, Tensor, uniformData, writeNpy } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { convroute } from './cli-helpers.ts';

// Conformance failures print a command line; it must run as printed against this CLI.
describe('conformance command lines replay through the CLI', () => {
  it.each([
    conv2dSpec({
      input: [1, 4, 6, 5],
      weight: [6, 2, 3, 2],
      groups: 2,
      stride: [2, 1],
      padding: [1, 0, 2, 1],
      dilation: [1, 2],
      bias: true,
      activation: 'relu',
    }),
    conv2dSpec({ input: [2, 4, 3, 3], weight: [4, 3, 3, 3], groups: 2, transposed: true, stride: 2, outputPadding: 1, padding: [1, 0, 0, 1] }),
  ])('%#', (spec) => {
    const dir = mkdtempSync(join(tmpdir(), 'convroute-replay-'));
    const files = { input: join(dir, 'x.npy'), weight: join(dir, 'w.npy'), bias: join(dir, 'b.npy'), output: join(dir, 'y.npy') };
    const x = Tensor.fromData(
      uniformData(
        spec.input.reduce((a, b) => a * b),
        1,
      ),
      spec.input,
    );
    const w = Tensor.fromData(
      uniformData(
        spec.weight.reduce((a, b) => a * b),
        2,
      ),
      spec.weight,
    );
    const b = spec.bias ? Tensor.fromData(uniformData(conv2dBiasShape(spec)[0], 3), conv2dBiasShape(spec)) : undefined;
    writeFileSync(files.input, writeNpy(x));
    writeFileSync(files.weight, writeNpy(w));
    if (b) writeFileSync(files.bias, writeNpy(b));
    const line = specToCommandLine(spec, { files, backend: 'cpu' });
    const args = line.split(' ');
    expect(args.slice(0, 2)).toEqual(['pnpm', 'convroute']);
    const r = convroute(args.slice(2));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(Array.from(readNpy(readFileSync(files.output)).data)).toEqual(Array.from(conv2dExact(spec, x, w, b).data));
  });
});
