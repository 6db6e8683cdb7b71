import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const PACKAGES = ['@convroute/core', '@convroute/backend-cpu', '@convroute/backend-webgpu', '@convroute/router', 'convroute', '@convroute/cli'];

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
  // Resolved like imports, so the same code finds them in the workspace and in an npm install.
  const req = createRequire(import.meta.url);
  const versionOf = (name: string, from = req): string | undefined => {
    try {
      const dir = packageDir(from.resolve(name), name);
      return dir && versionAt(dir);
    } catch {
      return undefined; // not installed: nothing to report
    }
  };
  for (const name of PACKAGES) {
    const v = versionOf(name);
    if (v) out[name] = v;
  }
  try {
    const webgpu = versionOf('webgpu', createRequire(req.resolve('@convroute/backend-webgpu')));
    if (webgpu) out.webgpu = webgpu;
  } catch {
    // no WebGPU backend installed: nothing to report
  }
  return out;
}
