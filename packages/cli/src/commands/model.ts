import { checkGraphNodes, type NodeCheck, relativeDifference } from '@convroute/conformance';
import { buildNetwork, ConvrouteError, type Graph, isNetworkName, type Method, NETWORK_NAMES, type NodeRecord, Tensor, uniformData } from '@convroute/core';
import type { Command } from 'commander';
import type { Session } from 'convroute';
import { checkBackend, checkMode } from '../conv-flags.ts';
import { openSessionFromFlags } from '../files.ts';
import { jsonDocument } from '../json-output.ts';
import { policyFromFlag } from '../policy-file.ts';
import { fmt, renderTable } from '../table.ts';

interface ModelFlags {
  size: string;
  batch: string;
  seed: string;
  runs: string;
  warmup: string;
  backend: string;
  mode?: string;
  memoryBudget?: string;
  policy?: string;
  device?: string;
  profile?: string;
  verify: boolean;
  json?: boolean;
}

/** A model's final output may differ from the exact run by at most this, relative to max |y|:
 * every node is held to its own error bound; this only catches a chain gone wrong (a NaN, a
 * swapped value) that per-node checks from exact inputs cannot see. */
const END_TO_END_TOLERANCE = 2 ** -10;

function intFlag(flag: string, text: string, min: number, max: number): number {
  if (!/^\d{1,9}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new ConvrouteError('INVALID_ARGUMENT', flag, text, `must be an integer from ${min} to ${max}`);
  }
  return Number(text);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Holding reasons' rule names: the brief "why" of a route. */
const briefReasons = (r: NodeRecord): string =>
  r.reasons
    .filter((x) => x.holds)
    .map((x) => x.rule)
    .join(', ');

interface Timed {
  wallMs: number;
  records: NodeRecord[];
  outputs: Record<string, Tensor>;
}

async function timedRun(session: Session, graph: Graph, feeds: Record<string, Tensor>, policy: Awaited<ReturnType<typeof policyFromFlag>>): Promise<Timed> {
  const t0 = performance.now();
  const res = await session.run(graph, feeds, { policy });
  return { wallMs: performance.now() - t0, records: res.records, outputs: res.outputs };
}

/** `convroute model <name>`: a whole network run end to end on a backend, every node verified
 * against the exact CPU run, the per-node route table and the whole-model latency. */
export function registerModel(program: Command): void {
  program
    .command('model')
    .argument('<network>', NETWORK_NAMES.join(' | '))
    .description('run a whole network (seeded random weights) end to end, verify every node against the exact CPU run, print routes and latency')
    .option('--size <n>', 'input height and width', '224')
    .option('--batch <n>', 'batch size', '1')
    .option('--seed <n>', 'seed of the weights and the input', '1')
    .option('--runs <n>', 'timed runs of the prepared graph after warm-up (the latency is their median)', '3')
    .option('--warmup <n>', 'untimed runs of the prepared graph first', '1')
    .option('--backend <auto|cpu|webgpu>', 'where to run (auto: WebGPU when an adapter exists)', 'auto')
    .option('--mode <exact|fast>', 'cpu only: exact (default) or fast')
    .option('--memory-budget <bytes>', 'bytes one node may allocate (output + scratch), e.g. 512M or 4G (default 2G)')
    .option('--policy <name|file.json>', 'routing policy for the convs (default etvk)')
    .option('--device <name>', 'route as if on this named device profile')
    .option('--profile <file.json>', 'route with this device profile (e.g. from convroute calibrate)')
    .option('--no-verify', 'skip the per-node check against the exact CPU run (latency only)')
    .option('--json', 'print one JSON document instead of the table')
    .action(async (name: string, flags: ModelFlags) => {
      if (!isNetworkName(name)) throw new ConvrouteError('INVALID_ARGUMENT', 'network', name, `must be one of ${NETWORK_NAMES.join(', ')}`);
      checkBackend(flags.backend);
      checkMode(flags.mode);
      const size = intFlag('--size', flags.size, 1, 4096);
      const batch = intFlag('--batch', flags.batch, 1, 1024);
      const seed = intFlag('--seed', flags.seed, 0, 999_999_999);
      const runs = intFlag('--runs', flags.runs, 1, 1000);
      const warmup = intFlag('--warmup', flags.warmup, 0, 1000);
      const policy = await policyFromFlag(flags.policy);
      const graph = buildNetwork(name, { size, batch, seed });
      const shape = graph.values.get('input')!.shape;
      const feeds = {
        input: Tensor.fromData(
          uniformData(
            shape.reduce((a, d) => a * d, 1),
            seed + 1,
          ),
          shape,
        ),
      };
      const log = (s: string) => {
        if (!flags.json) process.stderr.write(s);
      };
      const session = await openSessionFromFlags(flags);
      const info = session.backendInfo;
      log(`${name} [${shape.join(', ')}] on ${info.description} (${info.note}); device profile ${session.opened.profile.name}\n`);
      let checks: NodeCheck[] = [];
      let endToEnd: number | undefined;
      const timed: Timed[] = [];
      const latencies: number[] = [];
      let finalOutputs: Record<string, Tensor> = {};
      let compileMs = 0;
      let prepareMs = 0;
      try {
        // The whole-model latency is the prepared graph's (routed, constants uploaded and every
        // pipeline compiled at prepare: compile time apart; device-resident where the backend can).
        const t0 = performance.now();
        const prepared = await session.prepare(graph, { policy });
        prepareMs = performance.now() - t0;
        compileMs = prepared.records.reduce((s, x) => s + x.compileMs, 0);
        for (let i = 0; i < warmup; i++) log(`warm-up ${i + 1}/${warmup}: ${fmt((await prepared.run(feeds)).timeMs)} ms\n`);
        for (let i = 0; i < runs; i++) {
          const r = await prepared.run(feeds);
          latencies.push(r.timeMs);
          finalOutputs = r.outputs;
          log(`run ${i + 1}/${runs}: ${fmt(r.timeMs)} ms\n`);
        }
        prepared.release();
        // Per-node times need a node-by-node run (the prepared run times the whole graph).
        timed.push(await timedRun(session, graph, feeds, policy));
        if (flags.verify) {
          const methods = new Map<string, Method>(timed[0].records.map((r) => [r.node, r.method]));
          const check = await checkGraphNodes(graph, feeds, session.opened.backend, methods, (c) => {
            if (!c.report.ok) log(`FAIL ${c.node}: ${c.report.message}\n`);
          });
          checks = check.nodes;
          if (check.ok) endToEnd = Math.max(...graph.outputs.map((o) => relativeDifference(finalOutputs[o], check.exactOutputs[o])));
        }
      } finally {
        await session.close();
      }
      const last = timed[timed.length - 1].records;
      const checkOf = new Map(checks.map((c) => [c.node, c]));
      const nodes = last.map((r, i) => ({
        node: r.node,
        op: r.op,
        method: r.method,
        reasons: briefReasons(r),
        runMs: median(timed.map((t) => t.records[i].runMs)),
        errorRatio: checkOf.get(r.node)?.report.maxRatio,
        verified: flags.verify ? (checkOf.get(r.node)?.report.ok ?? false) : undefined,
      }));
      const latencyMs = median(latencies);
      const failed = checks.filter((c) => !c.report.ok);
      const unchecked = flags.verify ? nodes.filter((n) => !checkOf.has(n.node)).length : 0;
      const endToEndOk = endToEnd !== undefined && endToEnd <= END_TO_END_TOLERANCE;
      if (flags.json) {
        process.stdout.write(
          jsonDocument(
            'model',
            {
              network: name,
              input: shape,
              backend: info,
              profile: session.opened.profile.name,
              latencyMs,
              runs: latencies,
              prepareMs,
              compileMs,
              endToEnd,
              nodes,
            },
            2,
          ),
        );
      } else {
        const rows = nodes.map((n) => [
          n.node,
          n.op,
          n.method,
          n.reasons,
          fmt(n.runMs, 3),
          n.errorRatio === undefined ? '-' : n.errorRatio.toExponential(2),
          n.verified === undefined ? '-' : n.verified ? 'ok' : 'FAIL',
        ]);
        process.stdout.write(`${renderTable(['node', 'op', 'method', 'reasons', 'run ms (node by node)', 'err/bound', 'verified'], rows)}\n`);
        process.stdout.write(
          `${name} [${shape.join(', ')}] on ${info.description}: latency ${fmt(latencyMs)} ms (prepared graph, median of ${runs} after ${warmup} warm-up; prepare ${fmt(prepareMs)} ms apart, of which compile ${fmt(compileMs)} ms)\n`,
        );
        if (flags.verify) {
          process.stdout.write(`${checks.length} nodes verified from exact inputs, ${failed.length} failed${unchecked ? `, ${unchecked} not reached` : ''}`);
          process.stdout.write(endToEnd === undefined ? '\n' : `; final output within ${endToEnd.toExponential(2)} of max |y| of the exact run\n`);
        }
      }
      if (flags.verify && (failed.length > 0 || unchecked > 0)) {
        throw new ConvrouteError(
          'VERIFICATION_FAILED',
          'verification',
          failed.map((f) => f.node),
          `nodes exceeded their error bound or could not be judged (see above)`,
        );
      }
      if (flags.verify && !endToEndOk) {
        throw new ConvrouteError(
          'VERIFICATION_FAILED',
          'endToEnd',
          endToEnd,
          `the final output must be within ${END_TO_END_TOLERANCE} of max |y| of the exact run`,
        );
      }
    });
}
