import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  CONV_METHODS,
  type Conv2dSpec,
  type ConvMethod,
  ConvrouteError,
  conv2dBiasShape,
  conv2dFlops,
  conv2dOutputShape,
  convMethodsFor,
  getSuite,
  isConvMethod,
  isSuiteName,
  loadGraphJson,
  SUITE_NAMES,
  type SuiteLayer,
  uniqueShapes,
} from '@convroute/core';
import { classify } from '@convroute/router';
import type { BenchLayer } from './format.ts';

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Minimum memory traffic of a conv: each float32 tensor read or written once. */
export function convBytes(spec: Conv2dSpec): number {
  const elems = size(spec.input) + size(spec.weight) + (spec.bias ? size(conv2dBiasShape(spec)) : 0) + size(conv2dOutputShape(spec));
  return 4 * elems;
}

export function benchLayer(suite: string, names: string[], spec: Conv2dSpec, count = names.length): BenchLayer {
  return { id: `${suite}/${names[0]}`, suite, names, count, spec, class: classify(spec), flops: conv2dFlops(spec), bytes: convBytes(spec) };
}

async function suiteLayers(name: string): Promise<BenchLayer[]> {
  if (isSuiteName(name)) return uniqueShapes(getSuite(name)).map((u) => benchLayer(name, u.names, u.spec, u.count));
  if (!name.endsWith('.json')) throw new ConvrouteError('INVALID_ARGUMENT', '--suite', name, `must be ${SUITE_NAMES.join(', ')} or a graph .json file`);
  let text: string;
  try {
    text = await readFile(name, 'utf8');
  } catch (e) {
    throw new ConvrouteError('INVALID_ARGUMENT', '--suite', name, `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const graph = await loadGraphJson(text, { shapesOnly: true });
  const layers: SuiteLayer[] = graph.nodes.flatMap((n) => (n.op.op === 'conv2d' ? [{ name: n.id, init: n.op.spec }] : []));
  if (layers.length === 0) throw new ConvrouteError('INVALID_ARGUMENT', '--suite', name, 'the graph has no conv2d node');
  const suite = basename(name, '.json');
  return uniqueShapes(layers).map((u) => benchLayer(suite, u.names, u.spec, u.count));
}

/** The layers of `a,b,...` (suite names or graph files), each distinct shape once per suite,
 * filtered by a regular expression over `suite/name` (any of a shape's names may match). */
export async function benchLayers(suites: string, layerPattern?: string): Promise<BenchLayer[]> {
  const names = suites
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new ConvrouteError('INVALID_ARGUMENT', '--suite', suites, 'name at least one suite');
  let re: RegExp | undefined;
  if (layerPattern !== undefined) {
    try {
      re = new RegExp(layerPattern);
    } catch (e) {
      throw new ConvrouteError('INVALID_ARGUMENT', '--layers', layerPattern, `is not a regular expression: ${(e as Error).message}`);
    }
  }
  const all = (await Promise.all(names.map(suiteLayers))).flat();
  const kept = re ? all.filter((l) => l.names.some((n) => re.test(`${l.suite}/${n}`))) : all;
  if (kept.length === 0) throw new ConvrouteError('INVALID_ARGUMENT', '--layers', layerPattern, `matches none of the ${all.length} layers`);
  return kept;
}

export function parseMethods(text: string | undefined): ConvMethod[] | null {
  if (text === undefined) return null;
  const ms = text.split(',').map((s) => s.trim());
  for (const m of ms) if (!isConvMethod(m)) throw new ConvrouteError('INVALID_ARGUMENT', '--methods', m, `must be one of ${CONV_METHODS.join(', ')}`);
  return ms as ConvMethod[];
}

/** The methods to try on a layer: every method whose algorithm computes it (the backend then
 * says which of those it runs), restricted to --methods. */
export function layerMethods(spec: Conv2dSpec, only: readonly ConvMethod[] | null): ConvMethod[] {
  return convMethodsFor(spec).filter((m) => only === null || only.includes(m));
}
