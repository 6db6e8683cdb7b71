import { ConvrouteError, checkNpyWritable, type Graph, loadGraphJson, type Tensor, writeNpy } from '@convroute/core';
import type { Command } from 'commander';
import { checkBackend, checkMode, checkPrecision, PRECISION_HELP } from '../conv-flags.ts';
import { openSessionFromFlags, parseJsonFile, readTensor, readText } from '../files.ts';
import { graphNpyReader } from '../graph-weights.ts';
import { jsonDocument } from '../json-output.ts';
import { loadModelFromFlags, type ModelFlags } from '../onnx-model.ts';
import { OutputFiles } from '../output-files.ts';
import { policyFromFlag } from '../policy-file.ts';
import { fmt, renderTable } from '../table.ts';

interface RunFlags extends ModelFlags {
  graph?: string;
  feed: string[];
  out: string[];
  backend: string;
  mode?: string;
  precision?: string;
  memoryBudget?: string;
  policy?: string;
  device?: string;
  profile?: string;
  json?: boolean;
}

/** NAME=path pairs, naming the flag and the rule when one is malformed or a name repeats. */
function pairs(flag: string, items: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const item of items) {
    const i = item.indexOf('=');
    if (i <= 0 || i === item.length - 1) throw new ConvrouteError('INVALID_ARGUMENT', flag, item, 'must be NAME=path');
    const name = item.slice(0, i);
    if (m.has(name)) throw new ConvrouteError('INVALID_ARGUMENT', flag, item, `names ${name} twice (${m.get(name)} and ${item.slice(i + 1)})`);
    m.set(name, item.slice(i + 1));
  }
  return m;
}

/** The graph's value names: what `--out` may write (graph outputs and intermediates alike). */
function valueNames(doc: unknown): string[] {
  const g = doc as { inputs?: { name?: unknown }[]; constants?: { name?: unknown }[]; nodes?: { output?: unknown }[] };
  const names = [...(g.inputs ?? []).map((v) => v?.name), ...(g.constants ?? []).map((v) => v?.name), ...(g.nodes ?? []).map((n) => n?.output)];
  return names.filter((n): n is string => typeof n === 'string');
}

/** The graph of --graph or --model, with the --out values that are intermediates made outputs
 * of this run (so the interpreter keeps them); `declared` is the model's own outputs. */
async function loadRunGraph(flags: RunFlags, outs: string[]): Promise<{ graph: Graph; declared: string[] }> {
  if ((flags.graph === undefined) === (flags.model === undefined))
    throw new ConvrouteError('INVALID_ARGUMENT', '--graph', flags.graph ?? null, 'give exactly one of --graph <model.json> and --model <model.onnx>');
  const checkOuts = (values: string[]) => {
    for (const name of outs)
      if (!values.includes(name)) throw new ConvrouteError('INVALID_ARGUMENT', '--out', name, `is not a value of the graph (${values.join(', ')})`);
  };
  if (flags.model !== undefined) {
    const model = await loadModelFromFlags(flags);
    checkOuts([...model.values.keys()]);
    const declared = [...model.outputs];
    const extra = outs.filter((n) => !declared.includes(n));
    return { graph: extra.length ? { ...model, outputs: [...declared, ...extra] } : model, declared };
  }
  if (flags.inputShape?.length || flags.foldBatchNorm)
    throw new ConvrouteError('INVALID_ARGUMENT', flags.foldBatchNorm ? '--fold-batch-norm' : '--input-shape', true, 'applies to --model only');
  const path = flags.graph!;
  const doc = parseJsonFile('--graph', path, await readText('--graph', path)) as { outputs?: unknown };
  checkOuts(valueNames(doc));
  const declared = Array.isArray(doc.outputs) ? (doc.outputs as string[]) : [];
  const extra = outs.filter((n) => !declared.includes(n));
  const graph = await loadGraphJson(extra.length && doc.outputs ? { ...doc, outputs: [...declared, ...extra] } : doc, {
    readNpyFile: await graphNpyReader(path),
  });
  return { graph, declared };
}

export function registerRun(program: Command): void {
  const collect = (v: string, acc: string[]) => [...acc, v];
  program
    .command('run')
    .description('run a graph JSON (weights inline, seeded, or .npy beside the graph) or an ONNX model on .npy inputs')
    .option('--graph <model.json>', 'the graph (schema: packages/core/schema/graph.schema.json)')
    .option('--model <model.onnx>', 'an ONNX model (float32, opsets 11-21) instead of --graph')
    .option('--input-shape <name=N,C,H,W>', '--model: the shape of an input with symbolic dims (repeat for each)', collect, [])
    .option('--fold-batch-norm', '--model: fold BatchNormalization into the conv before it (a different function: weights rounded once)')
    .option('--feed <name=x.npy>', 'a graph input (repeat for each)', collect, [])
    .option('--out <name=y.npy>', 'write a value of the graph, an output or an intermediate (repeat; all are written or none)', collect, [])
    .option('--backend <auto|cpu|webgpu>', 'where to run (auto: WebGPU when an adapter exists)', 'auto')
    .option('--mode <exact|fast>', 'cpu only: exact (default) or fast')
    .option('--precision <f32|f16-storage|f16>', PRECISION_HELP)
    .option('--memory-budget <bytes>', 'bytes one node may allocate (output + scratch), e.g. 512M or 4G (default 2G)')
    .option('--policy <name|file.json>', 'routing policy for nodes with method auto (default etvk)')
    .option('--device <name>', 'route as if on this named device profile')
    .option('--profile <file.json>', 'route with this device profile (e.g. from convroute calibrate)')
    .option('--json', 'print one JSON object with every node record on stdout')
    .action(async (flags: RunFlags) => {
      checkBackend(flags.backend);
      checkMode(flags.mode);
      checkPrecision(flags.precision);
      const feedPaths = pairs('--feed', flags.feed);
      const outs = pairs('--out', flags.out);
      const files = new OutputFiles();
      try {
        for (const [name, path] of outs) await files.reserve(`--out ${name}`, path);
        const { graph, declared } = await loadRunGraph(flags, [...outs.keys()]);
        // Before any work: every requested value must be writable as one .npy.
        for (const name of outs.keys()) checkNpyWritable(`--out ${name}`, graph.values.get(name)!.shape);
        const feeds: Record<string, Tensor> = Object.create(null);
        for (const [name, path] of feedPaths) feeds[name] = await readTensor(`--feed ${name}`, path);
        const session = await openSessionFromFlags(flags);
        try {
          const res = await session.run(graph, feeds, { policy: await policyFromFlag(flags.policy) });
          await files.commit(new Map([...outs].map(([name, path]) => [path, writeNpy(res.outputs[name])])));
          if (flags.json) {
            const written = [...new Set([...declared, ...outs.keys()])];
            const outputs = Object.fromEntries(written.map((k) => [k, { shape: res.outputs[k].shape, file: outs.get(k) ?? null }]));
            process.stdout.write(jsonDocument('run', { backend: res.backend, outputs, nodes: res.records }));
          } else {
            process.stdout.write(`${res.backend.description} (${res.backend.note})\n`);
            const rows = res.records.map((r) => [r.node, r.op, r.method, r.precision, `[${r.outputShape.join(', ')}]`, fmt(r.timeMs)]);
            process.stdout.write(`${renderTable(['node', 'op', 'method', 'precision', 'output', 'ms'], rows)}\n`);
          }
        } finally {
          await session.close();
        }
      } finally {
        await files.discard();
      }
    });
}
