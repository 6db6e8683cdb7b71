#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { ConvrouteError } from '@convroute/core';
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.ts';
import { jsonError } from './json-output.ts';

/** The CLI package's version, read when a command runs (not at import: a bundle that imports this
 * module has no package.json beside it). */
function cliVersion(): string {
  try {
    const v = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** `--json` asks for a JSON document, errors included (bench's `--json FILE` names a file instead). */
function wantsJson(argv: readonly string[]): boolean {
  return argv[0] !== 'bench' && argv.includes('--json');
}

/** Commander's own refusals (unknown option, missing value) as a typed error for --json. */
function commanderError(e: CommanderError): ConvrouteError {
  const m = /'([^']+)'/.exec(e.message);
  return new ConvrouteError(
    'INVALID_ARGUMENT',
    m ? m[1] : 'arguments',
    m ? m[1] : null,
    `${e.message.replace(/^error: /, '').replace(/\n/g, ' ')} (${e.code})`,
  );
}

/** The `convroute` command. Each subcommand lives in ./commands/<name>.ts. */
export async function main(argv: readonly string[]): Promise<number> {
  const json = wantsJson(argv);
  const program = new Command('convroute')
    .description('2-D convolution on WebGPU with an exact CPU reference and a router that explains itself')
    .version(cliVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError(false);
  // Under --json, Commander's plain-text errors are replaced by the JSON error below.
  if (json) program.configureOutput({ writeErr: () => {} });
  registerCommands(program);
  if (json) for (const c of program.commands) c.configureOutput({ writeErr: () => {} });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (json && e.exitCode !== 0) process.stderr.write(jsonError(argv[0], commanderError(e)));
      return e.exitCode;
    }
    if (e instanceof ConvrouteError) {
      // One JSON object on stderr, so stdout holds a command's document or nothing.
      process.stderr.write(json ? jsonError(argv[0], e) : `convroute: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`convroute: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

/** Runs the command and exits with its code: what the command's entry (bin.ts) calls. This module
 * has no side effects, so bundles that import the package (the bench's) never start the CLI. */
export async function runAsCommand(argv: readonly string[]): Promise<never> {
  const code = await main(argv);
  // Dawn can keep the process alive after a device was used, so exit explicitly
  // (docs/webgpu-on-linux.md), but only once stdout and stderr are flushed: a piped --json
  // document larger than the pipe buffer would be cut off otherwise.
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((r) => s.write('', () => r()))));
  process.exit(code);
}
