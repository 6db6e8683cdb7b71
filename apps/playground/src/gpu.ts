import { type AcquiredDevice, acquireDevice, createWebGpuBackend, type WebGpuBackend } from '@convroute/backend-webgpu';
import { type DeviceProfile, profileFromAcquired } from '@convroute/router';

/** What the page found when it asked for WebGPU: each failure is its own state, with a message a
 * person can act on. */
export type GpuState =
  | { kind: 'no-webgpu'; message: string }
  | { kind: 'adapter-failed'; message: string }
  | { kind: 'ready'; acquired: AcquiredDevice; backend: WebGpuBackend; profile: DeviceProfile; limits: Record<string, number> };

export interface DeviceLoss {
  reason: string;
  message: string;
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Detects WebGPU, requests an adapter and a device, and builds the WebGPU backend and the device
 * profile the router derives from the adapter. `onLost` fires once if the device is lost later
 * (driver reset, GPU process crash, `device.destroy()`).
 */
export async function openGpu(onLost: (loss: DeviceLoss) => void): Promise<GpuState> {
  if (!('gpu' in navigator) || !navigator.gpu) {
    return {
      kind: 'no-webgpu',
      message:
        'This browser has no WebGPU (navigator.gpu is missing). Use a recent Chrome, Edge or Firefox, or Safari 26+, ' +
        'over https or localhost; on Linux Chromium start it with --enable-unsafe-webgpu.',
    };
  }
  let acquired: AcquiredDevice;
  try {
    acquired = await acquireDevice({ log: (m) => console.info(m) });
  } catch (e) {
    return {
      kind: 'adapter-failed',
      message: `WebGPU is present but no usable GPU device was given: ${errorText(e)}. The GPU may be blocklisted for WebGPU (see chrome://gpu) or in use.`,
    };
  }
  acquired.device.lost.then((info) => onLost({ reason: String(info.reason), message: info.message || 'no message' }));
  let backend: WebGpuBackend;
  try {
    // The page owns the device (and its lost handler); the backend only uses it.
    backend = await createWebGpuBackend({ device: acquired.device, adapterInfo: acquired.info });
  } catch (e) {
    acquired.device.destroy();
    return { kind: 'adapter-failed', message: `the WebGPU backend could not start on this device: ${errorText(e)}` };
  }
  const profile = profileFromAcquired(acquired);
  return { kind: 'ready', acquired, backend, profile, limits: { ...profile.limits } };
}
