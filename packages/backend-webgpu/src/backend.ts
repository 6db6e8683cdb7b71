import {
  type Backend,
  ConvrouteError,
  checkOpInputs,
  checkPrecisionMethod,
  checkRunRequest,
  F16_CONV_METHODS,
  type Method,
  type OpSpec,
  opOutputShape,
  type Precision,
  type PreparedRun,
  parsePrecision,
  preparedRun,
  shapeSize,
  Tensor,
} from '@convroute/core';
import { type AcquiredDevice, type AcquireOptions, acquireDevice } from './device.ts';
import { WebGpuGraphRun } from './graph-run.ts';
import './ops/all-kernels.ts';
import { type ConvPlan, DEFAULT_IM2COL_BUDGET } from './ops/conv-plans.ts';
import { opKernel } from './ops/op-kernels.ts';
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
  /** Within one node-by-node graph run (or one prepared op), upload and prepack a weight tensor
   * used by several nodes once (default true). A device-resident graph run (openGraphRun) uploads
   * each graph value once whatever this says. Nothing is kept across runs (README, "Weights"). */
  cacheWeights?: boolean;
  /** 'f32' (default); 'f16-storage' or 'f16' (core's Precision): conv2d's direct, pointwise and
   * im2col-gemm only, on an adapter with `shader-f16` (else UNSUPPORTED_PRECISION); every other
   * method and op is UNSUPPORTED_METHOD at those precisions. Graphs then run node by node: the
   * backend has no openGraphRun (its buffers hold f32 values between nodes). */
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
  /** Backend.openGraphRun: values in pooled GPU buffers between nodes (graph-run.ts). Absent at
   * an f16 precision: graphs run node by node there, as on the CPU. */
  openGraphRun?(): WebGpuGraphRun;
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
  // Every op dispatches through the op-kernel table (ops/op-kernels.ts); no kernel, no method.
  // At an f16 precision only the conv methods with f16 kernels run; other ops have none.
  const methodsFor = (op: OpSpec): Method[] => {
    const all = opKernel(op.op)?.methods(op) ?? [];
    return half ? (op.op === 'conv2d' ? all.filter((m) => (F16_CONV_METHODS as readonly string[]).includes(m)) : []) : all;
  };
  const kernelContext = { tuning: options.tuning, im2colBudgetBytes: budget, ...(half ? { precision } : {}) };
  // Open graph runs, so dispose can free what a run abandoned mid-way still holds.
  const graphRuns = new Set<WebGpuGraphRun>();

  async function prepare(op: OpSpec, method: Method, inputs: readonly Tensor[], scope?: WeightScope): Promise<PreparedRun> {
    rt.check();
    // At an f16 precision a method without an f16 kernel is refused saying so, before the
    // generic list of what the backend runs.
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
    const kernel = opKernel(op.op)!;
    // An aliasing op's output is its input's data: nothing to dispatch, read the input back.
    const aliased = kernel.aliasesInput?.(op) === true;
    try {
      // f16 precisions: the input, weights and bias stored as binary16 (f16.ts).
      x = half ? rt.uploadHalf(inputs[0].data) : rt.upload(inputs[0].data);
      y = aliased ? undefined : rt.alloc(shapeSize(outputShape));
      // Inputs after the first are weights: uploaded (and repacked) once per scope.
      const rest = inputs.slice(1).map((t) => weights.get(t, 'raw', undefined, half));
      plan = aliased
        ? { dispatches: [], temps: [] }
        : await kernel.plan(op, method, {
            rt,
            ...kernelContext,
            inputs: [x, ...rest],
            packed: (i, layout, pack) => (i === 0 && !pack ? x! : weights.get(inputs[i], layout, pack, half)),
            output: y!,
          });
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
      read: async () => Tensor.fromData(await rt.read(ya ?? xa, shapeSize(outputShape)), outputShape),
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
    // f32 only: a graph run's buffers hold f32 values between nodes, the f16 kernels read binary16.
    ...(half
      ? {}
      : {
          openGraphRun() {
            rt.check();
            const run = new WebGpuGraphRun(rt, { checkRun, methodsFor, kernelContext, onClose: (r) => graphRuns.delete(r) });
            graphRuns.add(run);
            return run;
          },
        }),
    dispose() {
      for (const s of [...scopes]) s.close();
      for (const r of [...graphRuns]) r.close();
      rt.dispose(owns);
    },
  };
}
