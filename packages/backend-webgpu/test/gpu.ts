import { createWebGpuBackend, type WebGpuBackend, type WebGpuBackendOptions } from '../src/index.ts';

/**
 * A backend on the machine's adapter, or null with the reason printed. Under CI=true a missing
 * adapter is a failure, never a skip (issue 4: a WebGPU test that skips in CI fails).
 */
export async function gpuBackendOrSkip(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend | null> {
  try {
    return await createWebGpuBackend({ poisonOutputs: true, ...options });
  } catch (e) {
    if (process.env.CI === 'true') throw e;
    console.warn(`backend-webgpu tests SKIPPED: no WebGPU adapter (${e instanceof Error ? e.message : String(e)}). Run scripts/ensure-vulkan.sh as root.`);
    return null;
  }
}
