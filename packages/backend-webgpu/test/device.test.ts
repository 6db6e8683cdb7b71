import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Conv2dSpec, ConvrouteError, conv2dSpec, Tensor } from '@convroute/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createWebGpuBackend } from '../src/index.ts';
import { gpuBackendOrSkip } from './gpu.ts';

const child = fileURLToPath(new URL('./fixtures/acquire-child.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const LAVAPIPE = '/usr/share/vulkan/icd.d/lvp_icd.json';

function acquireIn(env: Record<string, string | undefined>, args: string[] = []) {
  const out = execFileSync(tsx, [child, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const backend = await gpuBackendOrSkip();
afterAll(() => backend?.dispose());

describe.skipIf(!backend)('device acquisition', () => {
  it('describes the adapter', () => {
    expect(backend!.name).toBe('webgpu');
    expect(backend!.description).toMatch(/^webgpu \(/);
    expect(backend!.acquired?.info.vendor).toBeTruthy();
  });

  it.skipIf(!existsSync(LAVAPIPE))('falls back to lavapipe when the configured driver does not exist, and says so', () => {
    const r = acquireIn({ VK_ICD_FILENAMES: '/nonexistent/icd.json', LP_NUM_THREADS: undefined });
    expect(r.ok).toBe(true);
    expect(r.softwareDriver).toBe('lavapipe');
    expect(r.logs.join('\n')).toMatch(/lavapipe.*VK_ICD_FILENAMES=\/usr\/share\/vulkan\/icd.d\/lvp_icd.json/);
    expect(r.lp).toBe('1');
  });

  it('without a driver and without fallback, fails with DEVICE and says what to install', () => {
    const r = acquireIn({ VK_ICD_FILENAMES: '/nonexistent/icd.json' }, ['--no-fallback']);
    expect(r.ok).toBe(false);
    expect(r.code).toBe('DEVICE');
    expect(r.message).toMatch(/ensure-vulkan\.sh/);
  });
});

describe.skipIf(!backend)('device errors are typed, never a hang', () => {
  const spec: Conv2dSpec = conv2dSpec({ input: [1, 4, 6, 6], weight: [4, 4, 3, 3] });
  const inputs = [Tensor.zeros(spec.input), Tensor.zeros(spec.weight)];

  it('a lost device gives ConvrouteError DEVICE', async () => {
    const own = await createWebGpuBackend();
    await own.run({ op: 'conv2d', spec }, 'direct', inputs);
    own.acquired!.device.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const e = await own.run({ op: 'conv2d', spec }, 'direct', inputs).catch((x) => x);
    expect(e).toBeInstanceOf(ConvrouteError);
    expect((e as ConvrouteError).code).toBe('DEVICE');
    own.dispose();
  });

  it('invalid WGSL surfaces as DEVICE at pipeline creation', async () => {
    const e = await backend!.runtime.pipeline('broken', () => 'fn main( {').catch((x) => x);
    expect(e).toBeInstanceOf(ConvrouteError);
    expect((e as ConvrouteError).code).toBe('DEVICE');
    // and the backend still works afterwards
    const y = await backend!.run({ op: 'conv2d', spec }, 'direct', inputs);
    expect(y.shape).toEqual([1, 4, 4, 4]);
  });

  it('a tensor above the storage binding limit is refused with LIMIT_EXCEEDED', () => {
    const max = backend!.runtime.limits.maxStorageBufferBindingSize;
    expect(() => backend!.runtime.alloc(max / 4 + 1)).toThrow(/LIMIT_EXCEEDED/);
  });
});
