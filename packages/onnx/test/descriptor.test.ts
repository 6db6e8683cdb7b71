import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DESCRIPTOR_PATH, descriptorModule } from './write-onnx-descriptor.ts';

describe('the vendored onnx.proto', () => {
  it('is what src/onnx-descriptor.ts was generated from (regenerate: npx tsx packages/onnx/test/write-onnx-descriptor.ts)', () => {
    expect(readFileSync(DESCRIPTOR_PATH, 'utf8')).toBe(descriptorModule());
  });
});
