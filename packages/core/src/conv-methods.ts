import type { Conv2dSpec } from './conv2d.ts';

/** The conv kernels convroute knows (DESIGN.md, "Router"). A backend runs a subset. */
export const CONV_METHODS = ['direct', 'pointwise', 'depthwise', 'transposed', 'im2col-gemm', 'implicit-gemm'] as const;
export type ConvMethod = (typeof CONV_METHODS)[number];

export function isConvMethod(s: unknown): s is ConvMethod {
  return typeof s === 'string' && (CONV_METHODS as readonly string[]).includes(s);
}

/**
 * Whether a method's algorithm can compute a spec at all, whatever the backend: the shared
 * definition the router and every backend agree on. Returns null when it can, else the reason.
 * - pointwise: a GEMM over [C_in, H*W]: 1x1 kernel, groups 1 (stride subsamples; padded output
 *   positions read only zeros, so they are the bias alone, as in ExecuTorch and PyTorch).
 * - depthwise: one filter per channel: groups == C_in == C_out.
 * - transposed: conv-transpose2d only; every other method is forward-only.
 */
export function convMethodRejection(method: ConvMethod, spec: Conv2dSpec): string | null {
  if (method === 'transposed') return spec.transposed ? null : 'transposed needs a transposed conv';
  if (spec.transposed) return `${method} computes forward convs only; this conv is transposed`;
  const [cOut, , kH, kW] = spec.weight;
  switch (method) {
    case 'pointwise':
      if (kH !== 1 || kW !== 1) return `pointwise needs a 1x1 kernel, got ${kH}x${kW}`;
      if (spec.groups !== 1) return `pointwise needs groups == 1, got ${spec.groups}`;
      return null;
    case 'depthwise':
      if (spec.groups !== spec.input[1] || cOut !== spec.input[1]) {
        return `depthwise needs groups == C_in == C_out, got groups ${spec.groups}, C_in ${spec.input[1]}, C_out ${cOut}`;
      }
      return null;
    default:
      return null;
  }
}

export function convMethodsFor(spec: Conv2dSpec): ConvMethod[] {
  return CONV_METHODS.filter((m) => convMethodRejection(m, spec) === null);
}
