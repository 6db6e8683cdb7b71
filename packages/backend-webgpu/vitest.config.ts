import { defineConfig } from 'vitest/config';

// One GPU test file at a time: each file holds a lavapipe device, and the machine has 2 cores.
export default defineConfig({
  test: {
    name: 'backend-webgpu',
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
