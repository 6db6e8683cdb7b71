import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConvrouteError, checkNpyWritable, loadGraphJson, type Tensor } from '@convroute/core';
import type { Command } from 'commander';
import { type BackendName, type CpuMode, parseByteSize, Session } from 'convroute';
import { profileFromFlags, readTensor, readText, writeTensor } from '../files.ts';
import { fmt, renderTable } from '../table.ts';

interface RunFlags {
  graph: string;
  feed: string[];
  out: string[];
  backend: string;
  mode?: string;
  memoryBudget?: string;
  policy?: string;
  device?: string;
  profile?: string;
  json?: boolean;
}

/** NAME=path pairs, naming the flag and the rule when one is malformed. */
function pairs(flag: string, items: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const item of items) {
    const i = item.indexOf('=');
    if (i <= 0 || i === item.length - 1) throw new ConvrouteError('INVALID_ARGUMENT', flag, item, 'must be NAME=path');
    m.set(item.slice(0, i), item.slice(i + 1));
  }
  return m;
}

export function registerRun(program: Command): void {
  const collect = (v: string, acc: string[]) => [...acc, v];
  program
    .command('run')
    .description('run a graph JSON (weights inline, seeded, or .npy beside the graph) on .npy inputs')
    .requiredOption('--graph <model.json>', 'the graph (schema: packages/core/schema/graph.schema.json)')
    .option('--feed <name=x.npy>', 'a graph input (repeat for each)', collect, [])
    .option('--out <name=y.npy>', 'where to write a graph output (repeat; default: none written)', collect, [])
    .option('--backend <cpu|webgpu|auto>', 'where to run', 'cpu')
    .option('--mode <exact|fast>', 'cpu only: exact (default) or fast')
    .option('--memory-budget <bytes>', 'bytes one node may allocate (output + scratch), e.g. 512M or 4G (default 2G)')
    .option('--policy <name|file.json>', 'routing policy for nodes with method auto (default etvk)')
    .option('--device <name>', 'route as if on this named device profile')
    .option('--profile <file.json>', 'route with this device profile (e.g. from convroute calibrate)')
    .option('--json', 'print one JSON object with every node record on stdout')
    .action(async (flags: RunFlags) => {
      if (!['cpu', 'webgpu', 'auto'].includes(flags.backend))
        throw new ConvrouteError('INVALID_ARGUMENT', '--backend', flags.backend, 'must be cpu, webgpu or auto');
      const base = dirname(flags.graph);
      // The schema already refuses absolute paths and '..' in constants' npy references.
      const graph = await loadGraphJson(await readText('--graph', flags.graph), { readNpyFile: (p) => readFile(join(base, p)) });
      const feeds: Record<string, Tensor> = Object.create(null);
      for (const [name, path] of pairs('--feed', flags.feed)) feeds[name] = await readTensor(`--feed ${name}`, path);
      const outs = pairs('--out', flags.out);
      for (const name of outs.keys()) {
        if (!graph.outputs.includes(name)) throw new ConvrouteError('INVALID_ARGUMENT', '--out', name, `is not a graph output (${graph.outputs.join(', ')})`);
        checkNpyWritable(`--out ${name}`, graph.values.get(name)!.shape);
      }
      const session = await Session.open({
        backend: flags.backend as BackendName,
        mode: flags.mode as CpuMode | undefined,
        memoryBudget: flags.memoryBudget === undefined ? undefined : parseByteSize('--memory-budget', flags.memoryBudget),
        profile: await profileFromFlags(flags),
      });
      try {
        const res = await session.run(graph, feeds, { policy: flags.policy });
        for (const [name, path] of outs) {
          await writeTensor(path, res.outputs[name]);
        }
        if (flags.json) {
          const outputs = Object.fromEntries(Object.entries(res.outputs).map(([k, t]) => [k, { shape: t.shape, file: outs.get(k) ?? null }]));
          process.stdout.write(`${JSON.stringify({ backend: res.backend, outputs, nodes: res.records })}\n`);
        } else {
          process.stdout.write(`${res.backend.description} (${res.backend.note})\n`);
          const rows = res.records.map((r) => [r.node, r.op, r.method, `[${r.outputShape.join(', ')}]`, fmt(r.timeMs)]);
          process.stdout.write(`${renderTable(['node', 'op', 'method', 'output', 'ms'], rows)}\n`);
        }
      } finally {
        await session.close();
      }
    });
}
