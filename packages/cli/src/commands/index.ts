import type { Command } from 'commander';
import { registerConv2d } from './conv2d.ts';
import { registerRoute } from './route.ts';
import { registerSuite } from './suite.ts';

/** Every subcommand registers itself here; one file per command in this folder. */
export function registerCommands(program: Command): void {
  registerConv2d(program);
  registerRoute(program);
  registerSuite(program);
}
