import { type Conv2dSpec, conv2dSpec, getSuite, SUITE_NAMES, uniqueShapes } from '@convroute/core';
import { SMOKE } from './smoke-suite.ts';

/** The page's suites: the app's quick 'smoke' suite first, then core's model suites. */
export const PAGE_SUITES = ['smoke', ...SUITE_NAMES] as const;
export type PageSuite = (typeof PAGE_SUITES)[number];

export interface SuiteEntry {
  name: string;
  spec: Conv2dSpec;
}

export function isPageSuite(s: unknown): s is PageSuite {
  return typeof s === 'string' && (PAGE_SUITES as readonly string[]).includes(s);
}

export function pageSuite(name: PageSuite): SuiteEntry[] {
  const layers = name === 'smoke' ? SMOKE : getSuite(name);
  return layers.map((l) => ({ name: l.name, spec: conv2dSpec(l.init) }));
}

/** Distinct shapes of a suite with their counts (benchmarks time each shape once). */
export function pageSuiteShapes(name: PageSuite): { name: string; names: string[]; spec: Conv2dSpec; count: number }[] {
  const layers = name === 'smoke' ? SMOKE : getSuite(name);
  return uniqueShapes(layers).map((u) => ({ name: `${name}/${u.names[0]}`, names: u.names, spec: u.spec, count: u.count }));
}
