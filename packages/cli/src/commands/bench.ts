import { ConvrouteError, SUITE_NAMES } from '@convroute/core';
import type { Command } from 'commander';
import { parseMethods } from '../bench/cases.ts';
import type { BenchFile } from '../bench/format.ts';
import { progressReporter } from '../bench/progress.ts';
import { runBench } from '../bench/run-bench.ts';
import { checkBackend, checkMode, checkPrecision, PRECISION_HELP } from '../conv-flags.ts';
import { OutputFiles, writeAtomically } from '../output-files.ts';
import { fmt, renderTable } from '../table.ts';
import { detectAdapterProfile } from './route.ts';

interface BenchFlags {
  suite: string;
  backend: string;
  mode?: string;
  cpuMode?: string;
  precision?: string;
  warmup: string;
  reps: string;
  budgetMs: string;
  methods?: string;
  layers?: string;
  json?: string;
  retries: string;
  ceilings: boolean;
  layersPerChild: string;
  timeout: string;
}

function count(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new ConvrouteError('INVALID_ARGUMENT', flag, text, `must be an integer >= ${min}`);
  return n;
}

function benchJson(b: BenchFile): string {
  return `${JSON.stringify(b, null, 1)}\n`;
}

/** auto: WebGPU when an adapter exists, else the CPU (said on stderr); --mode is for the CPU. */
async function benchBackend(backend: string, mode: string | undefined): Promise<'cpu' | 'webgpu'> {
  let chosen = backend as 'cpu' | 'webgpu' | 'auto';
  if (chosen === 'auto') {
    const found = await detectAdapterProfile();
    chosen = 'profile' in found ? 'webgpu' : 'cpu';
    if (chosen === 'cpu') process.stderr.write(`convroute: backend auto: no WebGPU adapter (${'why' in found ? found.why : ''}); timing the cpu backend\n`);
  }
  if (mode !== undefined && chosen === 'webgpu') {
    throw new ConvrouteError('INVALID_ARGUMENT', '--mode', mode, 'exact and fast modes belong to the cpu backend; use --backend cpu');
  }
  return chosen;
}

/** The text summary: one row per case, then the ceilings and crashes. */
export function benchSummary(b: BenchFile): string {
  const rows = b.results.map((r) => [
    r.layer,
    r.method,
    r.status === 'ok' && r.stats ? fmt(r.stats.median, 3) : r.status,
    r.stats ? `${fmt(r.stats.min, 3)}..${fmt(r.stats.max, 3)}` : '',
    r.gflops !== undefined ? fmt(r.gflops) : '',
    r.gbps !== undefined ? fmt(r.gbps) : '',
  ]);
  const out = [renderTable(['layer', 'method', 'median ms', 'min..max', 'GFLOP/s', 'GB/s'], rows)];
  const clocks = [...new Set(b.results.flatMap((r) => (r.clock ? [r.clock] : [])))];
  out.push(`backend ${b.backend?.description ?? b.settings.backend}; clock ${clocks.join(', ') || 'n/a'}`);
  if (b.ceilings) out.push(`ceilings: FMA ${fmt(b.ceilings.fmaGflops)} GFLOP/s (${b.ceilings.clock}), copy ${fmt(b.ceilings.copyGbps)} GB/s read+write`);
  if (b.crashes.length)
    out.push(`${b.crashes.length} child crash(es): ${b.crashes.map((c) => `${c.layer} ${c.method} #${c.attempt} ${c.signal ?? c.exitCode}`).join('; ')}`);
  return `${out.join('\n')}\n`;
}

/** `convroute bench`: times every method per conv of a suite, each case in a child process. */
export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('time every conv method the backend runs, per layer of a suite, in crash-isolated child processes')
    .requiredOption('--suite <names|graph.json>', `${SUITE_NAMES.join(', ')} or a graph JSON file; several comma-separated`)
    .option('--backend <auto|cpu|webgpu>', 'backend to time (auto: WebGPU when an adapter exists)', 'auto')
    .option('--mode <fast|exact>', 'cpu only: fast (default here: the kernels people would time) or exact')
    .option('--cpu-mode <fast|exact>', 'replaced by --mode (refused)')
    .option('--precision <f32|f16-storage|f16>', PRECISION_HELP)
    .option('--warmup <n>', 'untimed runs per case', '2')
    .option('--reps <n>', 'timed runs per case (at most)', '7')
    .option('--budget-ms <ms>', 'stop repeating a case once its samples add up to this (at least 3 taken)', '3000')
    .option('--methods <list>', 'only these conv methods (comma-separated)')
    .option('--layers <regex>', 'only layers whose suite/name matches')
    .option('--json <out.json>', 'write all raw samples, adapter info and versions to this file')
    .option('--retries <n>', 'retries of a case after its child process crashed', '3')
    .option('--no-ceilings', "skip measuring the adapter's FMA and copy ceilings")
    .option('--layers-per-child <n>', 'layers run by one child process', '1')
    .option('--timeout <s>', 'kill a child silent for this long (counts as a crash)', '300')
    .action(async (f: BenchFlags) => {
      if (f.cpuMode !== undefined) throw new ConvrouteError('INVALID_ARGUMENT', '--cpu-mode', f.cpuMode, 'was renamed: use --mode, as in every other command');
      checkBackend(f.backend);
      checkMode(f.mode);
      const precision = checkPrecision(f.precision);
      const options = {
        suites: f.suite,
        warmup: count('--warmup', f.warmup, 0),
        reps: count('--reps', f.reps, 1),
        budgetMs: count('--budget-ms', f.budgetMs, 0),
        methods: parseMethods(f.methods),
        layers: f.layers,
        retries: count('--retries', f.retries, 0),
        ceilings: f.ceilings,
        idleTimeoutMs: 1000 * count('--timeout', f.timeout, 1),
        layersPerChild: count('--layers-per-child', f.layersPerChild, 1),
        command: ['bench', ...process.argv.slice(3)],
      };
      // The output path is checked before any case runs (it once failed only after all of them).
      if (f.json) {
        const probe = new OutputFiles();
        await probe.reserve('--json', f.json);
        await probe.discard();
      }
      const backend = await benchBackend(f.backend, f.mode);
      if (precision !== undefined && precision !== 'f32' && backend === 'cpu')
        throw new ConvrouteError(
          'UNSUPPORTED_PRECISION',
          '--precision',
          precision,
          'the cpu backend computes in float32; f16 precisions run on webgpu with shader-f16',
        );
      const progress = progressReporter();
      let saveError: unknown = null;
      const bench = await runBench({
        ...options,
        backend,
        cpuMode: (f.mode ?? 'fast') as 'fast' | 'exact',
        precision,
        onProgress: progress.update,
        // Saved after every case: a crash or Ctrl-C later keeps what was measured.
        onPartial: f.json
          ? (partial) =>
              writeAtomically('--json', f.json as string, benchJson(partial)).catch((e) => {
                if (saveError === null) process.stderr.write(`convroute: could not save ${f.json} after a case: ${(e as Error).message}\n`);
                saveError = e;
              })
          : undefined,
      });
      progress.stop();
      if (f.json) await writeAtomically('--json', f.json, benchJson(bench));
      const text = benchSummary(bench);
      await new Promise<void>((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve())));
    });
}
