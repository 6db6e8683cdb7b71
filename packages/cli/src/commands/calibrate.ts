import { ConvrouteError } from '@convroute/core';
import { type CalibrationDoc, calibrationDoc, profileToJson } from '@convroute/router';
import type { Command } from 'commander';
import { type BenchFile, measuredLayers, readBenches } from '../bench/format.ts';
import { OutputFiles } from '../output-files.ts';
import { benchProfile } from '../report/bench-profile.ts';
import { fmt, renderTable } from '../table.ts';

interface CalibrateFlags {
  bench: string;
  out?: string;
  tolerance: string;
  maxRules: string;
}

/** The calibrated profile: the bench's device profile (loadable by --profile) with the fit under `calibration`. */
export function calibratedProfile(benches: readonly BenchFile[], doc: CalibrationDoc): object {
  const base = benchProfile(benches);
  const json = profileToJson(base) as Record<string, unknown>;
  if (!benches.some((b) => b.adapter)) {
    delete json.info;
    delete json.limits;
    delete json.features;
  }
  return { ...json, name: `${base.name}-calibrated`, source: 'convroute calibrate', calibration: doc };
}

/** A held-out time as text: a number, or why there is none (never NaN). */
function heldOutText(t: number | null, best: number): { time: string; regret: string } {
  if (t === null) return { time: 'n/a (one shape)', regret: 'n/a' };
  if (!Number.isFinite(t)) return { time: 'n/a (unmeasured method)', regret: 'n/a' };
  return { time: fmt(t), regret: `${fmt(100 * (t / best - 1))}%` };
}

export function calibrationSummary(doc: CalibrationDoc): string {
  const out: string[] = [];
  for (const c of doc.fit.classes) {
    const rules = c.leaves === 0 ? 'no rule' : `${c.leaves} rule(s)`;
    out.push(`${c.class}: ${c.layers} shapes, methods ${c.methods.join(', ')}; ${rules}: ${c.selection}`);
    out.push(
      renderTable(
        ['rules', `fitted ${doc.fit.unit}`, `held-out ${doc.fit.unit}`, 'held-out regret'],
        c.ladder.map((s) => {
          const h = heldOutText(s.cvTime, c.bestTime);
          return [s.leaves, fmt(s.trainTime), h.time, h.regret];
        }),
      ),
    );
  }
  out.push(
    renderTable(
      ['rule', 'when', 'method', 'why'],
      doc.table.rules.map((r) => [r.name ?? '', JSON.stringify(r.when), r.method, r.why ?? '']),
    ),
  );
  const f = doc.fit;
  const missing = f.heldOutMissing.map((m) => m.class);
  let held: string;
  if (f.cvTime === null) held = `held out n/a (no class has a held-out estimate: ${missing.join(', ')} measured on one shape)`;
  else {
    const h = heldOutText(f.cvTime, f.cvBestTime);
    const scope = missing.length ? ` over the classes with an estimate (per-layer best ${fmt(f.cvBestTime)}; n/a for ${missing.join(', ')}: one shape)` : '';
    held = `held out ${h.time} (${h.regret})${scope}`;
  }
  out.push(
    `per-layer best ${fmt(f.bestTime)} ${f.unit}; calibrated ${fmt(f.trainTime)} (${fmt(100 * (f.trainTime / f.bestTime - 1))}% regret in-sample), ${held}`,
  );
  return `${out.join('\n')}\n`;
}

/** `convroute calibrate`: fits a rule table from bench results into a device profile file. */
export function registerCalibrate(program: Command): void {
  program
    .command('calibrate')
    .description('fit, per conv class, where each method wins from bench results: a rule table in a device profile for --policy calibrated')
    .requiredOption('--bench <a.json,...>', 'bench results (convroute bench --json); several are pooled')
    .option('--out <profile.json>', 'write the calibrated device profile here (default: print it)')
    .option('--tolerance <fraction>', 'accept the simplest table whose held-out regret is within this of the per-layer best', '0.03')
    .option('--max-rules <n>', 'largest number of fitted rules per class', '4')
    .action(async (f: CalibrateFlags) => {
      const tolerance = Number(f.tolerance);
      if (!(tolerance >= 0 && tolerance < 10)) throw new ConvrouteError('INVALID_ARGUMENT', '--tolerance', f.tolerance, 'must be a fraction such as 0.03');
      const maxLeaves = Number(f.maxRules);
      if (!Number.isInteger(maxLeaves) || maxLeaves < 1) throw new ConvrouteError('INVALID_ARGUMENT', '--max-rules', f.maxRules, 'must be an integer >= 1');
      const files = new OutputFiles();
      try {
        if (f.out) await files.reserve('--out', f.out);
        await calibrate(f, tolerance, maxLeaves, files);
      } finally {
        await files.discard();
      }
    });
}

async function calibrate(f: CalibrateFlags, tolerance: number, maxLeaves: number, files: OutputFiles): Promise<void> {
  const benches = await readBenches(f.bench);
  // Times at different precisions do not pool: each precision is its own calibration.
  const precisions = [...new Set(benches.map((b) => b.settings.precision ?? 'f32'))];
  if (precisions.length > 1)
    throw new ConvrouteError(
      'INVALID_ARGUMENT',
      '--bench',
      f.bench,
      `the files were measured at precisions ${precisions.join(', ')}; calibrate each precision on its own`,
    );
  const a = benches.find((b) => b.adapter)?.adapter;
  const { doc } = calibrationDoc(measuredLayers(benches), {
    tolerance,
    maxLeaves,
    unit: 'ms',
    sources: f.bench.split(','),
    measuredOn: a ? { ...a.info, backend: benches[0].backend?.description } : { backend: benches[0].backend?.description ?? 'cpu' },
    fittedAt: new Date().toISOString(),
    precision: precisions[0],
  });
  const profile = `${JSON.stringify(calibratedProfile(benches, doc), null, 2)}\n`;
  let text: string;
  if (f.out) {
    await files.commit(new Map([[f.out, profile]]));
    text = `${calibrationSummary(doc)}wrote ${f.out}: use it with --policy calibrated --profile ${f.out} (or --policy calibrated:${f.out})\n`;
  } else text = profile;
  await new Promise<void>((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve())));
}
