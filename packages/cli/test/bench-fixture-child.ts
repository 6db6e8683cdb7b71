/**
 * A stand-in bench child for the crash-retry tests: speaks the real protocol, answers every case
 * with fixed samples, and aborts (SIGABRT, as dawn.node does) on a case as many times as
 * CRASH_PLAN says, counting attempts in the CRASH_MARKER file across processes.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { ChildJob, ChildMessage } from '../src/bench/protocol.ts';

const send = (msg: ChildMessage) => new Promise<void>((r) => process.send?.(msg, undefined, undefined, () => r()));

process.once('message', async (job: ChildJob) => {
  if (job.kind !== 'cases') process.exit(3);
  const plan = JSON.parse(process.env.CRASH_PLAN ?? '{}') as Record<string, number>;
  const marker = process.env.CRASH_MARKER as string;
  await send({ type: 'env', env: { backend: { name: 'fake', description: 'fake child', note: '' }, adapter: null } });
  for (const c of job.cases) {
    if (c.peer !== undefined) process.exit(3); // the crash tests name no peers
    const key = `${c.layer}|${c.method}`;
    const seen = existsSync(marker)
      ? readFileSync(marker, 'utf8')
          .split('\n')
          .filter((l) => l === key).length
      : 0;
    if (seen < (plan[key] ?? 0)) {
      appendFileSync(marker, `${key}\n`);
      process.stderr.write(`aborting on ${key}\n`);
      process.abort();
    }
    await send({ type: 'result', result: { layer: c.layer, method: c.method, status: 'ok', clock: 'wall', samplesMs: [1, 2, 3] } });
  }
  await send({ type: 'done' });
  process.exit(0);
});
