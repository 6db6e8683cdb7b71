import {
  type Backend,
  ConvrouteError,
  checkRunRequest,
  type DeviceValue,
  type GraphRun,
  type Method,
  type NodeEpilogue,
  type OpSpec,
  opOutputShape,
  shapeSize,
  Tensor,
} from '@convroute/core';
import { BufferPool } from './buffer-pool.ts';
import type { ConvPlan } from './ops/conv-plans.ts';
import { type KernelContext, opKernel } from './ops/op-kernels.ts';
import type { Dispatch, GpuArray, GpuRuntime } from './runtime.ts';

/** A value of one graph run: its buffer, the host data it was uploaded from (for kernels that
 * repack weights on the host) and those repacked layouts. */
class GpuValue implements DeviceValue {
  /** Repacked layouts, with the function that made each (a write repacks them in place). */
  readonly packed = new Map<string, { array: GpuArray; pack: (d: Float32Array) => Float32Array }>();
  freed = false;
  constructor(
    readonly run: WebGpuGraphRun,
    readonly shape: readonly number[],
    readonly array: GpuArray,
    public host?: Float32Array,
    /** The program step that computes it (-1: uploaded). */
    readonly step = -1,
    /** Values sharing `array` (an aliasing op's output and its input): recycled when all are freed. */
    readonly sharers: { count: number } = { count: 1 },
  ) {}
}

export interface GraphRunConfig {
  checkRun: Backend['checkRun'];
  methodsFor: Backend['methodsFor'];
  kernelContext: Pick<KernelContext, 'tuning' | 'im2colBudgetBytes'>;
  onClose: (run: WebGpuGraphRun) => void;
}

/**
 * Backend.openGraphRun on WebGPU: an allocator over the runtime's buffer pool plus a program of
 * node plans. A freed value's buffer goes to this run's own free list, serving later nodes of the
 * same run (safe because the program runs in order; a prepared graph replays the same order);
 * everything returns to the pool at `close`, so a run never hands a buffer to another run while
 * its program may still be replayed.
 */
export class WebGpuGraphRun implements GraphRun {
  private readonly program: ConvPlan[] = [];
  private executed = 0;
  /** Buffers of freed values and finished scratch, by bucket size. */
  private readonly spare = new Map<number, GPUBuffer[]>();
  /** Every buffer this run took from the pool: released once, at close. */
  private readonly owned = new Set<GPUBuffer>();
  private closed = false;

  constructor(
    private readonly rt: GpuRuntime,
    private readonly config: GraphRunConfig,
  ) {}

  upload(t: Tensor): DeviceValue {
    this.open('upload');
    // Fresh from the pool (never a spare): the write happens now, before any pending node runs.
    const a = this.rt.upload(t.data);
    this.owned.add(a.buffer);
    return new GpuValue(this, t.shape, a, t.data);
  }

  write(v: DeviceValue, t: Tensor): void {
    this.open('write');
    const g = this.own(v, 'write');
    if (t.shape.length !== g.shape.length || t.shape.some((d, i) => d !== g.shape[i])) {
      throw new ConvrouteError('SHAPE_MISMATCH', 'write', t.shape, `must have the value's shape [${g.shape.join(', ')}]`);
    }
    g.host = t.data;
    this.writeArray(g.array, g.host);
    // Kernels already bound the repacked buffers: repack into the same ones.
    for (const p of g.packed.values()) this.writeArray(p.array, p.pack(g.host));
  }

  canFuse(op: OpSpec, method: Method, epilogue: keyof NodeEpilogue): boolean {
    return (epilogue === 'residual' || epilogue === 'activation') && (opKernel(op.op)?.fusesResidual?.(op, method) ?? false);
  }

  async add(op: OpSpec, method: Method, inputs: readonly DeviceValue[], epilogue: NodeEpilogue = {}): Promise<DeviceValue> {
    this.open('add');
    const values = inputs.map((v, i) => this.own(v, `inputs[${i}]`));
    checkRunRequest({ name: 'webgpu', methodsFor: this.config.methodsFor, checkRun: this.config.checkRun }, op, method, values);
    const kernel = opKernel(op.op)!;
    const outShape = opOutputShape(op);
    const residual = epilogue.residual ? this.own(epilogue.residual, 'residual') : undefined;
    if (epilogue.activation && !residual)
      throw new ConvrouteError(
        'INVALID_ARGUMENT',
        'epilogue.activation',
        epilogue.activation,
        'an activation epilogue follows a residual add; give epilogue.residual',
      );
    if (residual) {
      if (!this.canFuse(op, method, 'residual'))
        throw new ConvrouteError('UNSUPPORTED_METHOD', 'epilogue.residual', method, `the webgpu ${op.op} kernel for ${method} takes no residual`);
      if (shapeSize(residual.shape) !== shapeSize(outShape) || residual.shape.some((d, i) => d !== outShape[i]))
        throw new ConvrouteError('SHAPE_MISMATCH', 'epilogue.residual', residual.shape, `must have the output's shape [${outShape.join(', ')}]`);
    }
    // A value computed by the graph that a kernel repacks on the host (weights computed by the
    // graph: rare) is read back once; a program not yet run (a prepared graph) cannot repack it.
    for (const i of kernel.packedInputs?.(op, method) ?? []) {
      const v = values[i];
      if (!v || v.host) continue;
      if (v.step >= this.executed)
        throw new ConvrouteError(
          'UNSUPPORTED_METHOD',
          `inputs[${i}]`,
          method,
          `${method} repacks this input on the host, but the graph computes it and this program has not run it (a prepared graph); use a method that reads it as is (im2col-gemm, implicit-gemm)`,
        );
      v.host = await this.rt.read(v.array, shapeSize(v.shape));
    }
    if (kernel.aliasesInput?.(op)) {
      // The output is input 0's data unchanged: the same buffer, no dispatch. No host copy: a
      // kernel that repacks it reads it back (or refuses, in a prepared graph) as for any node.
      const x = values[0];
      x.sharers.count++;
      this.program.push({ dispatches: [], temps: [] });
      return new GpuValue(this, outShape, x.array, undefined, this.program.length - 1, x.sharers);
    }
    const output = this.alloc(shapeSize(outShape));
    let plan: ConvPlan;
    try {
      plan = await kernel.plan(op, method, {
        rt: this.rt,
        ...this.config.kernelContext,
        inputs: values.map((v) => v.array),
        packed: (i, layout, pack) => this.packed(values[i], layout, pack),
        output,
        residual: residual?.array,
        residualActivation: epilogue.activation,
      });
    } catch (e) {
      this.recycle(output);
      throw e;
    }
    this.program.push(plan);
    for (const t of plan.temps) this.adopt(t);
    for (const t of plan.temps) this.recycle(t);
    return new GpuValue(this, outShape, output, undefined, this.program.length - 1);
  }

  async execute(which: 'pending' | 'all'): Promise<void> {
    this.open('execute');
    const from = which === 'all' ? 0 : this.executed;
    const dispatches: Dispatch[] = this.program.slice(from).flatMap((p) => p.dispatches);
    this.executed = this.program.length;
    await this.rt.execute(dispatches);
  }

  async warmUp(): Promise<void> {
    this.open('warmUp');
    await this.rt.warmUp(this.program.flatMap((p) => p.dispatches));
  }

  free(v: DeviceValue): void {
    this.open('free');
    const g = this.own(v, 'free');
    if (g.freed) return;
    g.freed = true;
    if (--g.sharers.count === 0) this.recycle(g.array);
    for (const p of g.packed.values()) this.recycle(p.array);
    g.packed.clear();
  }

  async read(v: DeviceValue): Promise<Tensor> {
    this.open('read');
    const g = this.own(v, 'read');
    return Tensor.fromData(await this.rt.read(g.array, shapeSize(g.shape)), [...g.shape]);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.program) for (const d of p.dispatches) this.rt.releaseDispatch(d);
    this.program.length = 0;
    for (const b of this.owned) this.rt.pool.release(b);
    this.owned.clear();
    this.spare.clear();
    this.config.onClose(this);
  }

  private packed(v: GpuValue, layout: string, pack?: (d: Float32Array) => Float32Array): GpuArray {
    if (!pack) return v.array;
    let p = v.packed.get(layout);
    if (!p) {
      if (!v.host) throw new Error(`internal: ${layout} needs the host data (list the input in packedInputs)`);
      const data = pack(v.host);
      // A fresh buffer (never a spare): written now, while nodes of the program may not have run.
      const array = this.rt.alloc(data.length);
      this.owned.add(array.buffer);
      p = { array, pack };
      this.writeArray(p.array, data);
      v.packed.set(layout, p);
    }
    return p.array;
  }

  private writeArray(a: GpuArray, d: Float32Array): void {
    this.rt.device.queue.writeBuffer(a.buffer, 0, d.buffer, d.byteOffset, d.byteLength);
  }

  /** `count` float32s: a spare buffer of the same bucket, else a new one from the pool. */
  private alloc(count: number): GpuArray {
    const size = Math.max(4, count * 4);
    const list = this.spare.get(BufferPool.bucket(size));
    const buffer = list?.pop();
    if (buffer) return { buffer, size };
    const a = this.rt.alloc(count);
    this.owned.add(a.buffer);
    return a;
  }

  private adopt(a: GpuArray): void {
    this.owned.add(a.buffer);
  }

  private recycle(a: GpuArray): void {
    let list = this.spare.get(a.buffer.size);
    if (!list) this.spare.set(a.buffer.size, (list = []));
    list.push(a.buffer);
  }

  private own(v: DeviceValue, field: string): GpuValue {
    if (!(v instanceof GpuValue) || v.run !== this) throw new ConvrouteError('INVALID_ARGUMENT', field, v, 'is not a value of this graph run');
    if (v.freed) throw new ConvrouteError('INVALID_ARGUMENT', field, v.shape, 'was freed; a freed value cannot be used again');
    return v;
  }

  private open(what: string): void {
    this.rt.check();
    if (this.closed) throw new ConvrouteError('CLOSED', 'graphRun', what, 'this WebGPU graph run was closed');
  }
}
