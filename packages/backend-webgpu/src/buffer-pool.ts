/**
 * Reuses GPU buffers between runs: a conv graph allocates the same sizes again and again, and
 * creating and destroying buffers costs a driver round trip each time. Sizes are rounded up to
 * quarter powers of two so near sizes share a bucket with at most 25% waste.
 */
export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private pooledBytes = 0;
  private pooledBuffers = 0;
  /** Buffers created and not yet destroyed, pooled or in use (tests bound it). */
  liveBuffers = 0;
  liveBytes = 0;

  /** Buffers acquired and not yet released (in use, not pooled): back to its start after a run. */
  get inUse(): number {
    return this.liveBuffers - this.pooledBuffers;
  }

  constructor(
    private readonly device: GPUDevice,
    /** Bytes kept for reuse; beyond this, released buffers are destroyed. */
    private readonly maxPooledBytes = 256 * 2 ** 20,
  ) {}

  static bucket(bytes: number): number {
    const b = Math.max(256, bytes);
    const step = Math.max(256, 2 ** (Math.floor(Math.log2(b)) - 2));
    return Math.ceil(b / step) * step;
  }

  acquire(bytes: number, usage: GPUBufferUsageFlags, label = 'convroute'): GPUBuffer {
    const size = BufferPool.bucket(bytes);
    const list = this.free.get(`${usage}:${size}`);
    const buf = list?.pop();
    if (buf) {
      this.pooledBytes -= size;
      this.pooledBuffers--;
      return buf;
    }
    this.liveBuffers++;
    this.liveBytes += size;
    return this.device.createBuffer({ size, usage, label });
  }

  release(buf: GPUBuffer): void {
    if (this.pooledBytes + buf.size > this.maxPooledBytes) {
      this.destroy(buf);
      return;
    }
    const key = `${buf.usage}:${buf.size}`;
    let list = this.free.get(key);
    if (!list) this.free.set(key, (list = []));
    list.push(buf);
    this.pooledBytes += buf.size;
    this.pooledBuffers++;
  }

  private destroy(buf: GPUBuffer): void {
    this.liveBuffers--;
    this.liveBytes -= buf.size;
    buf.destroy();
  }

  clear(): void {
    for (const list of this.free.values()) for (const b of list) this.destroy(b);
    this.free.clear();
    this.pooledBytes = 0;
    this.pooledBuffers = 0;
  }
}
