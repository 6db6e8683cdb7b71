import { ConvrouteError } from '../errors.ts';
import type { Graph } from '../graph.ts';
import { mobilenetv2 } from './mobilenetv2.ts';
import { RUNNING_STAT_SUFFIXES } from './network-builder.ts';
import type { NetworkOptions } from './network-options.ts';
import { resnet18 } from './resnet18.ts';
import { squeezenet11 } from './squeezenet11.ts';

export type { NetworkOptions } from './network-options.ts';
export { mobilenetv2, resnet18, squeezenet11 };

/** Whole-network graphs (torchvision topologies with seeded random weights), by name. */
export const NETWORK_NAMES = ['resnet18', 'mobilenetv2', 'squeezenet11'] as const;
export type NetworkName = (typeof NETWORK_NAMES)[number];

const NETWORKS: Record<NetworkName, (o?: NetworkOptions) => Graph> = { resnet18, mobilenetv2, squeezenet11 };

export function isNetworkName(name: unknown): name is NetworkName {
  return typeof name === 'string' && (NETWORK_NAMES as readonly string[]).includes(name);
}

/** The named network's graph (input `input` [N, 3, H, W], output `logits`), or INVALID_ARGUMENT. */
export function buildNetwork(name: string, options: NetworkOptions = {}): Graph {
  if (!isNetworkName(name)) throw new ConvrouteError('INVALID_ARGUMENT', 'network', name, `must be one of ${NETWORK_NAMES.join(', ')}`);
  return NETWORKS[name](options);
}

/** The number of trainable parameters as torchvision counts them: every constant but
 * BatchNorm's running mean and variance (named `<bn>.running_mean` / `.running_var`). */
export function trainableParameterCount(graph: Graph): number {
  let count = 0;
  for (const v of graph.values.values()) {
    if (v.kind !== 'constant' || RUNNING_STAT_SUFFIXES.some((s) => v.name.endsWith(s))) continue;
    count += v.shape.reduce((a, d) => a * d, 1);
  }
  return count;
}
