import { SingleBar } from 'cli-progress';
import type { BenchResult, PeerResult } from './format.ts';

/** The method, or the peer library, of a result. */
const who = (r: BenchResult | PeerResult) => ('peer' in r ? r.peer : r.method);

function line(r: BenchResult | PeerResult): string {
  if (r.status !== 'ok' || !r.stats) return `${r.layer} ${who(r)}: ${r.status}${r.error ? ` (${r.error.split('\n')[0]})` : ''}`;
  const s = r.stats;
  return `${r.layer} ${who(r)}: median ${s.median.toFixed(3)} ms [${s.min.toFixed(3)}, ${s.max.toFixed(3)}] n=${s.n}, ${r.gflops?.toFixed(2)} GFLOP/s (${r.clock})`;
}

/** A progress bar on a terminal; one line per finished case otherwise (logs, CI). Writes to
 * stderr so a JSON document on stdout stays clean. */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): {
  update: (done: number, total: number, last?: BenchResult | PeerResult) => void;
  stop: () => void;
} {
  if (stream.isTTY) {
    const bar = new SingleBar({ stream, format: 'bench [{bar}] {value}/{total} cases | {last}', hideCursor: true, clearOnComplete: false });
    let started = false;
    return {
      update(done, total, last) {
        if (!started) {
          bar.start(total, 0, { last: '' });
          started = true;
        }
        bar.update(done, { last: last ? `${last.layer} ${who(last)} ${last.status}` : '' });
      },
      stop: () => started && bar.stop(),
    };
  }
  return {
    update(done, total, last) {
      if (last) stream.write(`[${done}/${total}] ${line(last)}\n`);
    },
    stop() {},
  };
}
