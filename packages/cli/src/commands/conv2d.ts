import { CONV_METHOD_DESCRIPTORS, CONV_METHODS, checkNpyWritable, conv2dOutputShape, conv2dSpec, writeNpy } from '@convroute/core';
import type { Command } from 'commander';
import {
  addConvAttributeFlags,
  type ConvAttributeFlags,
  checkBackend,
  checkMode,
  checkPrecision,
  convAttrsFromFlags,
  PRECISION_HELP,
  parseMethod,
} from '../conv-flags.ts';
import { openSessionFromFlags, readTensor } from '../files.ts';
import { jsonDocument } from '../json-output.ts';
import { OutputFiles } from '../output-files.ts';
import { policyFromFlag } from '../policy-file.ts';

interface Conv2dFlags extends ConvAttributeFlags {
  input: string;
  weight: string;
  bias?: string;
  output: string;
  backend: string;
  mode?: string;
  precision?: string;
  memoryBudget?: string;
  method: string;
  policy?: string;
  device?: string;
  profile?: string;
  json?: boolean;
}

/** One clause per conv method, from its descriptor: "direct: one invocation per ...". */
const METHOD_HELP = CONV_METHOD_DESCRIPTORS.map((d) => `${d.name}: ${d.summary}`).join('; ');

export function registerConv2d(program: Command): void {
  const cmd = program
    .command('conv2d')
    .description('run one conv2d (or conv-transpose2d) on .npy tensors and write the output as .npy')
    .requiredOption('--input <x.npy>', 'input [N, C_in, H, W], float32')
    .requiredOption('--weight <w.npy>', 'weight [C_out, C_in/g, kH, kW] ([C_in, C_out/g, kH, kW] when transposed)')
    .option('--bias <b.npy>', 'bias [C_out]')
    .requiredOption('--output <y.npy>', 'where to write the output');
  addConvAttributeFlags(cmd)
    .option('--backend <auto|cpu|webgpu>', 'where to run (auto: WebGPU when an adapter exists)', 'auto')
    .option('--mode <exact|fast>', 'cpu only: exact (correctly rounded, default) or fast')
    .option('--precision <f32|f16-storage|f16>', PRECISION_HELP)
    .option('--memory-budget <bytes>', 'bytes one node may allocate (output + scratch), e.g. 512M or 4G (default 2G)')
    .option(`--method <${['auto', ...CONV_METHODS].join('|')}>`, `the kernel; auto asks the router. ${METHOD_HELP}`, 'auto')
    .option('--policy <name|file.json>', 'routing policy for --method auto (default etvk)')
    .option('--device <name>', 'route as if on this named device profile (e.g. mali, adreno-7xx)')
    .option('--profile <file.json>', 'route with this device profile (e.g. from convroute calibrate; its calibration becomes the default policy)')
    .option('--json', 'print one JSON object describing the run on stdout')
    .action(async (flags: Conv2dFlags) => {
      const attrs = convAttrsFromFlags(flags);
      const method = parseMethod(flags.method);
      checkBackend(flags.backend);
      checkMode(flags.mode);
      checkPrecision(flags.precision);
      const files = new OutputFiles();
      try {
        // The output path is checked before any input is read or any work done.
        await files.reserve('--output', flags.output);
        const x = await readTensor('--input', flags.input);
        const w = await readTensor('--weight', flags.weight);
        const b = flags.bias === undefined ? undefined : await readTensor('--bias', flags.bias);
        // Before any work: the output must be writable as one .npy.
        checkNpyWritable('--output', conv2dOutputShape(conv2dSpec({ input: x.shape, weight: w.shape, bias: b !== undefined, ...attrs })));
        const policy = await policyFromFlag(flags.policy);
        const session = await openSessionFromFlags(flags);
        try {
          const res = await session.conv2d(x, w, b, { ...attrs, method, policy });
          await files.commit(new Map([[flags.output, writeNpy(res.output)]]));
          const summary = {
            outputShape: res.output.shape,
            output: flags.output,
            method: res.record.method,
            backend: res.backend.name,
            backendDescription: res.backend.description,
            backendNote: res.backend.note,
            mode: res.backend.mode,
            precision: res.record.precision,
            timeMs: res.record.timeMs,
            reasons: res.record.reasons,
          };
          if (flags.json) process.stdout.write(jsonDocument('conv2d', summary));
          else {
            process.stdout.write(
              `wrote ${flags.output} [${res.output.shape.join(', ')}] with ${summary.method}${summary.precision === 'f32' ? '' : ` (${summary.precision})`} on ${summary.backendDescription} in ${summary.timeMs.toFixed(2)} ms\n`,
            );
          }
        } finally {
          await session.close();
        }
      } finally {
        await files.discard();
      }
    });
}
