import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const PACKAGES = ['core', 'backend-cpu', 'backend-webgpu', 'router', 'convroute', 'cli'];

function versionAt(dir: string): string | undefined {
  const f = join(dir, 'package.json');
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as { version?: string }).version : undefined;
}

/** The package directory that contains a resolved file (the nearest package.json naming `name`). */
function packageDir(file: string, name: string): string | undefined {
  let d = dirname(file);
  while (d !== dirname(d)) {
    const f = join(d, 'package.json');
    if (existsSync(f) && (JSON.parse(readFileSync(f, 'utf8')) as { name?: string }).name === name) return d;
    d = dirname(d);
  }
  return undefined;
}

/** Node, the convroute packages and the WebGPU binding, so pooled results say what produced them. */
export function softwareVersions(): Record<string, string> {
  const out: Record<string, string> = { node: process.version };
  const packages = resolve(import.meta.dirname, '../../..');
  for (const p of PACKAGES) {
    const v = versionAt(join(packages, p));
    if (v) out[p === 'convroute' ? 'convroute' : `@convroute/${p}`] = v;
  }
  try {
    const req = createRequire(join(packages, 'backend-webgpu', 'package.json'));
    const dir = packageDir(req.resolve('webgpu'), 'webgpu');
    const v = dir && versionAt(dir);
    if (v) out.webgpu = v;
  } catch {
    // no webgpu binding installed: nothing to report
  }
  return out;
}
