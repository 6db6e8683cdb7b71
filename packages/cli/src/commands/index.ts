import type { Command } from 'commander';
import { registerBench } from './bench.ts';
import { registerCalibrate } from './calibrate.ts';
import { registerCompare } from './compare.ts';
import { registerConv2d } from './conv2d.ts';
import { registerInspect } from './inspect.ts';
import { registerModel } from './model.ts';
import { registerReport } from './report.ts';
import { registerRoute } from './route.ts';
import { registerRun } from './run.ts';
import { registerSuite } from './suite.ts';

/** Every subcommand registers itself here; one file per command in this folder. */
export function registerCommands(program: Command): void {
  registerConv2d(program);
  registerRun(program);
  registerModel(program);
  registerRoute(program);
  registerInspect(program);
  registerSuite(program);
  registerBench(program);
  registerCalibrate(program);
  registerCompare(program);
  registerReport(program);
}
