import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { name: 'backend-webgpu', include: ['test/**/*.test.ts'], testTimeout: 120_000 } });
