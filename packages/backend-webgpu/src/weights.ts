import type { Tensor } from '@convroute/core';
import type { GpuArray, GpuRuntime } from './runtime.ts';

/**
 * Uploaded (and prepacked) weights per Tensor object and layout, so a graph that runs the same
 * layer again uploads and packs once. Tensors are treated as immutable once used as weights.
 */
export class WeightCache {
  private readonly byTensor = new WeakMap<Tensor, Map<string, GpuArray>>();
  private readonly all = new Set<GpuArray>();

  constructor(
    private readonly rt: GpuRuntime,
    private readonly enabled: boolean,
  ) {}

  /** The tensor's data in `layout` (pack = identity for 'raw'); caller must `done` the result. */
  get(t: Tensor, layout: string, pack: (data: Float32Array) => Float32Array = (d) => d): GpuArray {
    if (!this.enabled) return this.rt.upload(pack(t.data));
    let m = this.byTensor.get(t);
    if (!m) this.byTensor.set(t, (m = new Map()));
    let a = m.get(layout);
    if (!a) {
      a = this.rt.upload(pack(t.data));
      m.set(layout, a);
      this.all.add(a);
    }
    return a;
  }

  /** Returns an uncached upload to the pool; cached ones stay. */
  done(a: GpuArray): void {
    if (!this.all.has(a)) this.rt.release(a);
  }

  clear(): void {
    for (const a of this.all) a.buffer.destroy();
    this.all.clear();
  }
}
