import { compareConvMethod, referenceConv2d } from '@convroute/conformance';
import { type Conv2dSpec, ConvrouteError, conv2dFlops, conv2dSpec, getSuite, isSuiteName, SUITE_NAMES, Tensor, uniformData } from '@convroute/core';
import { classify } from '@convroute/router';
import type { Command } from 'commander';
import { type BackendName, type CpuMode, Session } from 'convroute';
import { checkBackend, checkMode, checkPrecision, PRECISION_HELP } from '../conv-flags.ts';
import { profileFromFlags } from '../files.ts';
import { jsonDocument } from '../json-output.ts';
import { policyFromFlag } from '../policy-file.ts';
import { fmt, renderTable } from '../table.ts';

interface SuiteFlags {
  suite: string;
  backend: string;
  mode?: string;
  precision?: string;
  policy?: string;
  device?: string;
  profile?: string;
  json?: boolean;
  seed: string;
  maxMacs?: string;
}

interface LayerRow {
  suite: string;
  layer: string;
  class: string;
  method: string;
  /** Wall time of the call: compileMs + runMs. */
  timeMs: number;
  /** Building the conv's pipelines (first use of a kernel variant; 0 on the CPU). */
  compileMs: number;
  /** The rest: uploads, kernels, read-back. */
  runMs: number;
  /** From runMs: compiling is not the kernel's speed. */
  gflops: number;
  maxRatio: number;
  ok: boolean;
  message?: string;
}

function tensorFor(shape: readonly number[], seed: number): Tensor {
  return Tensor.fromData(
    uniformData(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );
}

/** The main job (`pnpm start`): route and run every conv of the layer suites on the chosen
 * backend, verify each against the exact CPU reference within docs/error-model.md's bound, print a table. */
export function registerSuite(program: Command): void {
  program
    .command('suite')
    .description('route and run the layer suites, verify each conv against the exact reference, print the table')
    .option('--suite <names>', `comma-separated suites (${SUITE_NAMES.join(', ')})`, 'resnet18,mobilenetv2,etvk')
    .option('--backend <auto|cpu|webgpu>', 'where to run (auto: WebGPU when an adapter exists)', 'auto')
    .option('--mode <exact|fast>', 'cpu only: exact (default) or fast')
    .option('--precision <f32|f16-storage|f16>', PRECISION_HELP)
    .option('--policy <name|file.json>', 'routing policy (default etvk)')
    .option('--device <name>', 'route as if on this named device profile')
    .option('--profile <file.json>', 'route with this device profile (e.g. from convroute calibrate; its calibration becomes the default policy)')
    .option('--seed <n>', 'seed for the random inputs and weights', '1')
    .option('--max-macs <n>', 'skip layers with more multiply-adds than this (reported as skipped)')
    .option('--json', 'print one JSON document instead of the table')
    .action(async (flags: SuiteFlags) => {
      const suites = flags.suite.split(',').map((s) => s.trim());
      for (const s of suites) if (!isSuiteName(s)) throw new ConvrouteError('INVALID_ARGUMENT', '--suite', s, `must be one of ${SUITE_NAMES.join(', ')}`);
      checkBackend(flags.backend);
      checkMode(flags.mode);
      checkPrecision(flags.precision);
      // Strictly an integer: parseInt took "NaN" (as NaN) and "12abc" (as 12).
      if (!/^\d{1,9}$/.test(flags.seed)) throw new ConvrouteError('INVALID_ARGUMENT', '--seed', flags.seed, 'must be an integer from 0 to 999999999');
      const seed = Number(flags.seed);
      const maxMacs = flags.maxMacs === undefined ? Infinity : Number(flags.maxMacs);
      if (!(maxMacs > 0)) throw new ConvrouteError('INVALID_ARGUMENT', '--max-macs', flags.maxMacs, 'must be a positive number');
      const policy = await policyFromFlag(flags.policy);
      const session = await Session.open({
        backend: flags.backend as BackendName,
        mode: flags.mode as CpuMode | undefined,
        profile: await profileFromFlags(flags),
        precision: checkPrecision(flags.precision),
      });
      // At an f16 precision each conv is held to the fp16 bound of its operands.
      const precision = session.opened.precision;
      const info = session.backendInfo;
      if (!flags.json) process.stdout.write(`backend: ${info.description} (${info.note}); device profile: ${session.opened.profile.name}\n`);
      const rows: LayerRow[] = [];
      const skipped: string[] = [];
      try {
        for (const suite of suites) {
          for (const [i, layer] of getSuite(suite as (typeof SUITE_NAMES)[number]).entries()) {
            const spec: Conv2dSpec = conv2dSpec(layer.init);
            if (conv2dFlops(spec) / 2 > maxMacs) {
              skipped.push(`${suite}/${layer.name}`);
              continue;
            }
            const x = tensorFor(spec.input, seed * 1000 + i * 2);
            const w = tensorFor(spec.weight, seed * 1000 + i * 2 + 1);
            const b = spec.bias ? tensorFor([spec.transposed ? spec.weight[1] * spec.groups : spec.weight[0]], seed) : undefined;
            const { transposed, stride, padding, dilation, groups, outputPadding, activation } = spec;
            const res = await session.conv2d(x, w, b, { transposed, stride, padding, dilation, groups, outputPadding, activation, policy });
            const ref = await referenceConv2d(spec, b ? [x, w, b] : [x, w]);
            const cmp = compareConvMethod(res.record.method, spec, b ? [x, w, b] : [x, w], res.output, ref, { label: `${suite}/${layer.name}`, precision });
            const row: LayerRow = {
              suite,
              layer: layer.name,
              class: classify(spec),
              method: res.record.method,
              timeMs: res.record.timeMs,
              compileMs: res.record.compileMs,
              runMs: res.record.runMs,
              gflops: conv2dFlops(spec) / (res.record.runMs * 1e6),
              maxRatio: cmp.maxRatio,
              ok: cmp.ok,
              message: cmp.ok ? undefined : cmp.message,
            };
            rows.push(row);
            if (!flags.json)
              process.stderr.write(
                `${row.ok ? 'ok  ' : 'FAIL'} ${suite}/${layer.name} ${row.method} run ${fmt(row.runMs)} ms, compile ${fmt(row.compileMs)} ms\n`,
              );
          }
        }
      } finally {
        await session.close();
      }
      const failed = rows.filter((r) => !r.ok);
      const worst = rows.reduce((m, r) => Math.max(m, r.maxRatio), 0);
      if (flags.json) {
        process.stdout.write(
          jsonDocument('suite', { backend: info, precision, profile: session.opened.profile.name, layers: rows, skipped, worstRatio: worst }, 2),
        );
      } else {
        const table = rows.map((r) => [
          r.suite,
          r.layer,
          r.class,
          r.method,
          fmt(r.runMs),
          fmt(r.compileMs),
          fmt(r.gflops, 3),
          r.maxRatio.toExponential(2),
          r.ok ? 'ok' : 'FAIL',
        ]);
        process.stdout.write(
          `${renderTable(['suite', 'layer', 'class', 'method', 'run ms', 'compile ms', 'GFLOP/s (run)', 'err/bound', 'verified'], table)}\n`,
        );
        process.stdout.write(
          `${rows.length} convs verified against the exact reference, ${failed.length} failed; worst error/bound ${worst.toExponential(3)}\n`,
        );
        if (skipped.length > 0) process.stdout.write(`skipped by --max-macs: ${skipped.join(', ')}\n`);
        for (const f of failed) process.stdout.write(`${f.message}\n`);
      }
      if (failed.length > 0) throw new ConvrouteError('VERIFICATION_FAILED', 'verification', failed.length, 'convs exceeded the error bound (see above)');
    });
}
