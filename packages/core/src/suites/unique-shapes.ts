import { type Conv2dSpec, conv2dSpec } from '../conv2d.ts';
import type { SuiteLayer } from './suite-layer.ts';

/** A distinct conv shape of a suite and the layers that share it (benchmarks run each once and
 * weight by `count`; ResNet-18's layer1 has four identical 64x56x56 3x3 convs, for example). */
export interface UniqueShape {
  spec: Conv2dSpec;
  names: string[];
  count: number;
}

/** Groups layers whose normalised specs are equal, in first-seen order. */
export function uniqueShapes(layers: readonly SuiteLayer[]): UniqueShape[] {
  const byKey = new Map<string, UniqueShape>();
  for (const layer of layers) {
    const spec = conv2dSpec(layer.init);
    const key = JSON.stringify(spec);
    const found = byKey.get(key);
    if (found) {
      found.names.push(layer.name);
      found.count++;
    } else {
      byKey.set(key, { spec, names: [layer.name], count: 1 });
    }
  }
  return [...byKey.values()];
}
