import type { ConvClass } from './conv-class.ts';
import type { Conv2dSpec } from './conv2d.ts';
import { ConvrouteError } from './errors.ts';

/**
 * Which error bound conformance holds a method's output to. Core names the bound; conformance
 * (error-model.ts, ERROR_MODELS) computes it, since core cannot import conformance.
 */
export type ErrorModelName =
  | 'reordering' // the same n-term float32 sum as the reference in another order, FMA or not (docs/error-model.md, "The bound")
  | 'correctly-rounded' // the float32 nearest the exact result: bitwise equal to the reference
  | 'winograd'; // the transforms' roundings times the Winograd algorithm on absolute values (docs/winograd-bound.md)

/**
 * Everything convroute knows about one conv method; CONV_METHODS, the graph schema's method
 * enum, the CLI help, `always:<method>` policies, bench columns and conformance's generators
 * all derive from these, so a new method is one entry here (plus its kernels).
 */
export interface ConvMethodDescriptor {
  readonly name: string;
  /** The op it computes. */
  readonly op: 'conv2d';
  /** One line for help text. */
  readonly summary: string;
  /** The class it is the kernel of (ExecuTorch's classes; the general methods: SlidingWindow). */
  readonly class: ConvClass;
  /** The classes it computes every conv of (conformance generates its cases there); it may
   * compute a few convs of other classes too (pointwise: a 1-channel 1x1 conv is Depthwise). */
  readonly computes: readonly ConvClass[];
  /** Why the method cannot compute `spec`, or null when it can, whatever the backend. */
  readonly rejection: (spec: Conv2dSpec) => string | null;
  /** The bound its output is checked against (conformance maps the name to the bound). */
  readonly errorModel: ErrorModelName;
  /** When set, the method computes the convs of its classes with this kernel, stride and
   * dilation only (Winograd: 3x3, 1, 1); conformance's generator draws just those. */
  readonly geometry?: { readonly kernel: number; readonly stride: number; readonly dilation: number };
}

const FORWARD_CLASSES: readonly ConvClass[] = ['Depthwise', 'Pointwise', 'SlidingWindow'];
/** The classes a 3x3 conv can be (a 3x3 kernel is never Pointwise). */
const FORWARD_3X3_CLASSES: readonly ConvClass[] = ['Depthwise', 'SlidingWindow'];

/** Every method other than `transposed` computes forward convs only. */
function forwardOnly(name: string, spec: Conv2dSpec): string | null {
  return spec.transposed ? `${name} computes forward convs only; this conv is transposed` : null;
}

/** Winograd F(m, 3): a forward 3x3 conv with stride 1 and dilation 1, any groups (per group),
 * batch and padding. */
function winogradRejection(name: string, spec: Conv2dSpec): string | null {
  const forward = forwardOnly(name, spec);
  if (forward) return forward;
  const [, , kH, kW] = spec.weight;
  if (kH !== 3 || kW !== 3) return `${name} needs a 3x3 kernel, got ${kH}x${kW}`;
  if (spec.stride[0] !== 1 || spec.stride[1] !== 1) return `${name} needs stride 1, got ${spec.stride.join('x')}`;
  if (spec.dilation[0] !== 1 || spec.dilation[1] !== 1) return `${name} needs dilation 1, got ${spec.dilation.join('x')}`;
  return null;
}

const WINOGRAD_GEOMETRY = { kernel: 3, stride: 1, dilation: 1 } as const;

/** In the order methods are listed everywhere (methodsFor, help, `always:` names). */
export const CONV_METHOD_DESCRIPTORS = [
  {
    name: 'direct',
    op: 'conv2d',
    summary: 'the sliding window summed in place; any forward conv',
    class: 'SlidingWindow',
    computes: FORWARD_CLASSES,
    rejection: (spec) => forwardOnly('direct', spec),
    errorModel: 'reordering',
  },
  {
    name: 'pointwise',
    op: 'conv2d',
    // A GEMM over [C_in, H*W]; stride subsamples; padded output positions read only zeros, so
    // they are the bias alone, as in ExecuTorch and PyTorch.
    summary: '1x1 kernel, groups 1: a GEMM over [C_in, H*W]',
    class: 'Pointwise',
    computes: ['Pointwise'],
    rejection(spec) {
      const forward = forwardOnly('pointwise', spec);
      if (forward) return forward;
      const [, , kH, kW] = spec.weight;
      if (kH !== 1 || kW !== 1) return `pointwise needs a 1x1 kernel, got ${kH}x${kW}`;
      if (spec.groups !== 1) return `pointwise needs groups == 1, got ${spec.groups}`;
      return null;
    },
    errorModel: 'reordering',
  },
  {
    name: 'depthwise',
    op: 'conv2d',
    summary: 'one filter per channel: groups == C_in == C_out',
    class: 'Depthwise',
    computes: ['Depthwise'],
    rejection(spec) {
      const forward = forwardOnly('depthwise', spec);
      if (forward) return forward;
      const cIn = spec.input[1];
      const cOut = spec.weight[0];
      if (spec.groups !== cIn || cOut !== cIn) return `depthwise needs groups == C_in == C_out, got groups ${spec.groups}, C_in ${cIn}, C_out ${cOut}`;
      return null;
    },
    errorModel: 'reordering',
  },
  {
    name: 'transposed',
    op: 'conv2d',
    summary: 'conv-transpose2d (its only method)',
    class: 'Transposed',
    computes: ['Transposed'],
    rejection: (spec) => (spec.transposed ? null : 'transposed needs a transposed conv'),
    errorModel: 'reordering',
  },
  {
    name: 'im2col-gemm',
    op: 'conv2d',
    summary: 'the im2col matrix materialised (in row tiles when large), then a GEMM',
    class: 'SlidingWindow',
    computes: FORWARD_CLASSES,
    rejection: (spec) => forwardOnly('im2col-gemm', spec),
    errorModel: 'reordering',
  },
  {
    name: 'implicit-gemm',
    op: 'conv2d',
    summary: 'a GEMM that gathers im2col entries as it reads them (WebGPU only)',
    class: 'SlidingWindow',
    computes: FORWARD_CLASSES,
    rejection: (spec) => forwardOnly('implicit-gemm', spec),
    errorModel: 'reordering',
  },
  {
    name: 'winograd-2x3',
    op: 'conv2d',
    summary: 'Winograd F(2x2, 3x3): 3x3 stride 1 as transformed tiles, a GEMM over channels per tile point',
    class: 'SlidingWindow',
    computes: FORWARD_3X3_CLASSES,
    rejection: (spec) => winogradRejection('winograd-2x3', spec),
    errorModel: 'winograd',
    geometry: WINOGRAD_GEOMETRY,
  },
  {
    name: 'winograd-4x3',
    op: 'conv2d',
    summary: 'Winograd F(4x4, 3x3): as winograd-2x3 with 4x4 output tiles (fewer products, a wider bound)',
    class: 'SlidingWindow',
    computes: FORWARD_3X3_CLASSES,
    rejection: (spec) => winogradRejection('winograd-4x3', spec),
    errorModel: 'winograd',
    geometry: WINOGRAD_GEOMETRY,
  },
] as const satisfies readonly ConvMethodDescriptor[];

/** The conv kernels convroute knows (docs/architecture.md, "Ops, methods and the interpreter"). A backend runs a subset. */
export type ConvMethod = (typeof CONV_METHOD_DESCRIPTORS)[number]['name'];
export const CONV_METHODS: readonly ConvMethod[] = CONV_METHOD_DESCRIPTORS.map((d) => d.name);

export function isConvMethod(s: unknown): s is ConvMethod {
  return typeof s === 'string' && (CONV_METHODS as readonly string[]).includes(s);
}

export function convMethodDescriptor(method: ConvMethod): ConvMethodDescriptor {
  return CONV_METHOD_DESCRIPTORS.find((d) => d.name === method)!;
}

/**
 * Whether a method's algorithm can compute a spec at all, whatever the backend: the shared
 * definition the router and every backend agree on. Returns null when it can, else the reason.
 */
export function convMethodRejection(method: ConvMethod, spec: Conv2dSpec): string | null {
  return convMethodDescriptor(method).rejection(spec);
}

export function convMethodsFor(spec: Conv2dSpec): ConvMethod[] {
  return CONV_METHODS.filter((m) => convMethodRejection(m, spec) === null);
}

/** `method` as a conv method that can compute `spec`; else UNSUPPORTED_METHOD saying why (the
 * check every backend makes before running a conv). */
export function requireConvMethod(method: unknown, spec: Conv2dSpec): ConvMethod {
  if (!isConvMethod(method)) throw new ConvrouteError('UNSUPPORTED_METHOD', 'method', method, `conv2d runs with one of ${CONV_METHODS.join(', ')}`);
  const why = convMethodRejection(method, spec);
  if (why !== null) throw new ConvrouteError('UNSUPPORTED_METHOD', 'method', method, why);
  return method;
}

/** The end of a switch over every conv method: a method added to CONV_METHOD_DESCRIPTORS but not
 * to the switch fails type-checking here, instead of silently running another kernel. */
export function unhandledConvMethod(method: never): never {
  throw new ConvrouteError('UNSUPPORTED_METHOD', 'method', method, 'no kernel for this conv method');
}
