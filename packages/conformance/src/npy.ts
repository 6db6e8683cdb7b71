import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Tensor, writeNpy } from '@convroute/core';

/** Writes tensors as <dir>/<name>.npy (core's encoder); returns the paths. */
export function writeNpyFiles(dir: string, tensors: Record<string, Tensor>): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const paths: Record<string, string> = {};
  for (const [name, t] of Object.entries(tensors)) {
    paths[name] = join(dir, `${name}.npy`);
    writeFileSync(paths[name], writeNpy(t));
  }
  return paths;
}
