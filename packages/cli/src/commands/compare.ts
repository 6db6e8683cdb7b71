import { ConvrouteError } from '@convroute/core';
import { profileFromJson } from '@convroute/router';
import type { Command } from 'commander';
import { measuredLayers, readBenches } from '../bench/format.ts';
import { parseJsonFile, readText } from '../files.ts';
import { jsonDocument } from '../json-output.ts';
import { benchProfile } from '../report/bench-profile.ts';
import { comparePolicies } from '../report/compare-policies.ts';
import { comparisonJson, comparisonText } from '../report/compare-text.ts';

export const DEFAULT_POLICIES = 'etvk,etvk-legacy,always:direct,always:im2col-gemm,calibrated';

interface CompareFlags {
  bench: string;
  policies: string;
  profile?: string;
  all?: boolean;
  json?: boolean;
}

export function parsePolicies(text: string): string[] {
  const names = text.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) throw new ConvrouteError('INVALID_ARGUMENT', '--policies', text, 'must be a comma-separated list of policies');
  return names;
}

/** `convroute compare`: each policy's choices timed on measured bench data, against the per-layer best. */
export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description("what each policy's choices cost on measured bench data: per layer, in total, and regret against the per-layer best")
    .requiredOption('--bench <a.json,...>', 'bench results (convroute bench --json); several are pooled')
    .option('--policies <list>', 'etvk, etvk-legacy, always:<m>, a rule-table file, calibrated (fitted on this data) or calibrated:<file>', DEFAULT_POLICIES)
    .option('--profile <file.json>', 'route as on this device profile (default: the adapter the bench ran on)')
    .option('--all', 'list every layer, not only those where the policies differ')
    .option('--json', 'print one JSON document')
    .action(async (f: CompareFlags) => {
      const benches = await readBenches(f.bench);
      const profile = f.profile
        ? profileFromJson(parseJsonFile('--profile', f.profile, await readText('--profile', f.profile)), f.profile)
        : benchProfile(benches);
      const c = comparePolicies(measuredLayers(benches), parsePolicies(f.policies), profile);
      const text = f.json ? jsonDocument('compare', comparisonJson(c), 2) : comparisonText(c, !!f.all);
      await new Promise<void>((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve())));
    });
}
