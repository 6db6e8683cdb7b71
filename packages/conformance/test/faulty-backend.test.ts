import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createCpuBackend } from '@convroute/backend-cpu';
import { type Backend, ConvrouteError, conv2dOutputShape as convOutputShape, readNpy, Tensor } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { checkBackend } from '../src/index.ts';

/** The CPU fast backend with one output element of one method moved by `delta` (the last
 * element, so a correct index in the report is not a coincidence of index 0). */
function perturbed(method: string, delta: (v: number) => number): Backend {
  const inner = createCpuBackend({ mode: 'fast' });
  return {
    name: 'faulty',
    description: `cpu fast with one ${method} element perturbed`,
    methodsFor: (op) => inner.methodsFor(op),
    async run(op, m, inputs) {
      const out = await inner.run(op, m, inputs);
      if (m !== method) return out;
      const data = out.data.slice();
      data[data.length - 1] = delta(data[data.length - 1]);
      return Tensor.fromData(data, out.shape);
    },
  };
}

describe('the suite can fail', () => {
  it('catches one perturbed element and reports it with a ready-to-run command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-'));
    const lines: string[] = [];
    const report = await checkBackend(
      perturbed('direct', (v) => v + 0.5),
      { ops: ['conv2d'], edgeCases: false, failureDir: dir, log: (l) => lines.push(l) },
    );
    console.log(`(expected: this backend is faulty on purpose)\n${report.summary}`);
    expect(report.ok).toBe(false);
    expect(lines[0]).toMatch(/seed=\d+/);
    const failed = report.checks.filter((c) => !c.ok);
    expect(failed.map((c) => c.name)).toEqual(['conv2d, float data', 'conv2d, specials data', 'conv2d, small-int data']);
    const f = failed[0];
    expect(f.message).toMatch(
      /faulty conv2d direct: 1 of \d+ elements exceed the error bound .* worst at \[\d+, \d+, \d+, \d+\] \(flat \d+\): got .*, reference .*, error .*, bound .*, ratio /,
    );
    expect(f.message).toMatch(/replay: FC_SEED=\d+/);
    // The CLI cannot load a caller's backend: the command recomputes the exact reference, and the
    // backend's own output lies beside it.
    expect(f.commandLine).toMatch(
      /^pnpm convroute conv2d --input \S+x\.npy --weight \S+w\.npy .*--stride \d+,\d+ --padding \d+,\d+,\d+,\d+ --dilation \d+,\d+ --groups \d+ .*--backend cpu --mode exact --output \S+y_ref\.npy$/,
    );
    expect(f.message).toMatch(/y_ref\.npy \(exact reference\), y_got\.npy \(faulty direct\)/);
    // Shrunk toward the smallest failing conv: one batch, stride and dilation 1.
    expect(f.spec?.input[0]).toBe(1);
    expect(f.spec?.stride).toEqual([1, 1]);
    const xPath = f.commandLine!.split(' ')[4];
    expect(existsSync(xPath)).toBe(true);
    expect(readNpy(readFileSync(xPath)).shape).toEqual(f.spec?.input);
    // y_got differs from y_ref exactly where the fault is: the last element, by 0.5.
    const yRef = readNpy(readFileSync(join(dirname(xPath), 'y_ref.npy')));
    const yGot = readNpy(readFileSync(join(dirname(xPath), 'y_got.npy')));
    const diffs = Array.from(yGot.data).flatMap((v, i) => (Object.is(v, yRef.data[i]) ? [] : [i]));
    expect(diffs).toEqual([yRef.data.length - 1]);
    // The failing cases count in the summary's max error/bound; each failure is printed once.
    expect(report.maxRatio['conv2d/direct']).toBeGreaterThan(1);
    expect(report.failures['conv2d/direct']).toBeGreaterThan(0);
    expect(report.summary).toMatch(/conv2d\/direct \S+ \(\d+ failing cases\)/);
    expect(report.summary).not.toMatch(/reproduce/);
    for (const c of failed) expect(lines.filter((l) => l.includes(c.message)).length).toBe(1);
    // The small-int property demands bitwise equality, so even one ulp is caught there.
    expect(failed[2].message).toMatch(/bitwise required/);
  });

  it('catches a one-ulp error on small-integer data (bitwise)', async () => {
    const report = await checkBackend(
      perturbed('im2col-gemm', (v) => (v === 0 ? 1 : v * (1 + 2 ** -23))),
      {
        ops: ['conv2d'],
        dataKinds: ['small-int'],
        edgeCases: false,
        log: () => {},
      },
    );
    expect(report.ok).toBe(false);
    expect(report.checks[0].message).toMatch(/im2col-gemm: 1 of \d+ elements differ from the exact reference \(bitwise required\)/);
  });

  it('catches a backend that runs a method it did not declare', async () => {
    const inner = createCpuBackend({ mode: 'exact' });
    const sloppy: Backend = {
      ...inner,
      name: 'sloppy',
      description: 'falls back',
      methodsFor: (op) => inner.methodsFor(op),
      run: (op, _m, inputs) => inner.run(op, inner.methodsFor(op)[0], inputs),
    };
    const report = await checkBackend(sloppy, { ops: ['conv2d'], dataKinds: ['float'], edgeCases: false, log: () => {} });
    expect(report.ok).toBe(false);
    expect(report.checks[0].message).toMatch(/which methodsFor did not declare: it must throw UNSUPPORTED_METHOD/);
  });

  it('catches a wrong output shape and a throwing declared method', async () => {
    const inner = createCpuBackend({ mode: 'exact' });
    const broken: Backend = {
      ...inner,
      name: 'broken',
      description: 'throws',
      methodsFor: (op) => inner.methodsFor(op),
      run: async (op, m, inputs) => {
        if (op.op === 'gemm') throw new ConvrouteError('DEVICE', 'gpu', 'lost', 'device lost');
        return inner.run(op, m, inputs);
      },
    };
    const report = await checkBackend(broken, { ops: ['gemm'], dataKinds: ['float'], log: () => {} });
    expect(report.checks[0].message).toMatch(/broken gemm gemm threw for a method it declares: DEVICE/);
  });
});

/** The CPU fast backend, correct except at one output element that only exists past a size the
 * kit's default sizes never reach: a kernel bug at batch 2, channel 16 or column 16. */
function faultyPast(what: string, at: (out: readonly number[]) => number[] | undefined): Backend {
  const inner = createCpuBackend({ mode: 'fast' });
  return {
    name: 'faulty-large',
    description: `cpu fast, wrong at ${what}`,
    methodsFor: (op) => inner.methodsFor(op),
    async run(op, m, inputs) {
      const out = await inner.run(op, m, inputs);
      const pos = op.op === 'conv2d' ? at(out.shape) : undefined;
      if (!pos) return out;
      const flat = pos.reduce((acc, p, d) => acc * out.shape[d] + p, 0);
      const data = out.data.slice();
      data[flat] += 1;
      return Tensor.fromData(data, out.shape);
    },
  };
}

describe('faults past the default sizes are caught with the default run count', () => {
  it.each([
    ['N >= 3', (s: readonly number[]) => (s[0] >= 3 ? [2, 0, 0, 0] : undefined)],
    ['C_out > 16', (s: readonly number[]) => (s[1] > 16 ? [0, 16, 0, 0] : undefined)],
    ['W_out > 16', (s: readonly number[]) => (s[3] > 16 ? [0, 0, 0, 16] : undefined)],
  ])('%s', async (what, at) => {
    // Every data kind, as by default: on float data a +1 can hide under a large bound, the
    // small-integer property requires bitwise equality and catches it in any case.
    const report = await checkBackend(faultyPast(what, at), { ops: ['conv2d'], edgeCases: false, log: () => {} });
    expect(report.ok, report.summary).toBe(false);
    const f = report.checks.find((c) => c.name === 'conv2d, small-int data')!;
    expect(f.ok).toBe(false);
    expect(f.message).toMatch(/differ from the exact reference \(bitwise required\)/);
    expect(at(convOutputShape(f.spec!))).toBeDefined();
  });
});
