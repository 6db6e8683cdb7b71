import { ConvrouteError } from '@convroute/core';
import { type AdapterFamily, type AdapterInfoFields, adapterFamily } from './adapter-family.ts';
import { BufferPool } from './buffer-pool.ts';
import { toHalf } from './f16.ts';

/** A float32 array on the GPU: `size` bytes used of `buffer` (which may be larger, pooled). */
export interface GpuArray {
  buffer: GPUBuffer;
  size: number;
}

/** One kernel launch. Binding 0 is the uniform block, bindings 1.. are `buffers` in order. The
 * grid may be chunked along y and z (and x where `splitsX`): `params(yBase, zBase, xBase)` gives
 * the uniform words for a chunk. */
export interface Dispatch {
  pipeline: GPUComputePipeline;
  grid: [number, number, number];
  /** Estimated floating-point work of one workgroup, to keep submissions short. */
  flopsPerWorkgroup: number;
  buffers: GpuArray[];
  params: (yBase: number, zBase: number, xBase: number) => Uint32Array;
  /** The kernel offsets wid.x by its xBase uniform, so a grid wider than the device's
   * per-dimension limit may be split along x; without it such a grid is LIMIT_EXCEEDED. */
  splitsX?: boolean;
  /** Filled on first execution and reused by later ones. */
  chunks?: { bindGroup: GPUBindGroup; grid: [number, number, number]; flops: number; uniform: GPUBuffer }[];
}

/** The default work per submission on software adapters (see RuntimeOptions.maxFlopsPerSubmit). */
export const SOFTWARE_MAX_FLOPS_PER_SUBMIT = 2 ** 27;

export interface RuntimeOptions {
  /** Work per queue submission. dawn.node aborted intermittently when one submission kept a
   * software adapter busy for ~0.5 s (docs/webgpu-on-linux.md); 2^27 flops is ~15-50 ms on lavapipe 1
   * thread. Default: 2^27 on software adapters, unlimited on hardware ones, where every wait costs
   * latency (an H200 ran GEMM 4096^3 3x slower chunked: issue 15). */
  maxFlopsPerSubmit?: number;
  /** A wait on the GPU longer than this is reported as a DEVICE error, never a hang. */
  waitTimeoutMs?: number;
  /** Fill every output with NaN before a kernel writes it, so unwritten elements show (tests). */
  poisonOutputs?: boolean;
  /** Workgroups per grid dimension in one dispatch: at most the device's
   * maxComputeWorkgroupsPerDimension (the default). Lower, it forces the x/y/z splits that only
   * huge grids need, so tests run them at small sizes. */
  maxWorkgroupsPerDimension?: number;
}

const STORAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** Device-level services every kernel shares: pipeline cache, buffer pool, error surfacing,
 * chunked submission and read-back. */
export class GpuRuntime {
  readonly limits: GPUSupportedLimits;
  /** The subgroup size when the device has `subgroups` and the adapter reports a single size
   * (lavapipe: 8, its SIMD width), else null. */
  readonly subgroupSize: number | null;
  /** Which kernel defaults and submission size the adapter gets (adapter-family.ts). */
  readonly family: AdapterFamily;
  readonly pool: BufferPool;
  readonly options: Required<RuntimeOptions>;
  /** Workgroups per grid dimension one dispatch may have (RuntimeOptions.maxWorkgroupsPerDimension). */
  readonly maxWorkgroupsPerDimension: number;
  private readonly pipelines = new Map<string, Promise<GPUComputePipeline>>();
  private fatal: ConvrouteError | null = null;
  // Compile time: the union of the intervals in which a compilation is pending, so pipelines
  // built concurrently count once.
  private compiling = 0;
  private compileSince = 0;
  private compiledMs = 0;
  private readonly warmed = new WeakSet<GPUComputePipeline>();
  private readonly lost: Promise<never>;
  private disposed = false;
  /** Read-backs (device-to-host copies) so far: tests check that a graph reads back only its outputs. */
  readBacks = 0;

  constructor(
    readonly device: GPUDevice,
    options: RuntimeOptions = {},
  ) {
    this.limits = device.limits;
    const info = (device as { adapterInfo?: AdapterInfoFields & { subgroupMinSize?: number; subgroupMaxSize?: number } }).adapterInfo;
    const sg = info?.subgroupMinSize;
    this.subgroupSize = device.features.has('subgroups') && sg !== undefined && sg === info?.subgroupMaxSize && sg >= 4 && sg <= 64 ? sg : null;
    this.family = adapterFamily(info);
    this.pool = new BufferPool(device);
    const perSubmit = this.family === 'software' ? SOFTWARE_MAX_FLOPS_PER_SUBMIT : Number.POSITIVE_INFINITY;
    const maxDim = this.limits.maxComputeWorkgroupsPerDimension;
    const wantDim = options.maxWorkgroupsPerDimension ?? maxDim;
    if (!Number.isSafeInteger(wantDim) || wantDim < 1 || wantDim > maxDim) {
      throw new ConvrouteError(
        'INVALID_ARGUMENT',
        'maxWorkgroupsPerDimension',
        options.maxWorkgroupsPerDimension,
        `must be an integer from 1 to the device's ${maxDim}`,
      );
    }
    this.options = { maxFlopsPerSubmit: perSubmit, waitTimeoutMs: 120_000, poisonOutputs: false, ...options, maxWorkgroupsPerDimension: wantDim };
    this.maxWorkgroupsPerDimension = wantDim;
    device.addEventListener('uncapturederror', (ev) => {
      const msg = (ev as GPUUncapturedErrorEvent).error?.message ?? String(ev);
      this.fatal ??= new ConvrouteError('DEVICE', 'uncapturederror', msg, 'the GPU reported an error no scope captured');
    });
    this.lost = device.lost.then((info) => {
      const err = new ConvrouteError('DEVICE', 'device.lost', info.reason, `the GPU device was lost: ${info.message}`);
      if (!this.disposed) this.fatal ??= err;
      throw err;
    });
    this.lost.catch(() => {});
  }

  /** The cache keys of the pipelines built so far (which kernel variants ran). */
  pipelineKeys(): string[] {
    return [...this.pipelines.keys()];
  }

  get pipelineCount(): number {
    return this.pipelines.size;
  }

  /** Milliseconds spent compiling shader modules and pipelines since this runtime was made. */
  compileTimeMs(): number {
    return this.compiledMs + (this.compiling > 0 ? performance.now() - this.compileSince : 0);
  }

  /** Compiles (once per key) a compute pipeline. `key` must capture every input of `code`. */
  pipeline(key: string, code: () => string): Promise<GPUComputePipeline> {
    let p = this.pipelines.get(key);
    if (!p) {
      const src = code();
      if (this.compiling++ === 0) this.compileSince = performance.now();
      p = this.compile(key, src).finally(() => {
        if (--this.compiling === 0) this.compiledMs += performance.now() - this.compileSince;
      });
      this.pipelines.set(key, p);
      p.catch(() => this.pipelines.delete(key));
    }
    return p;
  }

  private async compile(key: string, code: string): Promise<GPUComputePipeline> {
    this.check();
    const d = this.device;
    d.pushErrorScope('validation');
    const module = d.createShaderModule({ code, label: key });
    let pipeline: GPUComputePipeline | undefined;
    let failure: unknown;
    try {
      pipeline = await d.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: key });
    } catch (e) {
      failure = e;
    }
    const err = await d.popErrorScope();
    if (err || failure || !pipeline) {
      const info = await module.getCompilationInfo().catch(() => null);
      const msgs = info?.messages.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ');
      throw new ConvrouteError('DEVICE', 'pipeline', key, `WGSL pipeline creation failed: ${err?.message ?? String(failure)} ${msgs ?? ''}`);
    }
    return pipeline;
  }

  /** A storage array of `count` float32s (pooled). */
  alloc(count: number, poison = false): GpuArray {
    const size = Math.max(4, count * 4);
    this.checkBinding('buffer', size);
    const buffer = this.pool.acquire(size, STORAGE());
    if (poison || this.options.poisonOutputs) this.fill(buffer, size, Number.NaN);
    return { buffer, size };
  }

  upload(data: Float32Array): GpuArray {
    const a = this.alloc(data.length);
    this.device.queue.writeBuffer(a.buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return a;
  }

  /** A storage array of `count` binary16 values (pooled; whole words). */
  allocHalf(count: number): GpuArray {
    return this.alloc(Math.ceil(count / 2));
  }

  /** The data rounded to binary16 (f16.ts), for the f16 precisions' operands. */
  uploadHalf(data: Float32Array): GpuArray {
    const h = toHalf(data);
    const a = this.alloc(h.length / 2);
    this.device.queue.writeBuffer(a.buffer, 0, h.buffer, h.byteOffset, h.byteLength);
    return a;
  }

  release(a: GpuArray | undefined): void {
    if (a) this.pool.release(a.buffer);
  }

  private fill(buffer: GPUBuffer, size: number, v: number): void {
    const chunk = new Float32Array(Math.min(size / 4, 1 << 20)).fill(v);
    for (let off = 0; off < size; off += chunk.byteLength) {
      const n = Math.min(chunk.byteLength, size - off);
      this.device.queue.writeBuffer(buffer, off, chunk.buffer, 0, n);
    }
  }

  checkBinding(what: string, bytes: number): void {
    const max = Math.min(this.limits.maxStorageBufferBindingSize, this.limits.maxBufferSize);
    if (bytes > max) {
      throw new ConvrouteError('LIMIT_EXCEEDED', what, bytes, `a storage binding may hold at most ${max} bytes on this device`);
    }
  }

  /** Runs dispatches in order, in submissions of at most maxFlopsPerSubmit each, waiting for
   * each to finish; validation errors surface as ConvrouteError('DEVICE'). With `timestamps` and
   * the `timestamp-query` feature, returns the GPU time of the compute passes in ms (else null). */
  async execute(dispatches: readonly Dispatch[], opts: { timestamps?: boolean } = {}): Promise<number | null> {
    this.check();
    await this.warmUp(dispatches);
    const d = this.device;
    const timing = opts.timestamps === true && d.features.has('timestamp-query');
    let encoder: GPUCommandEncoder | null = null;
    let pass: GPUComputePassEncoder | null = null;
    let work = 0;
    let gpuNs = 0n;
    let querySet: GPUQuerySet | undefined;
    let resolve: GPUBuffer | undefined;
    let readback: GPUBuffer | undefined;
    if (timing) {
      querySet = d.createQuerySet({ type: 'timestamp', count: 2 });
      resolve = d.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
      readback = d.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    }
    const flush = async () => {
      if (!encoder || !pass) return;
      pass.end();
      if (timing) {
        encoder.resolveQuerySet(querySet!, 0, 2, resolve!, 0);
        encoder.copyBufferToBuffer(resolve!, 0, readback!, 0, 16);
      }
      d.pushErrorScope('validation');
      d.queue.submit([encoder.finish()]);
      // Wait for the scope and the queue together: one round trip through Dawn's events, not two.
      const [err] = await this.wait(Promise.all([d.popErrorScope(), d.queue.onSubmittedWorkDone()]), 'onSubmittedWorkDone');
      encoder = pass = null;
      work = 0;
      if (err) throw new ConvrouteError('DEVICE', 'dispatch', err.message, 'the GPU rejected a dispatch');
      if (timing) {
        await this.wait(readback!.mapAsync(GPUMapMode.READ), 'mapAsync');
        const t = new BigUint64Array(readback!.getMappedRange().slice(0));
        readback!.unmap();
        if (t[1] > t[0]) gpuNs += t[1] - t[0];
      }
    };
    try {
      for (const disp of dispatches) {
        disp.chunks ??= this.chunk(disp);
        for (const c of disp.chunks) {
          if (work > 0 && work + c.flops > this.options.maxFlopsPerSubmit) await flush();
          if (!encoder) {
            encoder = d.createCommandEncoder();
            pass = encoder.beginComputePass(timing ? { timestampWrites: { querySet: querySet!, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } } : {});
          }
          pass!.setPipeline(disp.pipeline);
          pass!.setBindGroup(0, c.bindGroup);
          pass!.dispatchWorkgroups(c.grid[0], c.grid[1], c.grid[2]);
          work += c.flops;
        }
      }
      await flush();
    } finally {
      querySet?.destroy();
      resolve?.destroy();
      readback?.destroy();
    }
    return timing ? Number(gpuNs) / 1e6 : null;
  }

  /**
   * Runs each pipeline's first launch on one workgroup into scratch buffers, timed as compile
   * time: drivers may compile a shader at its first dispatch rather than at pipeline creation
   * (lavapipe JITs it then: seconds on a loaded machine), which would otherwise count as the
   * kernel's run time. The scratch bindings keep the real outputs untouched (WGSL clamps the
   * out-of-range accesses); the uniforms are the real ones, so the same shader variant is built.
   */
  async warmUp(dispatches: readonly Dispatch[]): Promise<void> {
    const cold = [...new Map(dispatches.filter((x) => !this.warmed.has(x.pipeline)).map((x) => [x.pipeline, x])).values()];
    if (cold.length === 0) return;
    const d = this.device;
    const scratch: GPUBuffer[] = [];
    if (this.compiling++ === 0) this.compileSince = performance.now();
    try {
      const encoder = d.createCommandEncoder();
      const pass = encoder.beginComputePass();
      for (const disp of cold) {
        disp.chunks ??= this.chunk(disp);
        const uniform = disp.chunks[0].uniform;
        const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: uniform } }];
        disp.buffers.forEach((b, i) => {
          const buf = this.pool.acquire(Math.min(b.size, 4096), STORAGE());
          scratch.push(buf);
          entries.push({ binding: i + 1, resource: { buffer: buf } });
        });
        pass.setPipeline(disp.pipeline);
        pass.setBindGroup(0, d.createBindGroup({ layout: disp.pipeline.getBindGroupLayout(0), entries }));
        pass.dispatchWorkgroups(1, 1, 1);
      }
      pass.end();
      d.pushErrorScope('validation');
      d.queue.submit([encoder.finish()]);
      const [err] = await this.wait(Promise.all([d.popErrorScope(), d.queue.onSubmittedWorkDone()]), 'onSubmittedWorkDone');
      if (err) throw new ConvrouteError('DEVICE', 'warm-up', err.message, 'the GPU rejected a pipeline warm-up dispatch');
      for (const disp of cold) this.warmed.add(disp.pipeline);
    } finally {
      for (const b of scratch) this.pool.release(b);
      if (--this.compiling === 0) this.compiledMs += performance.now() - this.compileSince;
    }
  }

  /** Frees the uniform buffers a dispatch's chunks hold. */
  releaseDispatch(disp: Dispatch): void {
    for (const c of disp.chunks ?? []) this.pool.release(c.uniform);
    disp.chunks = undefined;
  }

  private chunk(disp: Dispatch): NonNullable<Dispatch['chunks']> {
    const [gx, gy, gz] = disp.grid;
    const maxDim = this.maxWorkgroupsPerDimension;
    if (gx > maxDim && !disp.splitsX) {
      throw new ConvrouteError('LIMIT_EXCEEDED', 'workgroups.x', gx, `at most ${maxDim} workgroups per dimension; this kernel cannot split x`);
    }
    const budget = Math.max(1, Math.floor(this.options.maxFlopsPerSubmit / Math.max(1, disp.flopsPerWorkgroup)));
    const out: NonNullable<Dispatch['chunks']> = [];
    const add = (xBase: number, nx: number, yBase: number, ny: number, zBase: number, nz: number) => {
      const words = disp.params(yBase, zBase, xBase);
      const uniform = this.pool.acquire(words.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
      this.device.queue.writeBuffer(uniform, 0, words.buffer, words.byteOffset, words.byteLength);
      const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: uniform, size: words.byteLength } }];
      disp.buffers.forEach((b, i) => {
        entries.push({ binding: i + 1, resource: { buffer: b.buffer, offset: 0, size: b.size } });
      });
      const bindGroup = this.device.createBindGroup({ layout: disp.pipeline.getBindGroupLayout(0), entries });
      out.push({ bindGroup, grid: [nx, ny, nz], flops: nx * ny * nz * disp.flopsPerWorkgroup, uniform });
    };
    // x chunks of at most maxDim columns (one unless splitsX), each chunked along y and z.
    for (let x = 0; x < gx; x += maxDim) {
      const nx = Math.min(maxDim, gx - x);
      if (nx * gy <= budget) {
        const zStep = Math.min(maxDim, Math.max(1, Math.floor(budget / (nx * gy))));
        for (let z = 0; z < gz; z += zStep) {
          if (gy > maxDim) {
            for (let y = 0; y < gy; y += maxDim) add(x, nx, y, Math.min(maxDim, gy - y), z, Math.min(zStep, gz - z));
          } else add(x, nx, 0, gy, z, Math.min(zStep, gz - z));
        }
      } else {
        const yStep = Math.min(maxDim, Math.max(1, Math.floor(budget / nx)));
        for (let z = 0; z < gz; z++) for (let y = 0; y < gy; y += yStep) add(x, nx, y, Math.min(yStep, gy - y), z, 1);
      }
    }
    return out;
  }

  async read(a: GpuArray, count: number): Promise<Float32Array> {
    this.check();
    this.readBacks++;
    const bytes = count * 4;
    const staging = this.pool.acquire(bytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    const enc = this.device.createCommandEncoder();
    enc.copyBufferToBuffer(a.buffer, 0, staging, 0, bytes);
    this.device.queue.submit([enc.finish()]);
    await this.wait(staging.mapAsync(GPUMapMode.READ, 0, bytes), 'mapAsync');
    const out = new Float32Array(staging.getMappedRange(0, bytes).slice(0));
    staging.unmap();
    this.pool.release(staging);
    return out;
  }

  /** Waits for a GPU promise, but never longer than the timeout and never past a device loss. */
  async wait<T>(p: Promise<T>, what: string): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ConvrouteError('DEVICE', what, this.options.waitTimeoutMs, 'the GPU did not answer within the timeout (ms)')),
        this.options.waitTimeoutMs,
      );
    });
    try {
      return await Promise.race([p, this.lost, timeout]);
    } finally {
      clearTimeout(timer);
      this.check();
    }
  }

  /** Throws the first uncaptured error or device loss seen so far. */
  check(): void {
    if (this.fatal) throw this.fatal;
    if (this.disposed) throw new ConvrouteError('DEVICE', 'backend', 'disposed', 'this WebGPU backend was disposed');
  }

  dispose(destroyDevice: boolean): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pool.clear();
    this.pipelines.clear();
    if (destroyDevice) this.device.destroy();
  }
}
