import {
  type Backend,
  CONV_METHOD_DESCRIPTORS,
  CONV_METHODS,
  type Conv2dSpec,
  type ConvMethodDescriptor,
  ConvrouteError,
  isConvrouteError,
  type Method,
  type OpName,
  type OpSpec,
  opOutputShape,
  type Precision,
  shapesEqual,
  type Tensor,
} from '@convroute/core';
import type { Conv2dSpecArbOptions } from './arbitraries/conv2d-spec.ts';
import type { GemmSpecArbOptions } from './arbitraries/im2col-gemm.ts';
import type { DataKind } from './arbitraries/tensor-data.ts';
import { describeSpec, specToCommandLine } from './command-line.ts';
import { type ComparisonReport, compareWithBound } from './compare.ts';
import { conv2dBounds } from './conv2d-bounds.ts';
import { ERROR_MODELS, type ErrorModel, REORDERING } from './error-model.ts';
import { f16ErrorModel, f16Operands } from './f16-error-model.ts';
import { writeNpyFiles } from './npy.ts';
import { referenceConv2d } from './reference.ts';

/** What the differential checks share: options, the context a run accumulates, running every
 * declared method of a backend against the reference. */
export interface CheckBackendOptions {
  seed?: number;
  /** Runs per property (default FC_NUM_RUNS or 25). */
  numRuns?: number;
  /** Size limits and class restrictions for conv specs. */
  specs?: Conv2dSpecArbOptions;
  gemm?: GemmSpecArbOptions;
  /** Which ops to test (default all the backend runs). */
  ops?: readonly OpName[];
  dataKinds?: readonly DataKind[];
  /** Require bitwise equality on every data kind (an exact backend), not only small integers. */
  bitwise?: boolean;
  /** Run the named edge cases (default true), or only those named. */
  edgeCases?: boolean | readonly string[];
  /** Descriptors of conv methods the backend declares beyond core's (an experimental kernel):
   * their preconditions and error model judge its cases, as core's descriptors do core's. */
  extraMethods?: readonly ConvMethodDescriptor[];
  /** The backend's precision (a WebGPU backend's `precision`): at f16-storage and f16 its conv
   * outputs are judged by the fp16 model (f16-error-model.ts); small integers stay bitwise with
   * f16-storage (exact in f16 and in float32 sums), not with f16 (sums past 2048 round). */
  precision?: Precision;
  /** Largest binary exponent magnitude of the float data's wide-range values (default 20, at an
   * f16 precision 4: f16's range ends at 65504, where the fp16 model reports overflow). */
  maxExponent?: number;
  /** Write a failing case's tensors here as .npy, so the printed command line runs as is. */
  failureDir?: string;
  log?: (line: string) => void;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  runs: number;
  message: string;
  /** The shrunk failing conv, when one failed. */
  spec?: Conv2dSpec;
  commandLine?: string;
}

export interface BackendReport {
  backend: string;
  description: string;
  seed: number;
  numRuns: number;
  ok: boolean;
  checks: CheckResult[];
  /** Cases run per op/method, e.g. "conv2d/direct". */
  coverage: Record<string, number>;
  /** Largest error / bound seen per op/method, failing cases included. */
  maxRatio: Record<string, number>;
  /** Failing cases per op/method (fast-check's shrinking retries included). */
  failures: Record<string, number>;
  summary: string;
}

/** Thrown inside a property when a method fails; carries what the report needs. */
export class ConformanceFailure extends Error {
  constructor(
    message: string,
    readonly method: Method,
    readonly comparison?: ComparisonReport,
  ) {
    super(message);
    this.name = 'ConformanceFailure';
  }
}

export interface CheckContext {
  backend: Backend;
  /** checkDescriptors(options): core's conv method descriptors and the options' extraMethods. */
  descriptors: readonly ConvMethodDescriptor[];
  seed: number;
  numRuns: number;
  options: CheckBackendOptions;
  coverage: Record<string, number>;
  maxRatio: Record<string, number>;
  /** Failing cases per op/method (shrinking retries included). */
  failures: Record<string, number>;
}

export interface BackendCheck {
  name: string;
  run(ctx: CheckContext): Promise<CheckResult>;
}

export interface Expected {
  y: Tensor;
  abs?: Tensor;
  /** terms per element (error model n) */
  n: number;
  bitwise: boolean;
  inputsFinite: boolean;
}

/** The conv method descriptors a check knows: core's, then the options' extraMethods (which may
 * not reuse a core name: that would judge core's method by another model). */
export function checkDescriptors(options: CheckBackendOptions): readonly ConvMethodDescriptor[] {
  for (const d of options.extraMethods ?? []) {
    if ((CONV_METHODS as readonly string[]).includes(d.name))
      throw new ConvrouteError('INVALID_ARGUMENT', 'extraMethods', d.name, 'names a method core already describes; extraMethods are for methods beyond core');
  }
  return [...CONV_METHOD_DESCRIPTORS, ...(options.extraMethods ?? [])];
}

/** The error model `method` is judged by: its descriptor's for a conv method (a method without a
 * descriptor fails the check), the reordering bound for the other ops' methods. */
function errorModelFor(ctx: CheckContext, op: OpSpec, method: Method, inputs: readonly Tensor[]): ErrorModel {
  if (op.op !== 'conv2d') return REORDERING;
  const d = ctx.descriptors.find((x) => x.name === method);
  if (!d)
    throw new ConformanceFailure(
      `${ctx.backend.name} declares conv method ${method}, which no method descriptor describes (core's, or options.extraMethods)`,
      method,
    );
  const why = d.rejection(op.spec);
  if (why !== null) throw new ConformanceFailure(`${ctx.backend.name} declares method ${method}, which cannot compute this conv: ${why}`, method);
  const p = ctx.options.precision ?? 'f32';
  if (p === 'f32') return ERROR_MODELS[d.errorModel];
  if (d.errorModel !== 'reordering')
    throw new ConformanceFailure(`${ctx.backend.name} declares ${method} at precision ${p}, whose error model ${d.errorModel} has no fp16 form`, method);
  return f16ErrorModel(p, f16Operands(inputs));
}

/** Float data's wide-range exponent for these options (see CheckBackendOptions.maxExponent). */
export function dataMaxExponent(options: CheckBackendOptions): number | undefined {
  return options.maxExponent ?? ((options.precision ?? 'f32') === 'f32' ? undefined : 4);
}

/** Runs every method the backend declares for `op` and compares each with the reference, under
 * the error model each method's descriptor declares. */
export async function checkMethods(ctx: CheckContext, op: OpSpec, inputs: readonly Tensor[], expected: Expected, checkRejections = false): Promise<void> {
  const { backend } = ctx;
  const methods = backend.methodsFor(op);
  for (const method of methods) {
    const model = errorModelFor(ctx, op, method, inputs);
    const label = `${backend.name} ${op.op} ${method}`;
    let out: Tensor;
    try {
      out = await backend.run(op, method, inputs);
    } catch (e) {
      throw new ConformanceFailure(`${label} threw for a method it declares: ${e instanceof Error ? e.message : String(e)}`, method);
    }
    const want = opOutputShape(op);
    if (!shapesEqual(out.shape, want)) throw new ConformanceFailure(`${label} returned shape [${out.shape.join(', ')}], expected [${want.join(', ')}]`, method);
    // A model whose bound needs the inputs (Winograd's) computes each element's; the exact
    // checks on small-integer data stay bitwise, except for Winograd's rounded constants and f16
    // sums (they round once a partial sum passes 2048): the bound judges those.
    const f16Sums = op.op === 'conv2d' && ctx.options.precision === 'f16';
    const bitwise = expected.bitwise && !f16Sums && !(model.inexactOnSmallIntegers && !ctx.options.bitwise);
    const bounds =
      op.op === 'conv2d' && expected.abs && !bitwise ? conv2dBounds(model, method, op.spec, inputs, expected.y, expected.abs, expected.n) : undefined;
    const c = compareWithBound(out, expected.y, expected.abs, expected.n, {
      bounds,
      shape: want,
      bitwise,
      inputsFinite: expected.inputsFinite,
      label,
      model,
    });
    const key = `${op.op}/${method}`;
    ctx.coverage[key] = (ctx.coverage[key] ?? 0) + 1;
    // A failing case counts too: its worst element is the largest error/bound of the run.
    ctx.maxRatio[key] = Math.max(ctx.maxRatio[key] ?? 0, c.ok ? c.maxRatio : (c.worst?.ratio ?? Infinity));
    if (!c.ok) ctx.failures[key] = (ctx.failures[key] ?? 0) + 1;
    if (!c.ok) throw new ConformanceFailure(c.message, method, c);
  }
  if (checkRejections && op.op === 'conv2d') {
    // A method the backend does not declare must be refused, never silently replaced (docs/architecture.md, "The Backend interface").
    for (const m of CONV_METHODS.filter((m) => !methods.includes(m))) {
      let refused = false;
      try {
        await backend.run(op, m, inputs);
      } catch (e) {
        refused = isConvrouteError(e, 'UNSUPPORTED_METHOD');
        if (!refused)
          throw new ConformanceFailure(`${backend.name} conv2d ${m} (undeclared) threw ${String(e)}, expected ConvrouteError UNSUPPORTED_METHOD`, m);
      }
      if (!refused) throw new ConformanceFailure(`${backend.name} ran conv2d ${m}, which methodsFor did not declare: it must throw UNSUPPORTED_METHOD`, m);
    }
  }
}

/** The CLI's own backends: a failure on any other backend reproduces the reference instead. */
const CLI_BACKENDS = ['cpu', 'webgpu'];

/** Describes a failing conv: spec and a command line that runs as printed. With `failureDir`,
 * writes the inputs, the exact reference (y_ref.npy) and the backend's output (y_got.npy) there:
 * the command reruns the backend when the CLI knows it, else it recomputes y_ref.npy. */
export async function describeConvFailure(ctx: CheckContext, spec: Conv2dSpec, inputs: readonly Tensor[], method: Method | undefined, tag: string) {
  const cli = CLI_BACKENDS.includes(ctx.backend.name);
  if (!ctx.options.failureDir) {
    const commandLine = specToCommandLine(spec, cli ? { method, backend: ctx.backend.name } : { backend: 'cpu', mode: 'exact' });
    return { text: `  spec: ${describeSpec(spec)}\n  reproduce: ${commandLine}\n`, spec, commandLine };
  }
  const dir = `${ctx.options.failureDir}/${tag.replace(/[^\w-]+/g, '-')}`;
  const tensors: Record<string, Tensor> = { x: inputs[0], w: inputs[1], ...(inputs[2] ? { b: inputs[2] } : {}) };
  tensors.y_ref = (await referenceConv2d(spec, inputs)).y;
  let got = '';
  if (method) {
    try {
      tensors.y_got = await ctx.backend.run({ op: 'conv2d', spec }, method, inputs);
      got = `, y_got.npy (${ctx.backend.name} ${method})`;
    } catch (e) {
      got = ` (no y_got.npy: ${ctx.backend.name} ${method} threw ${e instanceof Error ? e.message : String(e)})`;
    }
  }
  const p = writeNpyFiles(dir, tensors);
  const files = { input: p.x, weight: p.w, bias: p.b, output: cli ? `${dir}/y.npy` : p.y_ref };
  const commandLine = specToCommandLine(spec, cli ? { files, method, backend: ctx.backend.name } : { files, backend: 'cpu', mode: 'exact' });
  const why = cli ? '' : ` (the CLI cannot load backend ${ctx.backend.name}: this recomputes the exact reference)`;
  const saved = `  tensors: written to ${dir}: x.npy, w.npy${inputs[2] ? ', b.npy' : ''}, y_ref.npy (exact reference)${got}\n`;
  return { text: `  spec: ${describeSpec(spec)}\n  reproduce${why}: ${commandLine}\n${saved}`, spec, commandLine };
}
