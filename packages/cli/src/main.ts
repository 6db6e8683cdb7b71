#!/usr/bin/env node
import { ConvrouteError } from '@convroute/core';
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.ts';

/** The `convroute` command. Each subcommand lives in ./commands/<name>.ts. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('convroute')
    .description('2-D convolution on WebGPU with an exact CPU reference and a router that explains itself')
    .exitOverride()
    .showHelpAfterError(false);
  registerCommands(program);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof ConvrouteError) {
      process.stderr.write(`convroute: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`convroute: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '');
if (isEntry) {
  const code = await main(process.argv.slice(2));
  // Dawn can keep the process alive after a device was used, so exit explicitly
  // (WEBGPU-ON-LINUX.md), but only once stdout and stderr are flushed: a piped --json
  // document larger than the pipe buffer would be cut off otherwise.
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((r) => s.write('', () => r()))));
  process.exit(code);
}
