import { describe, expect, it } from 'vitest';
import { adapterFamily } from '../src/index.ts';

// Which adapters get short submissions and lavapipe's kernels (software) or the tiled GEMM (nvidia).
describe('adapterFamily', () => {
  it('tells software drivers, NVIDIA and other GPUs apart', () => {
    // lavapipe through dawn.node 0.6.2 (docs/decisions.md), and the H200 (bench/results/h200-*).
    expect(adapterFamily({ vendor: 'mesa', architecture: 'software', device: 'llvmpipe-llvm-15-0-6-256-bits-', isFallbackAdapter: true })).toBe('software');
    expect(adapterFamily({ vendor: 'mesa', architecture: 'software', device: 'llvmpipe' })).toBe('software');
    expect(adapterFamily({ vendor: 'google', architecture: 'swiftshader', device: 'swiftshader device' })).toBe('software');
    expect(adapterFamily({ vendor: 'nvidia', architecture: '', device: 'nvidia-h200' })).toBe('nvidia');
    expect(adapterFamily({ vendor: 'arm', architecture: 'valhall', device: '' })).toBe('gpu');
    expect(adapterFamily(undefined)).toBe('software');
  });
});
