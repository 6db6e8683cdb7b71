import { type Backend, type ConvMethod, convMethodsFor, isConvMethod, type Reason } from '@convroute/core';
import { type ConvClass, classify, type DeviceProfile, routerFor } from '@convroute/router';
import type { SuiteEntry } from './suites.ts';

/** One row of the routing table: what the router chose for a layer and why. */
export interface RouteRow {
  name: string;
  entry: SuiteEntry;
  class: ConvClass;
  /** null when the policy chose a method the backend cannot run (the error says which). */
  method: ConvMethod | null;
  reasons: Reason[];
  error?: string;
}

/** Methods the backend can run for a spec; before a GPU exists, every method core says can compute it. */
export function availableMethods(entry: SuiteEntry, backend: Backend | null): ConvMethod[] {
  if (!backend) return convMethodsFor(entry.spec);
  return backend.methodsFor({ op: 'conv2d', spec: entry.spec }).filter(isConvMethod);
}

/** Routes every layer with a policy on a profile, exactly as `convroute` would at run time. */
export function routeSuite(entries: readonly SuiteEntry[], policy: string, profile: DeviceProfile, backend: Backend | null): RouteRow[] {
  const route = routerFor(policy, profile);
  return entries.map((entry) => {
    const cls = classify(entry.spec);
    try {
      const d = route(entry.spec, { nodeId: entry.name, available: availableMethods(entry, backend) });
      return { name: entry.name, entry, class: cls, method: d.method, reasons: d.reasons };
    } catch (e) {
      return { name: entry.name, entry, class: cls, method: null, reasons: [], error: e instanceof Error ? e.message : String(e) };
    }
  });
}

/** Reasons in one line each, the rules that held first marked with a check. */
export function reasonLines(reasons: readonly Reason[]): string[] {
  return reasons.map((r) => `${r.holds ? '\u2713' : '\u2717'} ${r.rule}: ${r.detail}`);
}
