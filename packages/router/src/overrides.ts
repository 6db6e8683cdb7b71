import { type Conv2dSpec, type ConvMethod, ConvrouteError, isConvMethod, nodeOverride } from '@convroute/core';
import { classifyWithReasons } from './classify.ts';
import type { RouteDecision } from './decision.ts';
import { alwaysPolicy } from './policies.ts';
import type { DeviceProfile } from './profile.ts';

/** The environment variable that forces one method for every conv (`auto` or empty: no override). */
export const METHOD_ENV_VAR = 'CONVROUTE_METHOD';

export interface GlobalOverride {
  method: ConvMethod;
  /** 'option' (RouteOptions.method) or 'env' (CONVROUTE_METHOD) */
  from: 'option' | 'env';
}

function readEnv(env?: Record<string, string | undefined>): string | undefined {
  if (env) return env[METHOD_ENV_VAR];
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return p?.env?.[METHOD_ENV_VAR];
}

/** The global override in force: the option first, then CONVROUTE_METHOD. A bad value is an error. */
export function globalOverride(option?: ConvMethod | 'auto', env?: Record<string, string | undefined>): GlobalOverride | null {
  if (option !== undefined && option !== 'auto') {
    if (!isConvMethod(option)) throw new ConvrouteError('INVALID_ARGUMENT', 'method', option, 'must be a conv method or auto');
    return { method: option, from: 'option' };
  }
  const v = readEnv(env)?.trim();
  if (!v || v === 'auto') return null;
  if (!isConvMethod(v)) throw new ConvrouteError('INVALID_ARGUMENT', METHOD_ENV_VAR, v, 'must be a conv method or auto');
  return { method: v, from: 'env' };
}

/** A global override acts as `always:<method>` (it covers convs of every class, so it falls back
 * where the method cannot compute a conv), with a reason saying where it came from. */
export function globalOverrideDecision(o: GlobalOverride, spec: Conv2dSpec, profile: DeviceProfile): RouteDecision {
  const d = alwaysPolicy(o.method).decide(spec, profile);
  const where = o.from === 'env' ? `${METHOD_ENV_VAR}=${o.method}` : `option method=${o.method}`;
  d.reasons.unshift({ rule: `override.${o.from}`, holds: true, detail: `global override ${where}`, values: { method: o.method } });
  return { ...d, policy: `override:${o.from}` };
}

/** A per-node override as a route report shows it: core's nodeOverride (the interpreter's own
 * check and reason), with the conv's class and the device's storage. */
export function nodeOverrideDecision(spec: Conv2dSpec, method: ConvMethod, nodeId: string, profile?: DeviceProfile): RouteDecision {
  const o = nodeOverride({ op: 'conv2d', spec }, method, nodeId);
  const { class: cls, reasons } = classifyWithReasons(spec);
  return { method, class: cls, policy: 'override:node', storage: profile?.storage ?? 'buffer', reasons: [...o.reasons, ...reasons] };
}
