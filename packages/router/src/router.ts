import { type Conv2dSpec, type ConvMethod, ConvrouteError, F16_CONV_METHODS, type RouteContext } from '@convroute/core';
import { classMethod, type RouteDecision } from './decision.ts';
import { globalOverride, globalOverrideDecision } from './overrides.ts';
import type { DeviceProfile } from './profile.ts';
import { type PolicyLike, resolvePolicy } from './resolve-policy.ts';

export interface RouteOptions {
  /** Global override: this method for every conv (acts as `always:<method>`); 'auto' = none. */
  override?: ConvMethod | 'auto';
  /** The same as `override` (the name convroute's options use). */
  method?: ConvMethod | 'auto';
  /** Where CONVROUTE_METHOD is read (default: process.env when there is one). */
  env?: Record<string, string | undefined>;
}

/** The routing function routerFor returns: core's RouteFn, with the router's richer decision. */
export type ConvRouter = (spec: Conv2dSpec, ctx: RouteContext) => RouteDecision;

/**
 * Builds core's routing callback (RouteFn) for a policy on a device. Overrides come first: the
 * option, then CONVROUTE_METHOD; each is recorded as the first reason. The decision is binding:
 * if the backend cannot run the chosen method, that is ConvrouteError('UNSUPPORTED_METHOD'),
 * never a silent fallback. The one exception is `always:<method>` (and global overrides, which act
 * like it): it falls back to the class's own kernel when the backend lacks the method, and says so.
 */
export function routerFor(policy: PolicyLike, profile: DeviceProfile, options: RouteOptions = {}): ConvRouter {
  const p = resolvePolicy(policy);
  const requested = options.override !== undefined && options.override !== 'auto' ? options.override : options.method;
  const override = globalOverride(requested, options.env);
  return (spec, ctx) => {
    const precision = ctx.precision ?? 'f32';
    const d = override ? globalOverrideDecision(override, spec, profile) : p.decide(spec, profile, ctx.available, precision);
    if (ctx.available.includes(d.method)) return d;
    // At an f16 precision a method without an f16 kernel gives way to direct (it computes every
    // forward conv), with the reason saying so (docs/decisions.md, "Routing at an f16 precision").
    if (precision !== 'f32' && !F16_CONV_METHODS.includes(d.method)) {
      const ok = ctx.available.includes('direct');
      const reasons = [
        ...d.reasons,
        {
          rule: 'precision.fallback',
          holds: ok,
          detail: `${d.method} has no ${precision} kernel; ${ok ? 'using' : 'nor can the backend run'} direct`,
          values: { nodeId: ctx.nodeId, method: d.method, precision, available: [...ctx.available] },
        },
      ];
      if (ok) return { ...d, method: 'direct', reasons };
    }
    const insists = override ? override.method : p.insists;
    if (insists !== undefined && d.method === insists) {
      const reasons = [...d.reasons];
      const fallback = classMethod(d.class, spec, reasons, profile);
      const ok = ctx.available.includes(fallback);
      reasons.push({
        rule: 'always.unavailable',
        holds: ok,
        detail: `the backend cannot run ${d.method} here; ${ok ? 'falling back to' : 'nor'} the ${d.class} kernel ${fallback}`,
        values: { nodeId: ctx.nodeId, method: d.method, available: [...ctx.available] },
      });
      if (ok) return { ...d, method: fallback, reasons };
    }
    throw new ConvrouteError(
      'UNSUPPORTED_METHOD',
      `${ctx.nodeId}.method`,
      d.method,
      `policy ${d.policy} chose ${d.method} for this ${d.class} conv, but the backend runs only [${ctx.available.join(', ')}]${precision === 'f32' ? '' : ` at precision ${precision}`}`,
    );
  };
}
