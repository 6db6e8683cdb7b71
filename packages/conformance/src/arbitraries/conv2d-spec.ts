import {
  type Activation,
  CONV_CLASSES,
  type Conv2dSpec,
  type Conv2dSpecInit,
  type ConvClass,
  type ConvMethod,
  conv2dSpec,
  convMethodDescriptor,
  convMethodRejection,
} from '@convroute/core';
import * as fc from 'fast-check';

/** Size limits and restrictions for generated conv specs. Every field shrinks toward its minimum
 * (1 for extents, 0 for padding), so a failure shrinks to the smallest conv that still fails. */
export interface Conv2dSpecArbOptions {
  maxBatch?: number;
  maxGroups?: number;
  maxChannelsPerGroup?: number;
  maxKernel?: number;
  /** Smallest kernel extent (default 1). */
  minKernel?: number;
  maxStride?: number;
  maxDilation?: number;
  maxPadding?: number;
  /** How far H and W may exceed the smallest extent that gives a non-empty output. */
  maxExtraSpatial?: number;
  /** Restrict to these classes (core's classifyConv); default all four. */
  classes?: readonly ConvClass[];
  /** Restrict to specs this method can compute: the classes its descriptor `computes`, and its
   * `geometry` (kernel, stride, dilation) when it has one. */
  method?: ConvMethod;
  /** Force bias on or off; default either. */
  bias?: boolean;
  /** Allow relu and clamp activations (default true). */
  activations?: boolean;
  /** Force one activation kind (clamp bounds still vary). */
  activation?: Activation['kind'];
  /** Lower bounds that push cases past sizes the defaults never reach (the kit's size strata):
   * faults that fire only for N >= 3, C_out > 16 or W_out > 16 need cases there. */
  minBatch?: number;
  minOutChannels?: number;
  minOutWidth?: number;
}

const DEFAULTS = {
  maxBatch: 2,
  maxGroups: 3,
  maxChannelsPerGroup: 4,
  maxKernel: 4,
  minKernel: 1,
  maxStride: 3,
  maxDilation: 3,
  maxPadding: 3,
  maxExtraSpatial: 5,
  minBatch: 1,
  minOutChannels: 1,
  minOutWidth: 1,
};
type Limits = typeof DEFAULTS;

export function activationArb(kind?: Activation['kind']): fc.Arbitrary<Activation> {
  // clamp bounds on a quarter grid so they are exact float32 and meet small-integer data.
  const clamp = fc
    .tuple(fc.integer({ min: -16, max: 16 }), fc.integer({ min: 0, max: 32 }))
    .map(([lo, width]): Activation => ({ kind: 'clamp', min: lo / 4, max: (lo + width) / 4 }));
  if (kind === 'clamp') return clamp;
  if (kind !== undefined) return fc.constant<Activation>({ kind });
  return fc.oneof(
    { arbitrary: fc.constant<Activation>({ kind: 'none' }), weight: 4 },
    { arbitrary: fc.constant<Activation>({ kind: 'relu' }), weight: 1 },
    { arbitrary: clamp, weight: 1 },
  );
}

interface Axis {
  extent: number;
  kernel: number;
  stride: number;
  dilation: number;
  pads: [number, number];
  outputPadding: number;
}

/** One spatial axis of a forward conv: the extent is chosen after padding so the output is
 * non-empty by construction (extent + pads >= dilation * (k - 1) + 1); `minOut - 1` strides
 * more give at least `minOut` outputs. */
function forwardAxisArb(l: Limits, kernel: fc.Arbitrary<number>, zeroPadding: boolean, minOut = 1): fc.Arbitrary<Axis> {
  const pad = zeroPadding ? fc.constant(0) : fc.integer({ min: 0, max: l.maxPadding });
  return fc
    .record({
      kernel,
      stride: fc.integer({ min: 1, max: l.maxStride }),
      dilation: fc.integer({ min: 1, max: l.maxDilation }),
      p0: pad,
      p1: pad,
      extra: fc.integer({ min: 0, max: l.maxExtraSpatial }),
    })
    .map(({ kernel, stride, dilation, p0, p1, extra }) => {
      const eff = dilation * (kernel - 1) + 1;
      const extent = Math.max(1, eff - p0 - p1) + extra + (minOut - 1) * stride;
      return { extent, kernel, stride, dilation, pads: [p0, p1], outputPadding: 0 };
    });
}

/** One axis of a conv-transpose: output padding below max(stride, dilation), then pads clamped to
 * what the full output (in - 1) * s + d * (k - 1) + op + 1 can lose while keeping `minOut`. */
function transposedAxisArb(l: Limits, minOut = 1): fc.Arbitrary<Axis> {
  return fc
    .record({
      kernel: fc.integer({ min: 1, max: l.maxKernel }),
      stride: fc.integer({ min: 1, max: l.maxStride }),
      dilation: fc.integer({ min: 1, max: l.maxDilation }),
      p0: fc.integer({ min: 0, max: l.maxPadding }),
      p1: fc.integer({ min: 0, max: l.maxPadding }),
      op: fc.integer({ min: 0, max: Math.max(l.maxStride, l.maxDilation) - 1 }),
      extent: fc.integer({ min: 1, max: 1 + l.maxExtraSpatial }),
    })
    .map(({ kernel, stride, dilation, p0, p1, op, extent: e }) => {
      const outputPadding = op % Math.max(stride, dilation);
      const extent = e + minOut - 1;
      const budget = (extent - 1) * stride + dilation * (kernel - 1) + outputPadding - (minOut - 1);
      const top = Math.min(p0, budget);
      return { extent, kernel, stride, dilation, pads: [top, Math.min(p1, budget - top)], outputPadding };
    });
}

function assemble(
  batch: number,
  cIn: number,
  weight: [number, number],
  h: Axis,
  w: Axis,
  groups: number,
  transposed: boolean,
  bias: boolean,
  activation: Activation,
): Conv2dSpecInit {
  return {
    input: [batch, cIn, h.extent, w.extent],
    weight: [weight[0], weight[1], h.kernel, w.kernel],
    bias,
    stride: [h.stride, w.stride],
    padding: [h.pads[0], w.pads[0], h.pads[1], w.pads[1]],
    dilation: [h.dilation, w.dilation],
    groups,
    transposed,
    outputPadding: [h.outputPadding, w.outputPadding],
    activation,
  };
}

function classInitArb(
  cls: ConvClass,
  l: Limits,
  zeroPadding: boolean,
  bias: fc.Arbitrary<boolean>,
  act: fc.Arbitrary<Activation>,
): fc.Arbitrary<Conv2dSpecInit> {
  const batch = fc.integer({ min: l.minBatch, max: Math.max(l.minBatch, l.maxBatch) });
  const kernel = fc.integer({ min: l.minKernel, max: Math.max(l.minKernel, l.maxKernel) });
  const perGroup = fc.integer({ min: 1, max: l.maxChannelsPerGroup });
  // Output channels per group (or in all, for depthwise and pointwise) at least minOutChannels.
  const outPerGroup = fc.integer({ min: l.minOutChannels, max: Math.max(l.minOutChannels, l.maxChannelsPerGroup) });
  const channels = fc.integer({ min: l.minOutChannels, max: Math.max(l.minOutChannels, l.maxGroups * l.maxChannelsPerGroup) });
  const groups = fc.integer({ min: 1, max: l.maxGroups });
  const hAxis = (k: fc.Arbitrary<number>) => forwardAxisArb(l, k, zeroPadding);
  const wAxis = (k: fc.Arbitrary<number>) => forwardAxisArb(l, k, zeroPadding, l.minOutWidth);
  switch (cls) {
    case 'Depthwise':
      return fc
        .record({
          batch,
          c: channels,
          h: hAxis(kernel),
          w: wAxis(kernel),
          bias,
          act,
        })
        .map((r) => assemble(r.batch, r.c, [r.c, 1], r.h, r.w, r.c, false, r.bias, r.act));
    case 'Pointwise': {
      const c = fc.integer({ min: 1, max: l.maxGroups * l.maxChannelsPerGroup });
      const one = fc.constant(1);
      return fc.record({ batch, cIn: c, cOut: channels, h: hAxis(one), w: wAxis(one), bias, act }).map((r) => {
        // One channel in and out with groups 1 is depthwise by classification order.
        const cOut = r.cIn === 1 && r.cOut === 1 ? 2 : r.cOut;
        return assemble(r.batch, r.cIn, [cOut, r.cIn], r.h, r.w, 1, false, r.bias, r.act);
      });
    }
    case 'SlidingWindow':
      return fc
        .record({
          batch,
          groups,
          cinPg: perGroup,
          coutPg: outPerGroup,
          h: hAxis(kernel),
          w: wAxis(kernel),
          bias,
          act,
        })
        .map((r) => {
          // Repair the two shapes that would fall into another class: one channel per group on
          // both sides is depthwise; a 1x1 kernel with groups 1 is pointwise (the wider kernel
          // gets a wider extent under a minimum output width, so the minimum still holds).
          const coutPg = r.cinPg === 1 && r.coutPg === 1 ? 2 : r.coutPg;
          const wider = l.minOutWidth > 1 ? r.w.dilation : 0;
          const w =
            r.groups === 1 && r.h.kernel === 1 && r.w.kernel === 1
              ? { ...r.w, kernel: 2, extent: Math.max(r.w.extent + wider, r.w.dilation + 1 - r.w.pads[0] - r.w.pads[1]) }
              : r.w;
          return assemble(r.batch, r.groups * r.cinPg, [r.groups * coutPg, r.cinPg], r.h, w, r.groups, false, r.bias, r.act);
        });
    case 'Transposed':
      return fc
        .record({ batch, groups, cinPg: perGroup, coutPg: outPerGroup, h: transposedAxisArb(l), w: transposedAxisArb(l, l.minOutWidth), bias, act })
        .map((r) => assemble(r.batch, r.groups * r.cinPg, [r.groups * r.cinPg, r.coutPg], r.h, r.w, r.groups, true, r.bias, r.act));
  }
}

/** Conv2dSpecInit values valid by construction (never filtered), for the requested classes. */
export function conv2dSpecInitArb(options: Conv2dSpecArbOptions = {}): fc.Arbitrary<Conv2dSpecInit> {
  const l: Limits = { ...DEFAULTS };
  for (const k of Object.keys(DEFAULTS) as (keyof Limits)[]) if (options[k] !== undefined) l[k] = options[k];
  const descriptor = options.method ? convMethodDescriptor(options.method) : undefined;
  const allowed = descriptor ? descriptor.computes : CONV_CLASSES;
  if (descriptor?.geometry) {
    const { kernel, stride, dilation } = descriptor.geometry;
    Object.assign(l, { minKernel: kernel, maxKernel: kernel, maxStride: stride, maxDilation: dilation });
  }
  const classes = allowed.filter((c) => !options.classes || options.classes.includes(c));
  if (classes.length === 0) throw new Error(`no conv class satisfies classes ${JSON.stringify(options.classes)} and method ${options.method}`);
  const bias = options.bias === undefined ? fc.boolean() : fc.constant(options.bias);
  if (options.activations === false && options.activation !== undefined && options.activation !== 'none')
    throw new Error(`activation ${options.activation} contradicts activations: false`);
  const act = options.activations === false ? fc.constant<Activation>({ kind: 'none' }) : activationArb(options.activation);
  const perClass = classes.map((c) => {
    const arb = classInitArb(c, l, false, bias, act);
    // Pointwise: half the cases with zero padding, so the 1x1 kernels' unpadded path (no gather
    // of the input view) is met often; random pads on all four sides would rarely all be 0.
    return c === 'Pointwise' ? fc.oneof(arb, classInitArb(c, l, true, bias, act)) : arb;
  });
  return perClass.length === 1 ? perClass[0] : fc.oneof(...perClass);
}

/** Validated specs (through core's `conv2dSpec`), restricted by the options. */
export function conv2dSpecArb(options: Conv2dSpecArbOptions = {}): fc.Arbitrary<Conv2dSpec> {
  const specs = conv2dSpecInitArb(options).map((init) => conv2dSpec(init));
  const method = options.method;
  // A guard, not a generator: construction above already meets the method's preconditions.
  return method ? specs.filter((s) => convMethodRejection(method, s) === null) : specs;
}
