import { type Conv2dSpec, type ConvMethod, convMethodRejection, type Decision, type Reason } from '@convroute/core';
import { CLASS_METHOD, type ConvClass } from './classify.ts';
import type { DeviceProfile, Storage } from './profile.ts';

/** A routing decision: core's Decision (method + reasons) with what the router adds. */
export interface RouteDecision extends Decision {
  method: ConvMethod;
  /** The conv's class (classify). */
  class: ConvClass;
  /** The policy (or override) that decided. */
  policy: string;
  /** Where the method should keep tensors on this device (profile.storage). */
  storage: Storage;
}

/** A policy is a pure function of (spec, profile): a named value so reports can say who decided. */
export interface Policy {
  readonly name: string;
  readonly description: string;
  /** `available`: the methods the backend can run here, when known; a rule table falls through a
   * rule whose method is not among them (saying so), other policies' choices stay binding. */
  decide(spec: Conv2dSpec, profile: DeviceProfile, available?: readonly ConvMethod[]): RouteDecision;
  /** Set by `always:<method>`: the method it asks for whenever it can (routerFor falls back from it
   * when the backend lacks it, saying so; every other policy's choice is binding). */
  readonly insists?: ConvMethod;
}

/** The class's own kernel, or `direct` when that kernel cannot compute the spec (a guard: every
 * class's kernel computes its class today). Pushes the check as a reason. */
export function classMethod(cls: ConvClass, spec: Conv2dSpec, reasons: Reason[]): ConvMethod {
  const m = CLASS_METHOD[cls];
  const rejection = convMethodRejection(m, spec);
  if (rejection === null) return m;
  reasons.push({ rule: 'method.can-compute', holds: false, detail: `${rejection}; using direct`, values: { method: m } });
  return 'direct';
}
