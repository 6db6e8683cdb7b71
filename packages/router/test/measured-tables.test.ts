import { CONV_METHODS, conv2dSpec } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { parseRuleTable, profileFromAdapter, routerFor } from '../src/index.ts';

// An adapter the project measured routes by its measured table: the H200's (measured-tables.ts).
const h200 = profileFromAdapter({ info: { vendor: 'nvidia', architecture: '', device: 'nvidia-h200', description: 'NVIDIA: 580.159.04' } });
const route = (s: ReturnType<typeof conv2dSpec>) => routerFor('calibrated', h200, { env: {} })(s, { nodeId: 'c', available: CONV_METHODS });

describe('measured tables', () => {
  it('the H200 (as Dawn reports it) gets its table; another NVIDIA adapter gets none', () => {
    expect(h200.calibration?.name).toBe('nvidia-h200');
    expect(() => parseRuleTable(h200.calibration)).not.toThrow();
    expect(profileFromAdapter({ info: { vendor: 'nvidia', architecture: 'ampere', device: 'nvidia-a100' } }).calibration).toBeUndefined();
  });

  it("routes ResNet-18's 3x3 stride-1 convs to winograd-2x3, the others by the fitted classes", () => {
    expect(route(conv2dSpec({ input: [1, 512, 7, 7], weight: [512, 512, 3, 3], padding: 1 })).method).toBe('winograd-2x3');
    expect(route(conv2dSpec({ input: [1, 64, 56, 56], weight: [64, 64, 3, 3], padding: 1 })).method).toBe('winograd-2x3');
    // Stride 2, the 7x7 stem, under 64 channels: not Winograd.
    expect(route(conv2dSpec({ input: [1, 256, 14, 14], weight: [512, 256, 3, 3], padding: 1, stride: 2 })).method).toBe('implicit-gemm');
    expect(route(conv2dSpec({ input: [1, 3, 224, 224], weight: [64, 3, 7, 7], padding: 3, stride: 2 })).method).toBe('implicit-gemm');
    expect(route(conv2dSpec({ input: [1, 32, 28, 28], weight: [32, 32, 3, 3], padding: 1 })).method).toBe('implicit-gemm');
    expect(route(conv2dSpec({ input: [1, 144, 56, 56], weight: [144, 1, 3, 3], padding: 1, groups: 144 })).method).toBe('depthwise');
  });
});
