import { defineConfig } from 'vitest/config';

// One vitest project per package (and the repo-level checks in test/).
export default defineConfig({
  test: {
    projects: ['packages/*', 'bench', 'apps/*', { test: { name: 'repo', include: ['test/**/*.test.ts'] } }],
  },
});
