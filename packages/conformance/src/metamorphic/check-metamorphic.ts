import * as fc from 'fast-check';
import type { Conv2dSpecArbOptions } from '../arbitraries/conv2d-spec.ts';
import type { CheckResult } from '../check-core.ts';
import { describeSpec, specToCommandLine } from '../command-line.ts';
import { fcSettings, propertySeed } from '../fc-params.ts';
import { type ConvOracle, cpuExactOracle } from '../reference.ts';
import type { Relation } from './relation.ts';
import { algebraicRelations } from './relations-algebraic.ts';
import { structuralRelations } from './relations-structural.ts';

export interface MetamorphicOptions {
  seed?: number;
  numRuns?: number;
  specs?: Conv2dSpecArbOptions;
  /** Only the relations whose names contain one of these strings. */
  only?: readonly string[];
  log?: (line: string) => void;
}

export function metamorphicRelations(specs: Conv2dSpecArbOptions = {}): Relation<never>[] {
  return [...algebraicRelations(specs), ...structuralRelations(specs)];
}

/** Runs one relation as a property; the result's message carries the shrunk conv. */
export async function checkRelation(relation: Relation<never>, oracle: ConvOracle, options: MetamorphicOptions = {}): Promise<CheckResult> {
  const s = fcSettings({ seed: options.seed, numRuns: options.numRuns });
  // Each relation draws its own cases (a seed derived from the run's), not the same specs.
  const seed = propertySeed(s.seed, relation.name);
  const details = await fc.check(
    fc.asyncProperty(relation.arb, (c) => relation.check(oracle, c)),
    { seed, numRuns: s.numRuns },
  );
  const name = `metamorphic: ${relation.name}`;
  if (!details.failed) return { name, ok: true, runs: details.numRuns, message: `${name}: ${details.numRuns} runs passed` };
  const spec = relation.specOf(details.counterexample![0]);
  const commandLine = specToCommandLine(spec);
  const err = details.errorInstance;
  const message =
    `${name} (${relation.why}) FAILED after ${details.numRuns} runs, shrunk ${details.numShrinks} times\n` +
    `  ${err instanceof Error ? err.message : String(err)}\n  case: ${JSON.stringify(details.counterexample![0], (k, v) => (k === 'spec' ? describeSpec(v) : v))}\n` +
    `  reproduce: ${commandLine}\n  replay: FC_SEED=${s.seed} (this relation's seed ${seed}, fast-check path ${details.counterexamplePath})`;
  return { name, ok: false, runs: details.numRuns, message, spec, commandLine };
}

/** Every metamorphic relation against an oracle (CPU exact by default). */
export async function checkMetamorphic(oracle: ConvOracle = cpuExactOracle, options: MetamorphicOptions = {}): Promise<CheckResult[]> {
  const s = fcSettings({ seed: options.seed, numRuns: options.numRuns });
  (options.log ?? console.log)(`[conformance] metamorphic on ${oracle.name}: seed=${s.seed} numRuns=${s.numRuns} (replay with FC_SEED=${s.seed})`);
  const relations = metamorphicRelations(options.specs).filter((r) => !options.only || options.only.some((o) => r.name.includes(o)));
  const results: CheckResult[] = [];
  for (const r of relations) results.push(await checkRelation(r, oracle, { ...options, seed: s.seed, numRuns: s.numRuns }));
  return results;
}
