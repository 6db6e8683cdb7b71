import type * as fc from 'fast-check';

/** Default number of runs per property: small enough that the repository's whole suite stays
 * well under its time budget on a 2-core machine; `FC_NUM_RUNS` scales it. */
const DEFAULT_NUM_RUNS = 25;

export interface FcSettings {
  seed: number;
  numRuns: number;
}

function envInt(name: string): number | undefined {
  const v = typeof process !== 'undefined' ? process.env?.[name] : undefined;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`${name}=${v} must be an integer`);
  return n;
}

let sessionSeed: number | undefined;

/** The run's seed: `FC_SEED` when set (replay), else one random seed per process, so every
 * property in a run shares it and one printed number replays them all. */
export function runSeed(): number {
  sessionSeed ??= envInt('FC_SEED') ?? (Math.random() * 2 ** 31) | 0;
  return sessionSeed;
}

/** Settings from the environment, overridable by explicit options. */
export function fcSettings(override: Partial<FcSettings> = {}, defaultRuns = DEFAULT_NUM_RUNS): FcSettings {
  return { seed: override.seed ?? runSeed(), numRuns: override.numRuns ?? envInt('FC_NUM_RUNS') ?? defaultRuns };
}

/** fast-check parameters honouring FC_SEED / FC_NUM_RUNS; logs the seed once per property so a
 * failure can be replayed with `FC_SEED=<seed>`. */
export function fcParams<T>(label: string, override: Partial<FcSettings> = {}, defaultRuns = DEFAULT_NUM_RUNS): fc.Parameters<T> {
  const s = fcSettings(override, defaultRuns);
  // A property seed (propertySeed) is replayed through the run seed it was derived from.
  const run = runSeed();
  const replay = s.seed === run ? `replay with FC_SEED=${s.seed}` : `derived from run seed ${run}: replay with FC_SEED=${run}`;
  console.log(`[conformance] ${label}: seed=${s.seed} numRuns=${s.numRuns} (${replay})`);
  return { seed: s.seed, numRuns: s.numRuns };
}

/** A property's own seed, derived from the run's printed seed and the property's name (FNV-1a,
 * then mixed): properties sharing one seed draw the same specs, so a run would test fewer
 * distinct convs than it claims. `FC_SEED=<run seed>` still replays every property. */
export function propertySeed(runSeed: number, name: string): number {
  let h = 0x811c9dc5 ^ runSeed;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) & 0x7fffffff;
}
