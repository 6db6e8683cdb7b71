import {
  type Backend,
  type Conv2dSpec,
  ConvrouteError,
  checkOpInputs,
  checkPrecisionMethod,
  checkRunRequest,
  convMethodsFor,
  F16_CONV_METHODS,
  type GemmSpec,
  type Im2colSpec,
  im2colConvView,
  type Method,
  type OpSpec,
  opOutputShape,
  type Precision,
  type PreparedRun,
  parsePrecision,
  preparedRun,
  requireConvMethod,
  shapeSize,
  Tensor,
  unhandledConvMethod,
} from '@convroute/core';
import { type AcquiredDevice, type AcquireOptions, acquireDevice } from './device.ts';
import { convGeometry } from './kernels/conv-geometry.ts';
import {
  type ConvOperands,
  type ConvPlan,
  DEFAULT_IM2COL_BUDGET,
  depthwisePlan,
  directPlan,
  im2colDispatch,
  im2colGemmPlan,
  implicitGemmPlan,
  pointwisePlan,
  transposedPlan,
} from './ops/conv-plans.ts';
import { gemmDispatch, gemmTuningFor } from './ops/gemm-launch.ts';
import type { KernelTuning } from './ops/tuning.ts';
import { type GpuArray, GpuRuntime, type RuntimeOptions } from './runtime.ts';
import { WeightScope } from './weights.ts';

export interface WebGpuBackendOptions extends RuntimeOptions {
  /** A GPUDevice the caller owns (never destroyed here), or an AcquiredDevice from acquireDevice,
   * which the backend takes over and destroys on dispose unless `ownDevice` is false. Without
   * it, the backend acquires and owns a device. */
  device?: GPUDevice | AcquiredDevice;
  ownDevice?: boolean;
  /** Adapter info for the description when `device` is given. */
  adapterInfo?: { vendor: string; architecture: string; device: string };
  acquire?: AcquireOptions;
  /** Byte budget for im2col-gemm's scratch before it tiles by output rows (default 16 MiB). */
  im2colBudgetBytes?: number;
  /** Host bytes a node's output may take when read back (default 2 GiB): over it, TOO_LARGE
   * before any node of the graph runs. GPU buffers are bounded by the device's limits. */
  memoryBudget?: number;
  /** Code-generation overrides per kernel (tiles, workgroup sizes, GEMM variant). */
  tuning?: KernelTuning;
  /** Within one graph run (or one prepared op), upload and prepack a weight tensor used by several
   * nodes once (default true). Nothing is kept across runs (README, "Weights"). */
  cacheWeights?: boolean;
  /** 'f32' (default); 'f16-storage' or 'f16' (core's Precision): conv2d's direct, pointwise and
   * im2col-gemm only, on an adapter with `shader-f16` (else UNSUPPORTED_PRECISION); every other
   * method and op is UNSUPPORTED_METHOD at those precisions. */
  precision?: Precision;
}

export interface WebGpuBackend extends Backend {
  readonly runtime: GpuRuntime;
  /** The arithmetic its convs run in (WebGpuBackendOptions.precision). */
  readonly precision: Precision;
  readonly acquired?: AcquiredDevice;
  /** Backend.prepare: inputs uploaded and pipelines built once; `execute` dispatches and waits for
   * the queue ('queue' clock), with `timestamps` (and the feature) resolving to the GPU time in ms.
   * Weights come from `scope` (a graph run's) or a scope of its own that `release` closes. */
  prepare(op: OpSpec, method: Method, inputs: readonly Tensor[], scope?: WeightScope): Promise<PreparedRun>;
  openRunScope(): WebGpuRunScope;
  compileTimeMs(): number;
  dispose(): void;
}

/** A graph run's scope: `run` shares one WeightScope, `close` frees it. */
export interface WebGpuRunScope {
  readonly weights: WeightScope;
  run(op: OpSpec, method: Method, inputs: readonly Tensor[]): Promise<Tensor>;
  close(): void;
}

export async function createWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  const precision = parsePrecision('precision', options.precision);
  const given = options.device;
  const isAcquired = (d: unknown): d is AcquiredDevice => typeof d === 'object' && d !== null && 'adapter' in d && 'device' in d && 'info' in d;
  const acquired = given === undefined ? await acquireDevice(options.acquire) : isAcquired(given) ? given : undefined;
  const device = acquired ? acquired.device : (given as GPUDevice);
  if (precision !== 'f32' && !device.features.has('shader-f16')) {
    if (acquired && (given === undefined || options.ownDevice !== false)) acquired.device.destroy();
    throw new ConvrouteError('UNSUPPORTED_PRECISION', 'precision', precision, "this adapter lacks the 'shader-f16' feature; run with precision f32");
  }
  const half = precision !== 'f32';
  const owns = given === undefined || (acquired !== undefined && options.ownDevice !== false);
  const info = acquired?.info ?? options.adapterInfo ?? { vendor: '?', architecture: '?', device: '?' };
  const rt = new GpuRuntime(device, options);
  const reuse = options.cacheWeights ?? true;
  // Open scopes, so dispose can free what a run abandoned mid-way still holds.
  const scopes = new Set<WeightScope>();
  const newScope = () => {
    const s = new WeightScope(rt, reuse, (closed) => scopes.delete(closed));
    scopes.add(s);
    return s;
  };
  const budget = options.im2colBudgetBytes ?? DEFAULT_IM2COL_BUDGET;
  const sw = acquired?.softwareDriver ? `, software driver ${acquired.softwareDriver}` : '';
  const description = `webgpu (${[info.vendor, info.architecture, info.device].filter(Boolean).join(' / ')}${sw}${half ? `, precision ${precision}` : ''})`;

  const memoryBudget = options.memoryBudget ?? 2 ** 31;
  if (!Number.isSafeInteger(memoryBudget) || memoryBudget <= 0) {
    throw new ConvrouteError('INVALID_ARGUMENT', 'memoryBudget', options.memoryBudget, 'must be a positive integer number of bytes');
  }
  const checkRun = (op: OpSpec): void => {
    const bytes = 4 * shapeSize(opOutputShape(op));
    if (bytes > memoryBudget) {
      throw new ConvrouteError(
        'TOO_LARGE',
        `${op.op}.output`,
        opOutputShape(op),
        `the output needs ${bytes} bytes, over the memory budget of ${memoryBudget} bytes (option memoryBudget, CLI --memory-budget)`,
      );
    }
  };
  // At an f16 precision only the conv methods with f16 kernels run; other ops have none.
  const methodsFor = (op: OpSpec): Method[] =>
    op.op === 'conv2d' ? convMethodsFor(op.spec).filter((m) => !half || F16_CONV_METHODS.includes(m)) : half ? [] : [op.op];

  async function prepare(op: OpSpec, method: Method, inputs: readonly Tensor[], scope?: WeightScope): Promise<PreparedRun> {
    rt.check();
    checkOpInputs(op, inputs);
    checkPrecisionMethod(precision, op.op === 'conv2d' ? method : op.op);
    checkRunRequest({ name: 'webgpu', methodsFor, checkRun }, op, method, inputs);
    const outputShape = opOutputShape(op);
    const weights = scope ?? newScope();
    const own = () => {
      if (!scope) weights.close();
    };
    let y: GpuArray | undefined;
    let x: GpuArray | undefined;
    let plan: ConvPlan;
    try {
      y = rt.alloc(shapeSize(outputShape));
      x = half ? rt.uploadHalf(inputs[0].data) : rt.upload(inputs[0].data);
      const weight = (layout: string, pack?: (w: Float32Array) => Float32Array) => weights.get(inputs[1], layout, pack, half);
      const bias = inputs[2] ? weights.get(inputs[2], 'raw', undefined, half) : undefined;
      plan = await buildPlan(op, method, { x, weight, bias, y, tuning: options.tuning, ...(half ? { precision } : {}) });
    } catch (e) {
      rt.release(x);
      rt.release(y);
      own();
      throw e;
    }
    const [xa, ya] = [x, y];
    return preparedRun('webgpu', {
      outputShape,
      clock: 'queue',
      execute: (opts) => rt.execute(plan.dispatches, opts),
      read: async () => Tensor.fromData(await rt.read(ya, shapeSize(outputShape)), outputShape),
      release: () => {
        for (const d of plan.dispatches) rt.releaseDispatch(d);
        for (const t of plan.temps) rt.release(t);
        own();
        rt.release(xa);
        rt.release(ya);
      },
    });
  }

  async function runOnce(op: OpSpec, method: Method, inputs: readonly Tensor[], scope?: WeightScope): Promise<Tensor> {
    const p = await prepare(op, method, inputs, scope);
    try {
      await p.execute();
      return await p.read();
    } finally {
      p.release();
    }
  }

  function buildPlan(op: OpSpec, method: Method, o: ConvOperands): Promise<ConvPlan> {
    switch (op.op) {
      case 'conv2d':
        return convPlan(op.spec, method, o);
      case 'im2col':
        return im2colPlan(op.spec, o);
      case 'gemm':
        return gemmPlan(op.spec, o);
    }
  }

  function convPlan(spec: Conv2dSpec, method: Method, o: ConvOperands): Promise<ConvPlan> {
    const m = requireConvMethod(method, spec);
    switch (m) {
      case 'pointwise':
        return pointwisePlan(rt, spec, o);
      case 'implicit-gemm':
        return implicitGemmPlan(rt, spec, o);
      case 'im2col-gemm':
        return im2colGemmPlan(rt, spec, o, budget);
      case 'direct':
        return directPlan(rt, spec, o);
      case 'depthwise':
        return depthwisePlan(rt, spec, o);
      case 'transposed':
        return transposedPlan(rt, spec, o);
      default:
        return unhandledConvMethod(m);
    }
  }

  async function im2colPlan(spec: Im2colSpec, o: ConvOperands): Promise<ConvPlan> {
    const g = convGeometry(im2colConvView(spec));
    return { dispatches: [await im2colDispatch(rt, g, o.x, o.y, 0, g.hOut, 0, g.n * g.groups)], temps: [] };
  }

  async function gemmPlan(spec: GemmSpec, o: ConvOperands): Promise<ConvPlan> {
    const { m, n, k, batch } = spec;
    const batched = spec.a.length === 3;
    const vecB = !spec.transB && n % 4 === 0;
    const cfg = {
      ...gemmTuningFor(rt, { m, n, k, transA: spec.transA, vecB, source: 'buffer', batch }, options.tuning?.gemm),
      transA: spec.transA,
      transB: spec.transB,
      vecB,
      bias: spec.bias ? ('col' as const) : ('none' as const),
      activation: spec.activation,
      bSource: { kind: 'buffer' as const },
    };
    const d = await gemmDispatch(rt, cfg, {
      m,
      n,
      k,
      batch,
      aPeriod: batch,
      strideA: batched ? m * k : 0,
      strideB: batched ? k * n : 0,
      strideC: m * n,
      a: o.x,
      b: o.weight('raw'),
      c: o.y,
      bias: o.bias,
    });
    return { dispatches: [d], temps: [] };
  }

  return {
    name: 'webgpu',
    description,
    runtime: rt,
    precision,
    acquired,
    methodsFor,
    checkRun,
    prepare,
    compileTimeMs: () => rt.compileTimeMs(),
    run: (op, method, inputs) => runOnce(op, method, inputs),
    openRunScope() {
      const weights = newScope();
      return { weights, run: (op, method, inputs) => runOnce(op, method, inputs, weights), close: () => weights.close() };
    },
    dispose() {
      for (const s of [...scopes]) s.close();
      rt.dispose(owns);
    },
  };
}
