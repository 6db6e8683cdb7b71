import {
  CONV_METHODS,
  type Conv2dSpec,
  type ConvMethod,
  convMethodRejection,
  type Decision,
  describeBindingExcess,
  methodBindingExcess,
  type Precision,
  type Reason,
} from '@convroute/core';
import { CLASS_METHOD, type ConvClass, classify } from './classify.ts';
import type { Storage } from './device-family.ts';
import type { DeviceProfile } from './profile.ts';

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
   * rule whose method is not among them (saying so), other policies' choices stay binding.
   * `precision`: the backend's arithmetic (default f32), a condition rule tables may test. */
  decide(spec: Conv2dSpec, profile: DeviceProfile, available?: readonly ConvMethod[], precision?: Precision): RouteDecision;
  /** Set by `always:<method>`: the method it asks for whenever it can (routerFor falls back from it
   * when the backend lacks it, saying so; every other policy's choice is binding). */
  readonly insists?: ConvMethod;
}

/** The class's own kernel, or `direct` when that kernel cannot compute the spec (a guard: every
 * class's kernel computes its class today). Pushes the check as a reason. With a profile, the
 * pick must also fit the device's binding limits (fittingMethod). */
export function classMethod(cls: ConvClass, spec: Conv2dSpec, reasons: Reason[], profile?: DeviceProfile): ConvMethod {
  const m = CLASS_METHOD[cls];
  const rejection = convMethodRejection(m, spec);
  let pick: ConvMethod = m;
  if (rejection !== null) {
    reasons.push({ rule: 'method.can-compute', holds: false, detail: `${rejection}; using direct`, values: { method: m } });
    pick = 'direct';
  }
  return profile ? fittingMethod(pick, spec, profile, reasons) : pick;
}

/** Whether every buffer `method` binds fits the profile's limits (core's methodBindingExcess, the
 * WebGPU backend's own measure); when one does not, pushes a reason with its bytes and the limit. */
function fitsLimits(method: ConvMethod, spec: Conv2dSpec, profile: DeviceProfile, reasons: Reason[]): boolean {
  const e = methodBindingExcess(method, spec, profile.limits);
  if (e === null) return true;
  reasons.push({
    rule: 'limits.binding',
    holds: false,
    detail: describeBindingExcess(method, e),
    values: { method, binding: e.name, bytes: e.bytes, [e.limitName]: e.limit },
  });
  return false;
}

/**
 * `preferred` when its buffers fit the device; else the class's own kernel, else direct, else the
 * first other method that computes the spec and fits, with the reason. When none fits (the input
 * or output alone is over the limit), `preferred` stays and the reason says the backend will
 * refuse it: a route never hides a device limit.
 */
export function fittingMethod(preferred: ConvMethod, spec: Conv2dSpec, profile: DeviceProfile, reasons: Reason[]): ConvMethod {
  if (fitsLimits(preferred, spec, profile, reasons)) return preferred;
  const order = [...new Set<ConvMethod>([CLASS_METHOD[classify(spec)], 'direct', ...CONV_METHODS])];
  for (const m of order) {
    if (m === preferred || convMethodRejection(m, spec) !== null) continue;
    if (methodBindingExcess(m, spec, profile.limits) === null) {
      reasons.push({ rule: 'limits.fallback', holds: true, detail: `${m} fits the device's limits; using it instead of ${preferred}`, values: { method: m } });
      return m;
    }
  }
  reasons.push({
    rule: 'limits.fallback',
    holds: false,
    detail: `no method fits the device's limits; keeping ${preferred} (the backend refuses it with LIMIT_EXCEEDED)`,
    values: { method: preferred },
  });
  return preferred;
}
