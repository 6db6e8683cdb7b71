import type { Command } from 'commander';
import { measuredLayers, readBenches } from '../bench/format.ts';
import { OutputFiles } from '../output-files.ts';
import { benchProfile } from '../report/bench-profile.ts';
import { comparePolicies } from '../report/compare-policies.ts';
import { reportHtml } from '../report/html.ts';
import { DEFAULT_POLICIES, parsePolicies } from './compare.ts';

interface ReportFlags {
  bench: string;
  out: string;
  policies: string;
}

/** `convroute report`: a self-contained HTML page (inline SVG charts) from bench results. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write a self-contained HTML report (per-layer bars, crossover plots, policy table) from bench results')
    .requiredOption('--bench <a.json,...>', 'bench results (convroute bench --json); several are pooled')
    .requiredOption('--out <report.html>', 'where to write the HTML')
    .option('--policies <list>', 'policies to compare (as for convroute compare)', DEFAULT_POLICIES)
    .action(async (f: ReportFlags) => {
      const files = new OutputFiles();
      try {
        await files.reserve('--out', f.out);
        const benches = await readBenches(f.bench);
        const c = comparePolicies(measuredLayers(benches), parsePolicies(f.policies), benchProfile(benches));
        await files.commit(new Map([[f.out, await reportHtml(benches, c)]]));
      } finally {
        await files.discard();
      }
      process.stdout.write(`wrote ${f.out}\n`);
    });
}
