import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './cli-helpers.ts';

describe('README', () => {
  it('shows examples/quickstart.ts verbatim, and it runs', () => {
    const example = readFileSync(resolve(repoRoot, 'examples/quickstart.ts'), 'utf8');
    expect(readFileSync(resolve(repoRoot, 'README.md'), 'utf8')).toContain(example.trim());
    const r = spawnSync(resolve(repoRoot, 'node_modules/.bin/tsx'), ['examples/quickstart.ts'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^\[ 1, 16, 32, 32 \]\ndirect cpu \(exact\)\n/);
  });

  it('names the two commands that .ci/run and a new user run', () => {
    const readme = readFileSync(resolve(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain('scripts/run.sh start');
    expect(readme).toContain('scripts/run.sh test');
    expect(readFileSync(resolve(repoRoot, '.ci/run'), 'utf8')).toContain('scripts/run.sh test');
  });
});
