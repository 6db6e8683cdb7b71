import { ConvrouteError, type Tensor } from '@convroute/core';
import type { GpuArray, GpuRuntime } from './runtime.ts';

/**
 * Uploaded (and prepacked) weights for the span of one scope: a graph run, or one prepared op.
 * Within a scope a Tensor used twice (the same layer applied again) is uploaded and packed once;
 * at `close` every upload goes back to the pool. Nothing outlives its scope, so a caller who
 * mutates a tensor between calls always gets the answer for the new data (a cache keyed on the
 * object across calls returned stale results: issue 12), and GPU memory stays bounded.
 */
export class WeightScope {
  private readonly byTensor = new Map<Tensor, Map<string, GpuArray>>();
  private closed = false;

  constructor(
    private readonly rt: GpuRuntime,
    /** false: upload every use, even twice in one scope (tests of the upload path). */
    private readonly reuse: boolean,
    private readonly onClose: (s: WeightScope) => void = () => {},
  ) {}

  /** The tensor's data in `layout` (pack = identity for 'raw'), valid until the scope closes. */
  /** `half`: stored as binary16 (the f16 precisions), a layout of its own. */
  get(t: Tensor, layout: string, pack: (data: Float32Array) => Float32Array = (d) => d, half = false): GpuArray {
    if (this.closed) throw new ConvrouteError('DEVICE', 'weights', 'closed', 'this weight scope was closed (its graph run ended)');
    let m = this.byTensor.get(t);
    if (!m) this.byTensor.set(t, (m = new Map()));
    const key = `${half ? 'f16:' : ''}${this.reuse ? layout : `${layout}#${m.size}`}`;
    let a = m.get(key);
    if (!a) {
      a = half ? this.rt.uploadHalf(pack(t.data)) : this.rt.upload(pack(t.data));
      m.set(key, a);
    }
    return a;
  }

  /** Buffers this scope holds (tests check that they are bounded). */
  get size(): number {
    let n = 0;
    for (const m of this.byTensor.values()) n += m.size;
    return n;
  }

  /** Returns every upload to the pool. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const m of this.byTensor.values()) for (const a of m.values()) this.rt.release(a);
    this.byTensor.clear();
    this.onClose(this);
  }
}
