import type { Conv2dSpecInit } from '../conv2d.ts';

/** One conv layer of a model or test suite: a stable name, the spec as a caller would pass it,
 * and where the shape comes from (a model definition or a peer's test file). */
export interface SuiteLayer {
  name: string;
  init: Conv2dSpecInit;
  source?: string;
}

/** Freezes layers deeply so a caller mutating one suite's data cannot change another's view. */
export function freezeLayers(layers: SuiteLayer[]): readonly SuiteLayer[] {
  for (const layer of layers) {
    for (const v of Object.values(layer.init)) if (typeof v === 'object' && v !== null) Object.freeze(v);
    Object.freeze(layer.init);
    Object.freeze(layer);
  }
  return Object.freeze(layers);
}
