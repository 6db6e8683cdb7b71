import { ConvrouteError } from '@convroute/core';
import {
  type DeviceProfile,
  decisiveReasons,
  namedProfile,
  type PolicyLike,
  PROFILE_NAMES,
  profileFromJson,
  reasonLine,
  resolvePolicy,
} from '@convroute/router';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { parseJsonFile, readText } from '../files.ts';
import { jsonDocument } from '../json-output.ts';
import { summarizeModel } from '../model-summary.ts';
import { loadModelFromFlags } from '../onnx-model.ts';
import { policyFromFlag } from '../policy-file.ts';
import { decider, decisionJson, detectAdapterProfile, header, profileSummary, type RouteItem, tableStyle } from './route.ts';

interface InspectFlags {
  profile?: string;
  policy: string;
  inputShape: string[];
  foldBatchNorm?: boolean;
  json?: boolean;
}

/** A named profile, a profile JSON file (*.json), or the adapter present. */
async function inspectProfile(flag: string | undefined): Promise<DeviceProfile> {
  if (flag?.endsWith('.json')) return profileFromJson(parseJsonFile('--profile', flag, await readText('--profile', flag)), flag);
  if (flag !== undefined) return namedProfile(flag);
  const found = await detectAdapterProfile();
  if ('profile' in found) return found.profile;
  throw new ConvrouteError(
    'INVALID_ARGUMENT',
    '--profile',
    undefined,
    `${found.why}; name a profile with --profile (${PROFILE_NAMES.join(', ')}) or a profile .json`,
  );
}

const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;
const count = (n: number) => n.toLocaleString('en-US');

/** `convroute inspect model.onnx`: ops, shapes, parameters, FLOPs and the route of every conv. */
export function registerInspect(program: Command): void {
  const collect = (v: string, acc: string[]) => [...acc, v];
  program
    .command('inspect <model.onnx>')
    .description("an ONNX model's ops with counts, each value's shape, parameter count, FLOPs, and the route of every conv on a device profile")
    .option('--profile <name|file.json>', `a named device profile (${PROFILE_NAMES.join(', ')}) or a profile JSON file (default: the adapter present)`)
    .option('--policy <name|table.json>', 'routing policy (etvk, etvk-legacy, always:<method>, or a rule-table file)', 'etvk')
    .option('--input-shape <name=N,C,H,W>', 'the shape of an input with symbolic dims (repeat for each)', collect, [])
    .option('--fold-batch-norm', 'inspect the graph with BatchNormalization folded into the convs')
    .option('--json', 'print one JSON document')
    .action(async (model: string, flags: InspectFlags) => {
      const graph = await loadModelFromFlags({ model, inputShape: flags.inputShape, foldBatchNorm: flags.foldBatchNorm }, 'model');
      const profile = await inspectProfile(flags.profile);
      const policy = (await policyFromFlag(flags.policy)) as PolicyLike;
      const decide = decider(policy, profile);
      const summary = summarizeModel(graph);
      const convs = graph.nodes.flatMap((n) => (n.op.op === 'conv2d' ? [{ layer: n.id, spec: n.op.spec, nodeMethod: n.method } satisfies RouteItem] : []));
      const routes = convs.map((it) => ({ it, d: decide(it) }));
      let out: string;
      if (flags.json) {
        const routeJson = routes.map(({ it, d }) => ({ layer: it.layer, class: d.class, ...decisionJson(d) }));
        out = jsonDocument('inspect', { ...summary, device: profileSummary(profile), policy: resolvePolicy(policy).name, routes: routeJson }, 2);
      } else {
        const io = [
          ...summary.inputs.map((v) => `input ${v.name} ${shapeText(v.shape)}`),
          ...summary.outputs.map((v) => `output ${v.name} ${shapeText(v.shape)}`),
        ];
        const ops = Object.entries(summary.ops)
          .map(([op, n]) => `${op} x${n}`)
          .join(', ');
        const values = new Table({ head: ['value', 'kind', 'shape'], style: tableStyle() });
        for (const v of summary.values) values.push([v.name, v.kind, shapeText(v.shape)]);
        const table = new Table({ head: ['conv', 'class', 'method', 'reasons'], wordWrap: true, colWidths: [null, null, null, 90], style: tableStyle() });
        for (const { it, d } of routes) table.push([it.layer, d.class, d.method, decisiveReasons(d).map(reasonLine).join('\n')]);
        out = [
          ...io,
          `ops: ${ops} (${graph.nodes.length} nodes)`,
          `parameters: ${count(summary.parameters)}`,
          `FLOPs: ${count(summary.flops)} (2 x multiply-adds of conv2d, gemm, matmul)`,
          values.toString(),
          `${header(profile)}policy ${resolvePolicy(policy).name}`,
          table.toString(),
          '',
        ].join('\n');
      }
      await new Promise<void>((resolve, reject) => process.stdout.write(out, (e) => (e ? reject(e) : resolve())));
    });
}
