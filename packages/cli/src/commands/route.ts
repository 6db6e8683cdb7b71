import { type Conv2dSpec, ConvrouteError, conv2dSpec, isConvMethod, isSuiteName, loadGraphJson, type Method, SUITE_NAMES, suiteSpecs } from '@convroute/core';
import {
  type DeviceProfile,
  decisiveReasons,
  methodsFor,
  namedProfile,
  nodeOverrideDecision,
  type PolicyLike,
  PROFILE_NAMES,
  profileFromAcquired,
  profileFromJson,
  type RouteDecision,
  reasonLine,
  resolvePolicy,
  routerFor,
} from '@convroute/router';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { addConvAttributeFlags, type ConvAttributeFlags, convAttrsFromFlags, intList } from '../conv-flags.ts';
import { parseJsonFile, readText } from '../files.ts';
import { jsonDocument } from '../json-output.ts';
import { policyFromFlag } from '../policy-file.ts';

interface RouteFlags extends ConvAttributeFlags {
  inputShape?: string;
  weightShape?: string;
  suite?: string;
  device?: string;
  adapterInfo?: string;
  profile?: string;
  policy: string;
  compare?: string;
  json?: boolean;
}

/** One conv to route: a layer name, its spec, and a graph node's own method when it sets one. */
export interface RouteItem {
  layer: string;
  spec: Conv2dSpec;
  nodeMethod?: Method | 'auto';
}

async function routeItems(f: RouteFlags): Promise<RouteItem[]> {
  const oneConv = f.inputShape !== undefined || f.weightShape !== undefined;
  if (f.suite !== undefined && oneConv)
    throw new ConvrouteError('INVALID_ARGUMENT', '--suite', f.suite, 'give either --suite or --input-shape/--weight-shape, not both');
  if (f.suite !== undefined) {
    if (isSuiteName(f.suite)) return suiteSpecs(f.suite).map((l) => ({ layer: l.name, spec: l.spec }));
    if (!f.suite.endsWith('.json'))
      throw new ConvrouteError('INVALID_ARGUMENT', '--suite', f.suite, `must be one of ${SUITE_NAMES.join(', ')} or a graph .json file`);
    const graph = await loadGraphJson(parseJsonFile('--suite', f.suite, await readText('--suite', f.suite)), { shapesOnly: true });
    const convs = graph.nodes.flatMap((n) => (n.op.op === 'conv2d' ? [{ layer: n.id, spec: n.op.spec, nodeMethod: n.method }] : []));
    if (convs.length === 0) throw new ConvrouteError('INVALID_ARGUMENT', '--suite', f.suite, 'the graph has no conv2d node');
    return convs;
  }
  if (f.inputShape === undefined || f.weightShape === undefined) {
    throw new ConvrouteError(
      'INVALID_ARGUMENT',
      f.inputShape === undefined ? '--input-shape' : '--weight-shape',
      undefined,
      'one conv needs both --input-shape N,C,H,W and --weight-shape O,I,KH,KW (or use --suite)',
    );
  }
  const input = intList('--input-shape', f.inputShape, [4]);
  const weight = intList('--weight-shape', f.weightShape, [4]);
  return [{ layer: 'conv', spec: conv2dSpec({ input, weight, ...convAttrsFromFlags(f) }) }];
}

/** The adapter present, if any, through the WebGPU backend's own acquisition (with its
 * software-driver fallback); loaded on demand so routing for a named device needs no GPU. */
export async function detectAdapterProfile(): Promise<{ profile: DeviceProfile } | { why: string }> {
  const { acquireDevice } = await import('@convroute/backend-webgpu');
  try {
    const acquired = await acquireDevice();
    const profile = profileFromAcquired(acquired);
    acquired.device.destroy();
    return { profile };
  } catch (e) {
    if (e instanceof ConvrouteError && e.code === 'DEVICE') return { why: e.rule };
    throw e;
  }
}

async function deviceProfile(f: RouteFlags): Promise<DeviceProfile> {
  const given = (['device', 'adapterInfo', 'profile'] as const).filter((k) => f[k] !== undefined);
  if (given.length > 1) throw new ConvrouteError('INVALID_ARGUMENT', '--device', given.join(', '), 'give one of --device, --adapter-info, --profile');
  if (f.device !== undefined) return namedProfile(f.device);
  if (f.profile !== undefined) return profileFromJson(parseJsonFile('--profile', f.profile, await readText('--profile', f.profile)), f.profile);
  if (f.adapterInfo !== undefined) {
    let doc: unknown;
    try {
      doc = JSON.parse(f.adapterInfo);
    } catch (e) {
      throw new ConvrouteError('INVALID_ARGUMENT', '--adapter-info', f.adapterInfo, `is not JSON: ${(e as Error).message}`);
    }
    // Bare GPUAdapterInfo fields, or the profile JSON form ({ info, limits, features } / { family }).
    const wrapped = doc && typeof doc === 'object' && !('info' in doc) && !('family' in doc) ? { info: doc } : doc;
    return profileFromJson(wrapped, '--adapter-info');
  }
  const found = await detectAdapterProfile();
  if ('profile' in found) return found.profile;
  throw new ConvrouteError(
    'INVALID_ARGUMENT',
    '--device',
    undefined,
    `${found.why}; name a device with --device (${PROFILE_NAMES.join(', ')}), --adapter-info or --profile`,
  );
}

export function decider(policy: PolicyLike, profile: DeviceProfile): (item: RouteItem) => RouteDecision {
  const route = routerFor(policy, profile);
  return (item) =>
    item.nodeMethod !== undefined && item.nodeMethod !== 'auto' && isConvMethod(item.nodeMethod)
      ? nodeOverrideDecision(item.spec, item.nodeMethod, item.layer, profile)
      : route(item.spec, { nodeId: item.layer, available: methodsFor(item.spec) });
}

export function profileSummary(p: DeviceProfile) {
  return { name: p.name, family: p.family, generation: p.generation, storage: p.storage, origin: p.origin, evidence: p.evidence };
}

export function decisionJson(d: RouteDecision) {
  return { method: d.method, storage: d.storage, policy: d.policy, reasons: d.reasons };
}

/** Colours only on a terminal, so piped output stays plain text. */
export function tableStyle(): { head: string[]; border: string[] } | undefined {
  return process.stdout.isTTY ? undefined : { head: [], border: [] };
}

export function header(p: DeviceProfile): string {
  return `device ${p.name}: ${p.family}${p.generation ? ` ${p.generation}` : ''}, ${p.storage} storage (${p.evidence})\n`;
}

/** A layer's conv as the library takes it (conv2dSpec's init form), so a consumer can re-run it. */
function specJson(s: Conv2dSpec) {
  const { input, weight, stride, padding, dilation, groups, transposed, outputPadding, activation, bias } = s;
  return { input, weight, bias, stride, padding, dilation, groups, transposed, outputPadding, activation };
}

function explainOne(items: RouteItem[], profile: DeviceProfile, policy: PolicyLike, json: boolean): string {
  const decide = decider(policy, profile);
  const rows = items.map((it) => ({ it, d: decide(it) }));
  if (json) {
    const convs = rows.map(({ it, d }) => ({ layer: it.layer, class: d.class, spec: specJson(it.spec), ...decisionJson(d) }));
    return jsonDocument('route', { device: profileSummary(profile), policy: resolvePolicy(policy).name, convs }, 2);
  }
  const table = new Table({ head: ['layer', 'class', 'method', 'reasons'], wordWrap: true, colWidths: [null, null, null, 100], style: tableStyle() });
  for (const { it, d } of rows) table.push([it.layer, d.class, d.method, decisiveReasons(d).map(reasonLine).join('\n')]);
  const p = resolvePolicy(policy);
  return `${header(profile)}policy ${p.name}: ${p.description}\n${table.toString()}\n`;
}

async function explainCompare(items: RouteItem[], profile: DeviceProfile, compare: string, json: boolean): Promise<string> {
  const names = compare.split(',').map((s) => s.trim());
  if (names.length !== 2 || names.some((n) => n === '')) throw new ConvrouteError('INVALID_ARGUMENT', '--compare', compare, 'must be two policies: P1,P2');
  const policies = await Promise.all(names.map((n) => policyFromFlag(n, '--compare')));
  const [a, b] = policies.map((p) => decider(p as PolicyLike, profile));
  const rows = items.map((it) => ({ it, da: a(it), db: b(it) }));
  const differ = rows.filter((r) => r.da.method !== r.db.method).length;
  if (json) {
    const convs = rows.map(({ it, da, db }) => ({
      layer: it.layer,
      class: da.class,
      spec: specJson(it.spec),
      differ: da.method !== db.method,
      decisions: { [names[0]]: decisionJson(da), [names[1]]: decisionJson(db) },
    }));
    return jsonDocument('route', { device: profileSummary(profile), policies: names, differ, convs }, 2);
  }
  const table = new Table({
    head: ['layer', 'class', names[0], names[1], 'why they differ'],
    wordWrap: true,
    colWidths: [null, null, null, null, 90],
    style: tableStyle(),
  });
  for (const { it, da, db } of rows) {
    const why =
      da.method === db.method
        ? ''
        : [`${names[0]}:`, ...decisiveReasons(da).map(reasonLine), `${names[1]}:`, ...decisiveReasons(db).map(reasonLine)].join('\n');
    table.push([it.layer, da.class, da.method, db.method === da.method ? db.method : `${db.method} *`, why]);
  }
  return `${header(profile)}${table.toString()}\n${differ} of ${rows.length} conv(s) differ between ${names[0]} and ${names[1]}\n`;
}

/** `convroute route`: explains the router's decision for one conv, a layer suite or a graph. */
export function registerRoute(program: Command): void {
  const cmd = program
    .command('route')
    .description('explain which conv method a policy picks, and why, for one conv, a layer suite or a graph JSON')
    .option('--input-shape <N,C,H,W>', 'input shape of one conv')
    .option('--weight-shape <O,I,KH,KW>', 'weight shape of one conv ([C_in, C_out/g, kH, kW] when transposed)');
  addConvAttributeFlags(cmd)
    .option('--suite <name|graph.json>', `every conv of a layer suite (${SUITE_NAMES.join(', ')}) or of a graph JSON file`)
    .option('--device <name>', `a named device profile (${PROFILE_NAMES.join(', ')})`)
    .option('--adapter-info <json>', 'GPUAdapterInfo fields as JSON, e.g. \'{"vendor":"arm","architecture":"valhall"}\'')
    .option('--profile <file.json>', 'a device profile JSON file')
    .option('--policy <name|table.json>', 'etvk, etvk-legacy, always:<method>, or a rule-table file', 'etvk')
    .option('--compare <P1,P2>', 'show the decisions of two policies side by side and where they differ')
    .option('--json', 'print one JSON document (class, method, reasons per conv)')
    .action(async (flags: RouteFlags) => {
      const items = await routeItems(flags);
      const profile = await deviceProfile(flags);
      const out =
        flags.compare !== undefined
          ? await explainCompare(items, profile, flags.compare, !!flags.json)
          : explainOne(items, profile, (await policyFromFlag(flags.policy)) as PolicyLike, !!flags.json);
      // Wait until the text is handed to the OS: main() calls process.exit, which would cut off
      // a large piped document at the pipe buffer (64 KiB) otherwise.
      await new Promise<void>((resolve, reject) => process.stdout.write(out, (e) => (e ? reject(e) : resolve())));
    });
}
