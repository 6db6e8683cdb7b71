import type { Parameters } from 'fast-check';

/** fast-check parameters: FC_SEED replays a run, FC_NUM_RUNS scales it; the seed is logged. */
export function fcParams<T>(name: string, defaultRuns: number): Parameters<T> {
  const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : (Date.now() ^ (Math.random() * 2 ** 31)) | 0;
  const numRuns = process.env.FC_NUM_RUNS !== undefined ? Number(process.env.FC_NUM_RUNS) : defaultRuns;
  console.log(`[fast-check] ${name}: seed=${seed} numRuns=${numRuns} (replay with FC_SEED=${seed})`);
  return { seed, numRuns };
}
