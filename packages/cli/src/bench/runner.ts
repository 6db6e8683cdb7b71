import { fork } from 'node:child_process';
import type { CrashRecord } from './format.ts';

/** Exit code a child uses for an error it caught and reported on stderr (not a native crash). */
export const CHILD_SETUP_FAILED = 3;

export interface ChildOptions {
  /** The child's entry module: TypeScript, run through tsx; or JavaScript (the built package, or a
   * bundled .mjs on the H200 machine of docs/webgpu-on-linux.md, which has no tsx), run by this Node without a loader. */
  script: string;
  /** Kill a child that sends nothing for this long (a hang is treated as a crash). */
  idleTimeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

export interface ChildOutcome {
  /** The child sent `done` and exited with 0. */
  ok: boolean;
  setupFailed: boolean;
  signal: NodeJS.Signals | null;
  exitCode: number | null;
  timedOut: boolean;
  stderrTail: string;
}

/** tsx's loader, so a child runs TypeScript sources like the parent (no build step). */
export function tsxImport(): string {
  return import.meta.resolve('tsx');
}

/** Runs one child: sends `job`, passes each message to `onMessage`, resolves when it exits. */
export function runChild(job: unknown, o: ChildOptions, onMessage: (msg: { type: string }) => void): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const child = fork(o.script, [], {
      execArgv: o.script.endsWith('.ts') ? ['--import', tsxImport()] : [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: o.env ?? process.env,
      serialization: 'json',
    });
    let tail = '';
    const keep = (b: Buffer) => {
      tail = (tail + b.toString('utf8')).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let done = false;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, o.idleTimeoutMs);
    };
    arm();
    child.on('message', (msg: { type: string }) => {
      arm();
      if (msg.type === 'done') done = true;
      onMessage(msg);
    });
    child.on('error', (e) => keep(Buffer.from(`\nspawn error: ${e.message}\n`)));
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      const lines = tail.trim().split('\n');
      resolve({
        ok: done && exitCode === 0,
        setupFailed: !done && exitCode === CHILD_SETUP_FAILED,
        signal,
        exitCode,
        timedOut,
        stderrTail: lines.slice(-40).join('\n'),
      });
    });
    child.send(job as object);
  });
}

export interface RetryOptions<C> extends ChildOptions {
  /** Cases in the order the child runs them. */
  cases: readonly C[];
  /** The job for the cases still to run. */
  job: (remaining: readonly C[]) => unknown;
  /** Which case a result message finishes (null for other messages). */
  finishes: (msg: { type: string }, remaining: readonly C[]) => C | null;
  onMessage: (msg: { type: string }) => void;
  /** Retries after a native crash, per case. */
  retries: number;
  /** A case that crashed on every attempt, or that a child never reached because setup failed. */
  onGiveUp: (c: C, why: 'crashed' | 'error', detail: string, attempts: number) => void;
  onCrash: (c: C, record: Omit<CrashRecord, 'layer' | 'method'>) => void;
}

/**
 * Runs cases in children until each is reported. A child that dies by a signal, an abort or a
 * timeout loses only the case in flight (the first not reported): that case is charged an
 * attempt and the rest go to a fresh child; after `retries` retries it is given up as crashed.
 */
export async function runWithRetries<C>(o: RetryOptions<C>): Promise<Map<C, number>> {
  let remaining = [...o.cases];
  const attempts = new Map<C, number>();
  while (remaining.length > 0) {
    const first = remaining[0];
    attempts.set(first, (attempts.get(first) ?? 0) + 1);
    const outcome = await runChild(o.job(remaining), o, (msg) => {
      const c = o.finishes(msg, remaining);
      if (c !== null) {
        remaining = remaining.filter((x) => x !== c);
        if (!attempts.has(c)) attempts.set(c, 1);
      }
      o.onMessage(msg);
    });
    if (outcome.ok && remaining.length === 0) break;
    if (outcome.ok || outcome.setupFailed) {
      const why = outcome.ok ? 'the child finished without reporting this case' : `the child could not start: ${outcome.stderrTail}`;
      for (const c of remaining) o.onGiveUp(c, 'error', why, attempts.get(c) ?? 1);
      break;
    }
    const inFlight = remaining[0];
    const n = attempts.get(inFlight) ?? 1;
    attempts.set(inFlight, n);
    o.onCrash(inFlight, { attempt: n, signal: outcome.timedOut ? 'timeout' : outcome.signal, exitCode: outcome.exitCode, stderrTail: outcome.stderrTail });
    if (n > o.retries) {
      o.onGiveUp(
        inFlight,
        'crashed',
        `crashed on all ${n} attempts (last: ${outcome.timedOut ? 'timeout' : (outcome.signal ?? `exit ${outcome.exitCode}`)})`,
        n,
      );
      remaining = remaining.slice(1);
    }
  }
  return attempts;
}
