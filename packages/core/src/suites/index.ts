import { type Conv2dSpec, conv2dSpec } from '../conv2d.ts';
import { ConvrouteError } from '../errors.ts';
import { ETVK } from './etvk.ts';
import { MOBILENETV2 } from './mobilenetv2.ts';
import { RESNET18 } from './resnet18.ts';
import type { SuiteLayer } from './suite-layer.ts';

export type { SuiteLayer } from './suite-layer.ts';
export { type UniqueShape, uniqueShapes } from './unique-shapes.ts';

/** Conv layer suites as data: two reference models and ExecuTorch Vulkan's own test shapes. */
export const SUITE_NAMES = ['resnet18', 'mobilenetv2', 'etvk'] as const;
export type SuiteName = (typeof SUITE_NAMES)[number];

const SUITES: Record<SuiteName, readonly SuiteLayer[]> = {
  resnet18: RESNET18,
  mobilenetv2: MOBILENETV2,
  etvk: ETVK,
};

export function isSuiteName(name: unknown): name is SuiteName {
  return typeof name === 'string' && (SUITE_NAMES as readonly string[]).includes(name);
}

/** The layers of a suite (deeply frozen), or INVALID_ARGUMENT for an unknown name. */
export function getSuite(name: string): readonly SuiteLayer[] {
  if (!isSuiteName(name)) {
    throw new ConvrouteError('INVALID_ARGUMENT', 'suite', name, `must be one of ${SUITE_NAMES.join(', ')}`);
  }
  return SUITES[name];
}

/** Each layer of a suite with its validated, normalised spec. */
export function suiteSpecs(name: string): { name: string; spec: Conv2dSpec }[] {
  return getSuite(name).map((layer) => ({ name: layer.name, spec: conv2dSpec(layer.init) }));
}
