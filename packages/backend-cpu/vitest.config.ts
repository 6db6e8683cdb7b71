import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { name: 'backend-cpu', include: ['test/**/*.test.ts'], testTimeout: 120_000 } });
